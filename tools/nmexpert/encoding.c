/* encoding.c - see encoding.h. */
#include "encoding.h"

#include <string.h>

BOOL utf8_to_wide(const char *text, WCHAR *out, size_t capacity)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, out, (int)capacity);
    return n > 0;
}

BOOL wide_to_utf8(const WCHAR *text, char *out, size_t capacity)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, out, (int)capacity, NULL, NULL);
    return n > 0;
}

/* Wide to the ANSI code page, refusing any character it would have to replace or guess. */
static BOOL wide_to_ansi_exactly(const WCHAR *text, char *out, size_t capacity)
{
    BOOL replaced = FALSE;
    int n = WideCharToMultiByte(CP_ACP, WC_NO_BEST_FIT_CHARS, text, -1, out, (int)capacity,
                                NULL, &replaced);
    return n > 0 && !replaced;
}

BOOL utf8_path_to_ansi(const char *path, char *out, size_t capacity)
{
    WCHAR wide[MAX_PATH], short_name[MAX_PATH];
    if (!utf8_to_wide(path, wide, MAX_PATH))
        return FALSE;
    if (wide_to_ansi_exactly(wide, out, capacity))
        return TRUE;
    DWORD n = GetShortPathNameW(wide, short_name, MAX_PATH);
    return n > 0 && n < MAX_PATH && wide_to_ansi_exactly(short_name, out, capacity);
}

size_t utf8_complete_prefix(const char *text, size_t length)
{
    size_t start = length;
    /* Back over at most three continuation bytes to the lead byte of the last character. */
    while (start > 0 && length - start < 4 && ((unsigned char)text[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return length;                   /* no lead byte: nothing to hold back */
    unsigned char lead = (unsigned char)text[start - 1];
    size_t needs = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return length - (start - 1) >= needs ? length : start - 1;
}

void expert_text_to_utf8(const char *text, char *out, size_t capacity)
{
    WCHAR wide[1024];
    char utf8[sizeof wide / sizeof *wide * 3];
    if (!capacity)
        return;
    size_t n = text ? strnlen(text, sizeof wide / sizeof *wide - 1) : 0;
    int units = n ? MultiByteToWideChar(CP_ACP, 0, text, (int)n, wide, (int)n) : 0;
    for (int i = 0; i < units; i++)
        if (wide[i] < 0x20 || (wide[i] >= 0x7F && wide[i] < 0xA0))
            wide[i] = L'?';
    int bytes = units > 0 ? WideCharToMultiByte(CP_UTF8, 0, wide, units, utf8, sizeof utf8,
                                                NULL, NULL) : 0;
    size_t take = bytes > 0 ? (size_t)bytes : 0;
    if (take > capacity - 1)
        take = utf8_complete_prefix(utf8, capacity - 1);
    memcpy(out, utf8, take);
    out[take] = '\0';
}
