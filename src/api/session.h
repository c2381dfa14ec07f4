/*
 * session.h - what a host attached to a key beyond its memory: the expert's latest status,
 * the startup info, callbacks and a display name. Lives in the process heap (never in the
 * expert's heap, which the expert can overrun); created before its key, freed after it.
 */
#ifndef NMAPI_SESSION_H
#define NMAPI_SESSION_H

#include "nmapi.h"
#include "owner.h"
#include "platform.h"

/* The host's callbacks; callers copy them and call them after releasing the key. */
struct session_callbacks {
    PVOID context;
    PEXPERTHOST_STATUS_CALLBACK status_changed;
    PEXPERTHOST_SUBMITEVENT_CALLBACK submit_event;
    PEXPERTHOST_GETFRAME_CALLBACK get_frame;
};

struct expert_session {
    uint32_t kind;               /* OWNER_EXPERT (owner.h) */
    int32_t volatile status_gate; /* guards status (gate_take: a holder that ended inside
                                    cannot keep it); zero-filled, so free */
    EXPERTSTATUS status;
    EXPERTSTARTUPINFO startup;   /* read-only after creation */
    struct session_callbacks callbacks;   /* read-only after creation */
    char display_name[64];       /* for session_report_leak */
};

/* NULL when out of memory. info may be NULL (defaults); it has been validated. */
struct expert_session *session_create(const EXPERTHOSTKEYINFO *info);
void session_destroy(struct expert_session *s);

/* Copies src (NULL = empty) into dst, truncated to capacity - 1 characters, terminated. */
void session_copy_text(char *dst, size_t capacity, const char *src);

/* Records a status (see ExpertIndicateStatus in nmapi.h) and copies the result to *recorded. */
void session_set_status(struct expert_session *s, EXPERTSTATUSENUMERATION status,
                        DWORD sub_status, const char *text, LONG percent_done,
                        EXPERTSTATUS *recorded);
void session_get_status(struct expert_session *s, EXPERTSTATUS *out);

/* Tells a debugger (OutputDebugString) that the expert left blocks behind, by its name. */
void session_report_leak(const struct expert_session *s, size_t blocks, size_t bytes);

#endif
