/* json_writer.c - see json_writer.h. */
#include "json_writer.h"

static void put_escaped_unit(enum out_stream out, unsigned unit)
{
    if (unit == '"' || unit == '\\')
        out_printf(out, "\\%c", (char)unit);
    else if (unit >= 0x20 && unit < 0x7f)
        out_putc(out, (char)unit);
    else
        out_printf(out, "\\u%04x", unit);
}

/* text, in code page (CP_UTF8 or CP_ACP), as a JSON string. */
static void write_escaped(enum out_stream out, const char *text, UINT code_page)
{
    WCHAR wide[1024];
    int units = MultiByteToWideChar(code_page, 0, text, -1, wide, sizeof wide / sizeof *wide);
    out_putc(out, '"');
    if (units > 0)
        for (int i = 0; i < units - 1; i++)       /* units counts the terminator */
            put_escaped_unit(out, wide[i]);
    else                                          /* longer than the buffer: byte by byte */
        for (const unsigned char *p = (const unsigned char *)text; *p; p++)
            put_escaped_unit(out, *p);
    out_putc(out, '"');
}

/* The comma and the member name that come before any value. */
static void begin_value(struct json_writer *w, const char *key)
{
    if (w->depth > 0 && w->depth <= JSON_MAX_DEPTH) {
        if (w->has_members[w->depth - 1])
            out_putc(w->out, ',');
        w->has_members[w->depth - 1] = TRUE;
    }
    if (key) {
        write_escaped(w->out, key, CP_UTF8);
        out_putc(w->out, ':');
    }
}

static void open_container(struct json_writer *w, const char *key, char bracket)
{
    begin_value(w, key);
    out_putc(w->out, bracket);
    if (w->depth < JSON_MAX_DEPTH)
        w->has_members[w->depth] = FALSE;
    w->depth++;
}

static void close_container(struct json_writer *w, char bracket)
{
    out_putc(w->out, bracket);
    if (--w->depth == 0)
        out_putc(w->out, '\n');
}

void json_init(struct json_writer *w, enum out_stream out)
{
    w->out = out;
    w->depth = 0;
}

void json_begin_object(struct json_writer *w, const char *key) { open_container(w, key, '{'); }
void json_end_object(struct json_writer *w) { close_container(w, '}'); }
void json_begin_array(struct json_writer *w, const char *key) { open_container(w, key, '['); }
void json_end_array(struct json_writer *w) { close_container(w, ']'); }

static void string_in(struct json_writer *w, const char *key, const char *value,
                      UINT code_page)
{
    begin_value(w, key);
    if (value)
        write_escaped(w->out, value, code_page);
    else
        out_puts(w->out, "null");
}

void json_string(struct json_writer *w, const char *key, const char *value)
{
    string_in(w, key, value, CP_UTF8);
}

void json_expert_string(struct json_writer *w, const char *key, const char *value)
{
    string_in(w, key, value, CP_ACP);
}

void json_int(struct json_writer *w, const char *key, long long value)
{
    begin_value(w, key);
    out_printf(w->out, "%lld", value);
}

void json_uint(struct json_writer *w, const char *key, unsigned long long value)
{
    begin_value(w, key);
    out_printf(w->out, "%llu", value);
}

void json_bool(struct json_writer *w, const char *key, BOOL value)
{
    begin_value(w, key);
    out_puts(w->out, value ? "true" : "false");
}
