/*
 * out.h - everything nmexpert prints. Text is gathered in a buffer of the runner's own and
 * written with WriteFile, never through the C runtime's streams: an expert that crashed inside
 * printf ended its thread holding the runtime's stream lock, and any later fprintf - or the
 * runtime's flush at exit - would wait for that lock forever.
 */
#ifndef NMEXPERT_OUT_H
#define NMEXPERT_OUT_H

#include <stddef.h>

enum out_stream { OUT_STDOUT, OUT_STDERR };

void out_printf(enum out_stream s, const char *format, ...)
    __attribute__((format(gnu_printf, 2, 3)));
void out_write(enum out_stream s, const char *text, size_t length);
void out_putc(enum out_stream s, char c);
void out_puts(enum out_stream s, const char *text);   /* no newline added */
/* Writes what was gathered for s. */
void out_flush(enum out_stream s);

/* Whether s is a terminal (a console or character device), without the C runtime. */
int out_is_terminal(enum out_stream s);

#endif
