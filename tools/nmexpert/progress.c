/* progress.c - see progress.h. */
#include "progress.h"

#include <io.h>
#include <stdio.h>

#include "status_text.h"

#define LINE_WIDTH 79

void progress_init(struct progress *p, BOOL wanted)
{
    p->enabled = wanted && _isatty(_fileno(stderr));
    p->shown = FALSE;
}

void progress_show(const EXPERTSTATUS *status, void *ctx)
{
    struct progress *p = ctx;
    if (!p->enabled)
        return;
    char text[LINE_WIDTH];
    printable_copy(text, sizeof text, status->szStatusText);
    fprintf(stderr, "\r%3lu%%  %-8s  %-*.*s", (unsigned long)status->PercentDone,
            status_state_name(status->Status), LINE_WIDTH - 16, LINE_WIDTH - 16, text);
    fflush(stderr);
    p->shown = TRUE;
}

void progress_clear(struct progress *p)
{
    if (p->shown)
        fprintf(stderr, "\r%*s\r", LINE_WIDTH, "");
    p->shown = FALSE;
}
