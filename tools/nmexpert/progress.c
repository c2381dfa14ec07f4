/* progress.c - see progress.h. */
#include "progress.h"

#include "out.h"

#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "status_text.h"

#define LINE_WIDTH 79

void progress_init(struct progress *p, BOOL wanted)
{
    p->enabled = wanted && out_is_terminal(OUT_STDERR);
    p->shown = FALSE;
    p->capture = NULL;
    p->query_capture = NULL;
}

void progress_show(const EXPERTSTATUS *status, void *ctx)
{
    struct progress *p = ctx;
    if (!p->enabled)
        return;
    char text[LINE_WIDTH], frames[40] = "";
    expert_text_to_utf8(status->szStatusText, text, sizeof text);
    EXPERTHOSTCAPTUREINFO info = { .cbSize = sizeof info };
    if (p->capture && p->query_capture(p->capture, &info) == NMERR_SUCCESS)
        snprintf(frames, sizeof frames, "%llu/%lu frames  ",
                 (unsigned long long)info.FramesServed, (unsigned long)info.TotalFrames);
    int room = LINE_WIDTH - 16 - (int)strlen(frames);
    out_printf(OUT_STDERR, "\r%s%3lu%%  %-8s  %-*.*s", frames, (unsigned long)status->PercentDone,
            status_state_name(status->Status), room, room, text);
    out_flush(OUT_STDERR);
    p->shown = TRUE;
}

void progress_clear(struct progress *p)
{
    if (p->shown)
        out_printf(OUT_STDERR, "\r%*s\r", LINE_WIDTH, "");
    p->shown = FALSE;
}
