/*
 * guarded_call.h - runs one expert entry point on a thread of its own, so that whatever it
 * does, the runner survives and can still destroy the expert's key:
 *   - an exception the expert leaves unhandled (access violation, stack overflow, division by
 *     zero, ...) ends that thread, not the process, and is reported with its code and address.
 *     mingw's gcc has no __try/__except; the mechanism is the process's unhandled-exception
 *     filter: the expert's own handlers see the exception first, and only one that no handler
 *     takes reaches the filter, which redirects the faulting thread to exit on a clean stack;
 *   - after timeout_ms the on_timeout hook runs (the runner calls ExpertHostTerminate), then
 *     the expert has grace_ms to return; past that it is reported unresponsive and its thread
 *     is ended with TerminateThread.
 * One guarded call at a time per process (the runner runs one expert at a time).
 */
#ifndef NMEXPERT_GUARDED_CALL_H
#define NMEXPERT_GUARDED_CALL_H

#include <windows.h>

enum call_outcome {
    CALL_RETURNED,       /* the entry point returned; see returned */
    CALL_CRASHED,        /* an unhandled exception ended it; see exception_* */
    CALL_UNRESPONSIVE    /* it did not return within timeout + grace; its thread was ended */
};

struct guarded_call {
    /* In. */
    BOOL (*body)(void *arg);       /* the call to make, on the guarded thread */
    void *arg;
    DWORD timeout_ms;              /* INFINITE for none */
    DWORD grace_ms;                /* after on_timeout */
    void (*on_timeout)(void *ctx); /* optional */
    void (*on_tick)(void *ctx);    /* optional; about every 100 ms while the call runs */
    void *ctx;
    /* Out. */
    enum call_outcome outcome;
    BOOL returned;                 /* the body's return value (CALL_RETURNED) */
    BOOL timed_out;                /* on_timeout was called */
    DWORD exception_code;          /* CALL_CRASHED */
    void *exception_address;       /* CALL_CRASHED */
    DWORD elapsed_ms;              /* from the start of the call to its end (or abandonment) */
    /* Private. */
    DWORD thread_id;
    char *landing_stack;
    volatile LONG crashed;
};

/* Installs the unhandled-exception filter; call once at start-up, before any guarded call. */
void guarded_call_init(void);

/* Makes the call and fills the out members. Returns FALSE only when no thread could be
 * created (GetLastError tells why). */
BOOL guarded_call_run(struct guarded_call *call);

#endif
