/* expert_session.c - see expert_session.h. */
#include "expert_session.h"

#include <stdio.h>
#include <string.h>

struct session_state {
    const struct session_spec *spec;
    struct session_result *result;
    HEXPERTKEY key;
};

/* The host's side of ExpertSubmitEvent, on the expert's thread: counts the event and keeps
 * its name and description (the expert's strings, read here: a wild one faults on the
 * expert's thread, which the guard reports as the expert's crash). */
static DWORD WINAPI take_event(PVOID context, HEXPERTKEY key, PNMEVENTDATA event)
{
    (void)key;
    struct session_result *r = context;
    snprintf(r->last_event, sizeof r->last_event, "%s: %s",
             event->szEventName ? event->szEventName : "",
             event->szDescription ? event->szDescription : "");
    InterlockedIncrement(&r->events);
    return NMERR_SUCCESS;
}

static BOOL call_entry_point(void *arg)
{
    struct session_state *s = arg;
    return s->spec->call(s->key, s->spec->arg);
}

static void terminate_expert(void *ctx)
{
    struct session_state *s = ctx;
    s->spec->rt->terminate(s->key);
}

static void report_status(void *ctx)
{
    struct session_state *s = ctx;
    EXPERTSTATUS status;
    if (s->spec->rt->get_status(s->key, &status) == NMERR_SUCCESS)
        s->spec->on_status(&status, s->spec->status_ctx);
}

/* Reads the last status and figures, then destroys the key. Made as a guarded call of its own
 * so that a key whose lock died with a terminated thread cannot hang the runner. */
static BOOL finish_key(void *arg)
{
    struct session_state *s = arg;
    const struct nmapi_runtime *rt = s->spec->rt;
    struct session_result *r = s->result;
    if (s->spec->before_destroy)
        s->spec->before_destroy(s->key, s->spec->arg);
    rt->get_status(s->key, &r->status);
    rt->query_memory(s->key, &r->stats);
    r->teardown_nmerr = rt->destroy_key(s->key, &r->reclaimed);
    return TRUE;
}

const char *teardown_name(enum teardown_outcome teardown)
{
    static const char *const names[] = { "destroyed", "key-already-gone", "refused", "crashed",
                                         "timed-out" };
    return names[teardown];
}

static enum teardown_outcome teardown_of(const struct call_result *finish, DWORD nmerr)
{
    switch (finish->outcome) {
    case CALL_RETURNED:
        if (nmerr == NMERR_SUCCESS)
            return TEARDOWN_DESTROYED;
        return nmerr == NMERR_INVALID_EXPERT_HANDLE ? TEARDOWN_KEY_ALREADY_GONE
                                                    : TEARDOWN_REFUSED;
    case CALL_UNRESPONSIVE:
        return TEARDOWN_TIMED_OUT;
    case CALL_CRASHED:
    case CALL_EXITED:
    default:
        return TEARDOWN_CRASHED;
    }
}

BOOL expert_session_run(const struct session_spec *spec, struct session_result *result,
                        char *error, size_t error_size)
{
    memset(result, 0, sizeof *result);
    result->stats.cbSize = sizeof result->stats;
    result->reclaimed.cbSize = sizeof result->reclaimed;
    struct session_state s = { spec, result, NULL };

    EXPERTHOSTKEYINFO info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    info.MemoryLimit = spec->memory_limit;
    info.Flags = spec->check_corruption ? EXPERTHOST_FLAG_CHECK_CORRUPTION : 0;
    info.szDisplayName = spec->display_name;
    info.pStartupInfo = spec->startup;
    info.CallbackContext = result;
    info.pfnSubmitEvent = take_event;
    DWORD nmerr = spec->rt->create_key(&info, &s.key);
    if (nmerr != NMERR_SUCCESS) {
        snprintf(error, error_size, "ExpertHostCreateKey failed with NMERR %lu", nmerr);
        return FALSE;
    }

    if (spec->before_call && !spec->before_call(s.key, spec->arg, error, error_size)) {
        spec->rt->destroy_key(s.key, NULL);
        return FALSE;
    }

    /* The finisher's thread is made now, before the expert runs and can take a lock that
     * creating a thread needs to its grave. */
    struct call_spec finish_spec;
    memset(&finish_spec, 0, sizeof finish_spec);
    finish_spec.body = finish_key;
    finish_spec.arg = &s;
    finish_spec.timeout_ms = spec->teardown_timeout_ms;
    finish_spec.grace_ms = 0;
    struct guarded_call *finish = guarded_call_prepare(&finish_spec);
    if (!finish) {
        snprintf(error, error_size, "cannot create a thread (Windows error %lu)", GetLastError());
        spec->rt->destroy_key(s.key, NULL);
        return FALSE;
    }

    struct call_spec call;
    memset(&call, 0, sizeof call);
    call.body = call_entry_point;
    call.arg = &s;
    call.timeout_ms = spec->timeout_ms;
    call.grace_ms = spec->grace_ms;
    call.on_timeout = terminate_expert;
    call.on_tick = spec->on_status ? report_status : NULL;
    call.ctx = &s;
    if (!guarded_call(&call, &result->call)) {
        snprintf(error, error_size, "cannot create the expert's thread (Windows error %lu)",
                 GetLastError());
        guarded_call_run(finish, &result->teardown_call);   /* destroys the key */
        return FALSE;
    }
    if (result->call.outcome == CALL_RETURNED && spec->after_return)
        spec->after_return(s.key, &result->call, spec->arg);
    guarded_call_run(finish, &result->teardown_call);
    result->teardown = teardown_of(&result->teardown_call, result->teardown_nmerr);
    return TRUE;
}
