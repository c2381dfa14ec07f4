/* out.c - see out.h. Single-threaded: only the runner's main thread prints. The text is
 * UTF-8: written as it is to a file or pipe, and as wide characters to a console, which then
 * shows it in its own code page. */
#include "out.h"

#include "encoding.h"

#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <windows.h>

#define OUT_BUFFER 16384

struct out_buffer {
    char text[OUT_BUFFER];
    size_t used;
};

static struct out_buffer buffers[2];

static HANDLE handle_of(enum out_stream s)
{
    return GetStdHandle(s == OUT_STDOUT ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE);
}

/* Writes bytes to a console as wide characters; FALSE when h is not a console. */
static BOOL write_console(HANDLE h, const char *text, size_t length)
{
    DWORD mode;
    if (!GetConsoleMode(h, &mode))
        return FALSE;
    WCHAR wide[OUT_BUFFER];
    int units = MultiByteToWideChar(CP_UTF8, 0, text, (int)length, wide, OUT_BUFFER);
    for (int done = 0; done < units;) {
        DWORD written = 0;
        if (!WriteConsoleW(h, wide + done, (DWORD)(units - done), &written, NULL) || !written)
            break;
        done += (int)written;
    }
    return TRUE;
}

void out_flush(enum out_stream s)
{
    struct out_buffer *b = &buffers[s];
    HANDLE h = handle_of(s);
    /* A character cut by a full buffer waits for its other bytes. */
    size_t complete = utf8_complete_prefix(b->text, b->used);
    size_t done = 0;
    if (h && h != INVALID_HANDLE_VALUE && write_console(h, b->text, complete))
        done = complete;
    while (done < complete && h && h != INVALID_HANDLE_VALUE) {
        DWORD written = 0;
        if (!WriteFile(h, b->text + done, (DWORD)(complete - done), &written, NULL) || !written)
            break;                  /* a closed pipe: nothing more can be said */
        done += written;
    }
    memmove(b->text, b->text + complete, b->used - complete);
    b->used -= complete;
}

void out_write(enum out_stream s, const char *text, size_t length)
{
    struct out_buffer *b = &buffers[s];
    while (length) {
        if (b->used == OUT_BUFFER)
            out_flush(s);
        size_t take = OUT_BUFFER - b->used < length ? OUT_BUFFER - b->used : length;
        memcpy(b->text + b->used, text, take);
        b->used += take;
        text += take;
        length -= take;
    }
}

void out_putc(enum out_stream s, char c)
{
    out_write(s, &c, 1);
}

void out_puts(enum out_stream s, const char *text)
{
    out_write(s, text, strlen(text));
}

void out_printf(enum out_stream s, const char *format, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(line, sizeof line, format, ap);   /* formats in place: no stream, no lock */
    va_end(ap);
    if (n > 0)
        out_write(s, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

int out_is_terminal(enum out_stream s)
{
    HANDLE h = handle_of(s);
    return h && h != INVALID_HANDLE_VALUE && GetFileType(h) == FILE_TYPE_CHAR;
}
