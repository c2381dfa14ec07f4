/*
 * progress.h - the live progress line: while an expert runs, its latest status and percentage
 * on one line of stderr, rewritten in place. Shown only when stderr is a terminal and the
 * report is not JSON, so logs and pipes never see it. While an expert walks a capture, the
 * line begins with the frames served so far.
 */
#ifndef NMEXPERT_PROGRESS_H
#define NMEXPERT_PROGRESS_H

#include "nmapi.h"

struct progress {
    BOOL enabled;
    BOOL shown;
    HCAPTURE capture;          /* run --capture: the line also counts the frames served */
    PFN_ExpertHostQueryCapture query_capture;
};

void progress_init(struct progress *p, BOOL wanted);
/* Matches session_spec.on_status; ctx is the struct progress. */
void progress_show(const EXPERTSTATUS *status, void *ctx);
/* Erases the line, before the report is printed. */
void progress_clear(struct progress *p);

#endif
