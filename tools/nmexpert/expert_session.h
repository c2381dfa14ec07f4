/*
 * expert_session.h - one call of an expert entry point (Configure or Run) under a key of its
 * own, start to finish: create the key (memory limit, display name, startup info), make the
 * guarded call (terminate after the timeout, give up after the grace period), let the caller
 * look at the key's memory while it is still alive, then read the expert's last status and
 * memory figures and destroy the key, recording what that reclaimed.
 */
#ifndef NMEXPERT_EXPERT_SESSION_H
#define NMEXPERT_EXPERT_SESSION_H

#include "guarded_call.h"
#include "runtime.h"

struct session_spec {
    const struct nmapi_runtime *rt;
    const char *display_name;
    SIZE_T memory_limit;                    /* 0 = none */
    BOOL check_corruption;                  /* EXPERTHOST_FLAG_CHECK_CORRUPTION */
    const EXPERTSTARTUPINFO *startup;
    DWORD timeout_ms;                       /* INFINITE for none */
    DWORD grace_ms;
    DWORD teardown_timeout_ms;              /* the bound on reading the figures and destroying */
    /* Optional, on the runner's thread, once the key exists and before the call (configure
     * hands the stored configuration in here). FALSE abandons the session: the hook has
     * written a sentence into error, the key is destroyed, and expert_session_run fails. */
    BOOL (*before_call)(HEXPERTKEY key, void *arg, char *error, size_t error_size);
    /* The entry point call, on the guarded thread. */
    BOOL (*call)(HEXPERTKEY key, void *arg);
    /* Optional, on the runner's thread, when the call returned (TRUE or FALSE, told to
     * terminate or not; not when it crashed or was ended, which may leave a lock of the key
     * held): configure takes the configuration out here. */
    void (*after_return)(HEXPERTKEY key, const struct call_result *call, void *arg);
    /* Optional, whatever the outcome, just before the figures are read and the key destroyed,
     * inside the same bounded call: both commands free the configuration they handed in, so
     * it is not reported as left behind by the expert. */
    void (*before_destroy)(HEXPERTKEY key, void *arg);
    /* Optional, once the key is destroyed, before the report (run: closes the capture). */
    void (*after_session)(void *arg);
    void *arg;
    /* Optional, about every 100 ms while the call runs, with the expert's latest status. */
    void (*on_status)(const EXPERTSTATUS *status, void *ctx);
    void *status_ctx;
};

/* What became of the key's teardown (the figures read, then ExpertHostDestroyKey), made as a
 * guarded call of its own with a bound. */
enum teardown_outcome {
    TEARDOWN_DESTROYED,         /* destroyed: the figures and what it reclaimed are exact */
    TEARDOWN_KEY_ALREADY_GONE,  /* NMERR_INVALID_EXPERT_HANDLE: destroyed before the teardown
                                   (by whom, nmapi.dll cannot say: the expert holds the key) */
    TEARDOWN_REFUSED,           /* another NMERR (teardown_nmerr) */
    TEARDOWN_CRASHED,           /* the teardown raised an exception (teardown_call.exception_*) */
    TEARDOWN_TIMED_OUT          /* still running at the bound: a lock of nmapi.dll or of the
                                   process may have died with the expert's thread */
};

struct session_result {
    struct call_result call;            /* outcome, return value, exception, elapsed_ms */
    EXPERTSTATUS status;                /* the expert's last indicated status */
    EXPERTHOSTMEMORYSTATS stats;        /* the key's figures just before destruction */
    EXPERTHOSTMEMORYSTATS reclaimed;    /* what destroying the key freed */
    enum teardown_outcome teardown;
    DWORD teardown_nmerr;               /* ExpertHostDestroyKey's result (when it returned) */
    struct call_result teardown_call;   /* the teardown's own call: elapsed_ms, exception */
    volatile LONG events;               /* events the expert submitted (ExpertSubmitEvent) */
    char last_event[160];               /* the last one's name and description */
};

/* Runs the session. Returns FALSE, with error written, when the key or a thread could not be
 * created or before_call failed; everything the expert does is a result, not an error. */
BOOL expert_session_run(const struct session_spec *spec, struct session_result *result,
                        char *error, size_t error_size);

/* "destroyed", "key-already-gone", "refused", "crashed", "timed-out". */
const char *teardown_name(enum teardown_outcome teardown);

#endif
