/* status_text.c - see status_text.h. */
#include "status_text.h"

const char *status_state_name(EXPERTSTATUSENUMERATION state)
{
    static const char *const names[] = { "INACTIVE", "STARTING", "RUNNING", "PROBLEM",
                                         "ABORTED", "DONE" };
    return (unsigned)state < sizeof names / sizeof *names ? names[state] : "?";
}
