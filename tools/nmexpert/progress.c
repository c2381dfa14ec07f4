/* progress.c - see progress.h. */
#include "progress.h"

#include "out.h"

#include "encoding.h"
#include "status_text.h"

#define LINE_WIDTH 79

void progress_init(struct progress *p, BOOL wanted)
{
    p->enabled = wanted && out_is_terminal(OUT_STDERR);
    p->shown = FALSE;
}

void progress_show(const EXPERTSTATUS *status, void *ctx)
{
    struct progress *p = ctx;
    if (!p->enabled)
        return;
    char text[LINE_WIDTH];
    expert_text_to_utf8(status->szStatusText, text, sizeof text);
    out_printf(OUT_STDERR, "\r%3lu%%  %-8s  %-*.*s", (unsigned long)status->PercentDone,
            status_state_name(status->Status), LINE_WIDTH - 16, LINE_WIDTH - 16, text);
    out_flush(OUT_STDERR);
    p->shown = TRUE;
}

void progress_clear(struct progress *p)
{
    if (p->shown)
        out_printf(OUT_STDERR, "\r%*s\r", LINE_WIDTH, "");
    p->shown = FALSE;
}
