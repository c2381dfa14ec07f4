/*
 * json_check.h - just enough JSON for the runner's tests: a strict syntax check of a whole
 * document, and the raw text of one member of the top-level object.
 */
#ifndef JSON_CHECK_H
#define JSON_CHECK_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *json_skip_value(const char *p);

static inline const char *json_skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

static inline const char *json_skip_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    for (; *p != '"'; p++) {
        if ((unsigned char)*p < 0x20)
            return NULL;                 /* raw control characters are not allowed */
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!isxdigit((unsigned char)p[i]))
                        return NULL;
                p += 4;
            } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
                return NULL;
            }
        }
    }
    return p + 1;
}

static inline const char *json_skip_number(const char *p)
{
    const char *start = p;
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return NULL;
    if (*p == '0' && isdigit((unsigned char)p[1]))
        return NULL;
    while (isdigit((unsigned char)*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' ||
           (*p == '-' && p != start))
        p++;
    return p;
}

/* Skips "{...}" or "[...]"; members when object is nonzero. */
static inline const char *json_skip_container(const char *p, int object)
{
    char close = object ? '}' : ']';
    p = json_skip_space(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (object) {
            p = json_skip_string(p);
            if (!p)
                return NULL;
            p = json_skip_space(p);
            if (*p++ != ':')
                return NULL;
        }
        p = json_skip_value(p);
        if (!p)
            return NULL;
        p = json_skip_space(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *json_skip_value(const char *p)
{
    p = json_skip_space(p);
    switch (*p) {
    case '{': return json_skip_container(p, 1);
    case '[': return json_skip_container(p, 0);
    case '"': return json_skip_string(p);
    case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
    case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
    case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
    default: return json_skip_number(p);
    }
}

/* Nonzero when text is exactly one JSON object and white space. */
static inline int json_is_one_object(const char *text)
{
    const char *p = json_skip_space(text);
    if (*p != '{')
        return 0;
    p = json_skip_value(p);
    return p && *json_skip_space(p) == '\0';
}

/* Copies the raw text of the top-level member key ("42", "\"crashed\"", "{...}") into out;
 * "" when absent. The document must have passed json_is_one_object. */
static inline const char *json_member(const char *text, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = json_skip_space(text) + 1;          /* inside the top-level object */
    while ((p = json_skip_space(p)) && *p == '"') {
        const char *name = p + 1;
        const char *after_name = json_skip_string(p);
        size_t name_length = (size_t)(after_name - 1 - name);
        const char *value = json_skip_space(json_skip_space(after_name) + 1);
        const char *end = json_skip_value(value);
        if (name_length == strlen(key) && !strncmp(name, key, name_length)) {
            snprintf(out, size, "%.*s", (int)(end - value), value);
            break;
        }
        p = json_skip_space(end);
        if (*p == ',')
            p++;
    }
    return out;
}

#endif
