/*
 * guarded_call.h - runs one expert entry point on a thread of its own, so that whatever it
 * does, the runner survives and can still destroy the expert's key:
 *   - an exception the expert leaves unhandled (access violation, stack overflow, division by
 *     zero, ...) ends that thread, not the process, and is reported with its code and address.
 *     mingw's gcc has no __try/__except; the mechanism is a frame handler at the base of the
 *     thread (guarded_invoke), with the process's unhandled-exception filter as fallback: the
 *     expert's own handlers see the exception first, and only one that no handler takes
 *     reaches the guard, which redirects the faulting thread to exit on a clean stack;
 *   - after timeout_ms the on_timeout hook runs (the runner calls ExpertHostTerminate) - unless
 *     the call has returned by then - and the expert has grace_ms to return; past that it is
 *     reported unresponsive and its thread is ended with TerminateThread.
 * A thread that has returned or crashed gets a second to end; one that cannot (its exit waits
 * for a lock the expert took to its grave, the loader lock say) is left behind and the process
 * is marked poisoned. An exception no guarded call can take (on a thread the expert started itself, or on the
 * runner's own) ends the process at once with EXIT_CRASHED and one line on stderr: nothing
 * else can be trusted then. One guarded call runs at a time (the runner runs one expert at a
 * time); a prepared call's thread may wait beside it.
 */
#ifndef NMEXPERT_GUARDED_CALL_H
#define NMEXPERT_GUARDED_CALL_H

#include <windows.h>

enum call_outcome {
    CALL_RETURNED,       /* the entry point returned; see returned */
    CALL_EXITED,         /* its thread ended without returning (the expert called ExitThread) */
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
    BOOL timed_out;                /* on_timeout was called: told to terminate before returning */
    DWORD exception_code;          /* CALL_CRASHED */
    void *exception_address;       /* CALL_CRASHED */
    DWORD elapsed_ms;              /* from the start of the call to its end (or abandonment) */
    /* Private. */
    HANDLE thread;
    HANDLE go;                     /* set by guarded_call_run */
    DWORD thread_id;
    char *landing_stack;
    volatile LONG in_body;         /* 1 while the body runs: the only time a crash is taken */
    volatile LONG body_returned;   /* 1 once the body returned */
    void *seh_outer;               /* i686: the fs:[0] chain below the guard, for the landing */
    volatile LONG done;            /* 0 running; 1 the body returned; 2 told to terminate first */
    volatile LONG crashed;
    BOOL body_result;
};

/* Installs the unhandled-exception filter; call once at start-up. */
void guarded_call_init(void);

/* Starts the call's thread now, waiting for guarded_call_run: a thread started before an
 * expert runs has done what starting takes (the loader lock, the process heap) and cannot be
 * held up there by a lock the expert dies holding. Optional; guarded_call_run prepares an
 * unprepared call. FALSE when no thread could be created (GetLastError tells why). */
BOOL guarded_call_prepare(struct guarded_call *call);

/* Makes the call and fills the out members. FALSE only when no thread could be created. */
BOOL guarded_call_run(struct guarded_call *call);

/* TRUE once a guarded call crashed, exited its thread or was ended: a lock of the C runtime or
 * of the process heap may have died with it, so the runner must not rely on either again (it
 * prints with out.h and ends with TerminateProcess). */
BOOL guarded_call_poisoned(void);

#endif
