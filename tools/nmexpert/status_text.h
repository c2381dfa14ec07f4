/* status_text.h - the names of an expert's status states. */
#ifndef NMEXPERT_STATUS_TEXT_H
#define NMEXPERT_STATUS_TEXT_H

#include "nmapi.h"

/* "RUNNING", "DONE", ...; "?" for a value <netmon.h> does not define. */
const char *status_state_name(EXPERTSTATUSENUMERATION state);

#endif
