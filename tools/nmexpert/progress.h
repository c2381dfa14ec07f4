/*
 * progress.h - the live progress line: while an expert runs, its latest status and percentage
 * on one line of stderr, rewritten in place. Shown only when stderr is a terminal and the
 * report is not JSON, so logs and pipes never see it.
 */
#ifndef NMEXPERT_PROGRESS_H
#define NMEXPERT_PROGRESS_H

#include "nmapi.h"

struct progress {
    BOOL enabled;
    BOOL shown;
};

void progress_init(struct progress *p, BOOL wanted);
/* Matches session_spec.on_status; ctx is the struct progress. */
void progress_show(const EXPERTSTATUS *status, void *ctx);
/* Erases the line, before the report is printed. */
void progress_clear(struct progress *p);

#endif
