/*
 * encoding.h - the runner's text is UTF-8 throughout: its command line (taken as wide
 * characters), every path, every report. Windows is called with wide characters, converted
 * here at the edge; the strings an expert writes (names, status text, event text) are in the
 * ANSI code page, as <netmon.h>'s CHAR arrays are, and converted to UTF-8 before they are
 * printed. No function here allocates.
 */
#ifndef NMEXPERT_ENCODING_H
#define NMEXPERT_ENCODING_H

#include <stddef.h>
#include <windows.h>

/* Room for a MAX_PATH path in UTF-8, its terminator included. */
#define NMEXPERT_PATH_BYTES (MAX_PATH * 3)

/* UTF-8 to wide characters into out (capacity in WCHARs). FALSE when text is not UTF-8 or
 * does not fit. */
BOOL utf8_to_wide(const char *text, WCHAR *out, size_t capacity);

/* Wide characters to UTF-8 into out (capacity in bytes). FALSE when it does not fit. */
BOOL wide_to_utf8(const WCHAR *text, char *out, size_t capacity);

/* A UTF-8 path as the ANSI code page spells it, for the CHAR paths of <netmon.h>
 * (EXPERTSTARTUPINFO.szCaptureFile) and the A-only host API: exactly, or else as the file's
 * short (8.3) name when it has one. FALSE when neither can name it. */
BOOL utf8_path_to_ansi(const char *path, char *out, size_t capacity);

/* Text an expert wrote (ANSI code page, NUL-terminated within its array) as printable UTF-8:
 * control characters become '?', and out is cut at a character boundary when it is full. */
void expert_text_to_utf8(const char *text, char *out, size_t capacity);

/* The length of text's longest prefix of at most length bytes that ends on a UTF-8
 * character boundary. */
size_t utf8_complete_prefix(const char *text, size_t length);

#endif
