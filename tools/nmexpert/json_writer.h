/*
 * json_writer.h - writes one JSON value to an output stream (out.h), compactly, with the commas and escaping
 * done here. The runner's strings are UTF-8, an expert's are in the ANSI code page (as
 * <netmon.h>'s CHAR arrays are); both come out as ASCII JSON: every other character is a \u
 * escape, so an expert's bytes can never break the document.
 */
#ifndef NMEXPERT_JSON_WRITER_H
#define NMEXPERT_JSON_WRITER_H

#include <windows.h>

#include "out.h"

#define JSON_MAX_DEPTH 8

struct json_writer {
    enum out_stream out;
    int depth;
    BOOL has_members[JSON_MAX_DEPTH];
};

void json_init(struct json_writer *w, enum out_stream out);
/* key is the member name inside an object, NULL at the top level and inside arrays. */
void json_begin_object(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);   /* a newline follows the top-level value */
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);
void json_string(struct json_writer *w, const char *key, const char *value); /* NULL: null */
/* A string the expert wrote, in the ANSI code page. */
void json_expert_string(struct json_writer *w, const char *key, const char *value);
void json_int(struct json_writer *w, const char *key, long long value);
void json_uint(struct json_writer *w, const char *key, unsigned long long value);
void json_bool(struct json_writer *w, const char *key, BOOL value);

#endif
