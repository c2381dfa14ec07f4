/* status_text.h - expert-provided text and states, made safe and readable for a terminal. */
#ifndef NMEXPERT_STATUS_TEXT_H
#define NMEXPERT_STATUS_TEXT_H

#include "nmapi.h"

/* "RUNNING", "DONE", ...; "?" for a value <netmon.h> does not define. */
const char *status_state_name(EXPERTSTATUSENUMERATION state);

/* Copies src into dst (capacity > 0), replacing control characters with '?' so that an
 * expert's text cannot move the cursor or clear the screen. */
void printable_copy(char *dst, size_t capacity, const char *src);

#endif
