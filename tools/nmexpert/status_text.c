/* status_text.c - see status_text.h. */
#include "status_text.h"

const char *status_state_name(EXPERTSTATUSENUMERATION state)
{
    static const char *const names[] = { "INACTIVE", "STARTING", "RUNNING", "PROBLEM",
                                         "ABORTED", "DONE" };
    return (unsigned)state < sizeof names / sizeof *names ? names[state] : "?";
}

void printable_copy(char *dst, size_t capacity, const char *src)
{
    size_t n = 0;
    for (; src && src[n] && n + 1 < capacity; n++)
        dst[n] = (unsigned char)src[n] < 0x20 || src[n] == 0x7f ? '?' : src[n];
    dst[n] = '\0';
}
