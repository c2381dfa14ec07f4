/* session.c - see session.h. */
#include "session.h"

#include <stdio.h>
#include <string.h>

#include "gate.h"

void session_copy_text(char *dst, size_t capacity, const char *src)
{
    size_t n = 0;
    if (src)
        while (n + 1 < capacity && src[n])
            n++;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

struct expert_session *session_create(const EXPERTHOSTKEYINFO *info)
{
    struct expert_session *s = plat_zalloc(sizeof *s);
    if (!s)
        return NULL;
    s->kind = OWNER_EXPERT;
    if (info) {
        if (info->pStartupInfo)
            s->startup = *info->pStartupInfo;
        s->callbacks.context = info->CallbackContext;
        s->callbacks.status_changed = info->pfnStatusChanged;
        s->callbacks.submit_event = info->pfnSubmitEvent;
        s->callbacks.get_frame = info->pfnGetFrame;
        session_copy_text(s->display_name, sizeof s->display_name, info->szDisplayName);
    }
    return s;
}

void session_destroy(struct expert_session *s)
{
    plat_free(s);
}

void session_set_status(struct expert_session *s, EXPERTSTATUSENUMERATION status,
                        DWORD sub_status, const char *text, LONG percent_done,
                        EXPERTSTATUS *recorded)
{
    gate_take(&s->status_gate);
    s->status.Status = status;
    s->status.SubStatus = sub_status;
    if (percent_done >= 0 && percent_done <= 99)   /* "any number greater than 99 is ignored" */
        s->status.PercentDone = (DWORD)percent_done;
    session_copy_text(s->status.szStatusText, sizeof s->status.szStatusText, text);
    *recorded = s->status;
    gate_leave(&s->status_gate);
}

void session_get_status(struct expert_session *s, EXPERTSTATUS *out)
{
    gate_take(&s->status_gate);
    *out = s->status;
    gate_leave(&s->status_gate);
    /* A writer that ended inside may have left the text unterminated. */
    out->szStatusText[sizeof out->szStatusText - 1] = '\0';
}

void session_report_leak(const struct expert_session *s, size_t blocks, size_t bytes)
{
    char line[160];
    snprintf(line, sizeof line, "nmapi: expert \"%s\" left %llu blocks (%llu bytes); reclaimed\n",
             s->display_name[0] ? s->display_name : "(unnamed)", (unsigned long long)blocks,
             (unsigned long long)bytes);
    OutputDebugStringA(line);
}
