/*
 * helper_api.c - the two functions Nmapi.dll exported without <netmon.h> declaring them or a
 * reference page describing them: HelperFormatUnicodeString and DecodeSNMPObjectIdentifier
 * (declared in include/nmapi.h). Their only public caller is Microsoft's PROPDIST expert
 * sample, so their contracts are what that caller needs, and include/nmapi.h writes them
 * down:
 *
 *   - HelperFormatUnicodeString gets a counted UTF-16 string from frame data (Len in bytes, no
 *     NUL promised, no alignment either) and a MAX_PATH buffer it runs strlen on afterwards:
 *     it writes a NUL-terminated ANSI string of at most MAX_PATH bytes and returns its length.
 *   - DecodeSNMPObjectIdentifier gets the content octets of a BER OBJECT IDENTIFIER and an
 *     OBJECT_IDENTIFIER whose Length the caller set to the byte size of lpIdentifier; it fills
 *     in the arcs, sets Length to their count and returns NMERR_SUCCESS.
 *
 * Both are pure functions of their arguments (no state, no lock): thread-safe. A refused call
 * writes nothing, except that HelperFormatUnicodeString leaves "" in a non-NULL szOut.
 */
#include "native.h"
#include "nmapi.h"

#include <stdint.h>
#include <string.h>

/* --- HelperFormatUnicodeString -------------------------------------------------------------- */

#define FORMAT_TEXT_MAX (MAX_PATH - 1)      /* bytes of text; the NUL makes MAX_PATH */

/* The ANSI spelling of one character (one UTF-16 unit, or a surrogate pair) in code page acp;
 * one '?' when it has none (Wine's converter would give a pair two). Returns its length. */
static int ansi_char(UINT acp, const WCHAR *c, int units, char *out, int cap)
{
    if (units == 1 && c[0] < 0x80) {        /* every ANSI code page is an ASCII superset */
        out[0] = (char)c[0];
        return 1;
    }
    BOOL lossy = FALSE;                     /* CP_UTF8 spells everything and takes no flag */
    int n = WideCharToMultiByte(acp, 0, c, units, out, cap, NULL, acp == CP_UTF8 ? NULL : &lossy);
    if (n <= 0 || lossy) {
        out[0] = '?';
        n = 1;
    }
    return n;
}

DWORD WINAPI NATIVE(HelperFormatUnicodeString)(LPSTR szOut, LPCWSTR szIn, WORD Len)
{
    if (!szOut)
        return 0;
    UINT acp = GetACP();
    DWORD length = 0;
    const BYTE *in = (const BYTE *)szIn;    /* frame data: read byte-wise, any alignment */
    size_t units = szIn ? Len / sizeof(WCHAR) : 0;     /* an odd last byte is no character */
    for (size_t i = 0; i < units;) {
        WCHAR c[2];
        memcpy(&c[0], in + i * sizeof(WCHAR), sizeof(WCHAR));
        if (c[0] == 0)
            break;
        int width = 1;
        if (IS_HIGH_SURROGATE(c[0]) && i + 1 < units) {
            memcpy(&c[1], in + (i + 1) * sizeof(WCHAR), sizeof(WCHAR));
            if (IS_LOW_SURROGATE(c[1]))
                width = 2;
        }
        char bytes[8];
        int n = ansi_char(acp, c, width, bytes, sizeof bytes);
        if (length + (DWORD)n > FORMAT_TEXT_MAX)
            break;                          /* never half a double-byte character */
        memcpy(szOut + length, bytes, (size_t)n);
        length += (DWORD)n;
        i += (size_t)width;
    }
    szOut[length] = '\0';
    return length;
}

NATIVE_AGREES(HelperFormatUnicodeString);

/* --- DecodeSNMPObjectIdentifier --------------------------------------------------------------
 * X.690 8.19: each subidentifier is base-128, most significant group first, bit 8 set on every
 * octet but its last; the first subidentifier packs the first two arcs as 40 * a1 + a2, a1 at
 * most 2 (a2 unbounded when a1 is 2). Every arc must fit a DWORD. A leading 0x80 octet (a
 * longer encoding than needed) is accepted, as a monitor should show what was sent. */

#define ARC_MAX 0xFFFFFFFFu

/* Decodes data[0..length) into arcs (when not NULL); returns NMERR_SUCCESS with the arc count,
 * or NMERR_INVALID_DATA for a truncated subidentifier or an arc beyond 32 bits. */
static DWORD decode_arcs(const BYTE *data, DWORD length, DWORD *arcs, DWORD *count)
{
    DWORD n = 0;
    uint64_t value = 0;
    for (DWORD i = 0; i < length; i++) {
        if (value > (ARC_MAX + 80ull) >> 7)
            return NMERR_INVALID_DATA;      /* this octet would take it past every bound */
        value = value << 7 | (data[i] & 0x7f);
        if (data[i] & 0x80)
            continue;
        if (n == 0) {                       /* the first two arcs */
            DWORD first = value < 40 ? 0 : value < 80 ? 1 : 2;
            uint64_t second = value - 40u * first;
            if (second > ARC_MAX)
                return NMERR_INVALID_DATA;
            if (arcs) {
                arcs[0] = first;
                arcs[1] = (DWORD)second;
            }
            n = 2;
        } else {
            if (value > ARC_MAX)
                return NMERR_INVALID_DATA;
            if (arcs)
                arcs[n] = (DWORD)value;
            n++;
        }
        value = 0;
    }
    if (data[length - 1] & 0x80)
        return NMERR_INVALID_DATA;          /* the last subidentifier is cut off */
    *count = n;
    return NMERR_SUCCESS;
}

DWORD WINAPI NATIVE(DecodeSNMPObjectIdentifier)(LPBYTE lpData, DWORD DataLen, LPOBJECT_IDENTIFIER lpOID)
{
    if (!lpData || DataLen == 0 || !lpOID || !lpOID->lpIdentifier)
        return NMERR_INVALID_PARAMETER;
    DWORD count;
    DWORD status = decode_arcs(lpData, DataLen, NULL, &count);   /* validate and count first */
    if (status != NMERR_SUCCESS)
        return status;
    if (lpOID->Length / sizeof(DWORD) < count)
        return NMERR_BUFFER_TOO_SMALL;
    decode_arcs(lpData, DataLen, lpOID->lpIdentifier, &count);
    lpOID->Length = count;
    return NMERR_SUCCESS;
}

NATIVE_AGREES(DecodeSNMPObjectIdentifier);
