/*
 * guarded_call.h - runs one piece of expert code (an entry point, or the LoadLibrary and
 * FreeLibrary that run its DllMain) on a thread of its own, so that whatever it does, the
 * runner survives and can still destroy the expert's key:
 *   - an exception the expert leaves unhandled (access violation, stack overflow, division by
 *     zero, ...) ends that thread, not the process, and is reported with its code and address.
 *     mingw's gcc has no __try/__except; the mechanism is a frame handler at the base of the
 *     thread (guarded_invoke), with the process's unhandled-exception filter as fallback: the
 *     expert's own handlers see the exception first, and only one that no handler takes
 *     reaches the guard, which redirects the faulting thread to exit on a clean stack;
 *   - every phase of the call has a deadline: the body runs until timeout_ms, then on_timeout
 *     is called (the runner calls ExpertHostTerminate) and the body has grace_ms more; past
 *     that it is reported unresponsive and its thread is ended with TerminateThread. A body
 *     that returned or crashed has EXIT_WAIT_MS for its thread to end; one whose exit is stuck
 *     (on a lock the expert took to its grave, the loader lock say) is left behind.
 * Any of these but a plain return marks the process poisoned: a lock of the C runtime, of the
 * process heap or of the loader may have died with the thread. An exception no guarded call
 * can take (on a thread the expert started itself, or on the runner's own) ends the process
 * at once with EXIT_CRASHED and one line on stderr. One body runs at a time (the runner runs
 * one expert at a time); prepared calls may wait beside it.
 */
#ifndef NMEXPERT_GUARDED_CALL_H
#define NMEXPERT_GUARDED_CALL_H

#include <windows.h>

/* "module.dll+0x1234" with a module name of up to MAX_PATH characters in UTF-8. */
#define NMEXPERT_WHERE_BYTES (MAX_PATH * 3 + 24)

enum call_outcome {
    CALL_RETURNED,       /* the body returned; see value */
    CALL_EXITED,         /* its thread ended without returning (the expert called ExitThread) */
    CALL_CRASHED,        /* an unhandled exception ended it; see exception_* */
    CALL_UNRESPONSIVE    /* it did not return within timeout + grace; its thread was ended */
};

struct call_spec {
    BOOL (*body)(void *arg);       /* the call to make, on the guarded thread */
    void *arg;
    DWORD timeout_ms;              /* INFINITE for none */
    DWORD grace_ms;                /* after on_timeout; 0 ends the thread at the timeout */
    void (*on_timeout)(void *ctx); /* optional */
    void (*on_tick)(void *ctx);    /* optional; about every 100 ms while the body runs */
    void *ctx;
    /* Record the first exception raised on the thread, handled or not (first_exception_*):
     * for DllMain, whose exceptions the loader itself may catch and hide. */
    BOOL watch_exceptions;
};

struct call_result {
    enum call_outcome outcome;
    BOOL value;                    /* what the body returned, as it returned it (CALL_RETURNED) */
    BOOL told_to_terminate;        /* on_timeout was called before the body returned */
    BOOL left_behind;              /* it returned or crashed, but its thread could not end */
    DWORD exception_code;          /* CALL_CRASHED */
    void *exception_address;
    char exception_where[NMEXPERT_WHERE_BYTES];   /* "module.dll+0x1234", told when it happened:
                                                     the module may be gone by the report */
    DWORD first_exception_code;    /* watch_exceptions: 0 when none was raised */
    void *first_exception_address;
    char first_exception_where[NMEXPERT_WHERE_BYTES];
    DWORD elapsed_ms;              /* from the start of the body to its end (or abandonment) */
};

/* A thread waiting to make one call; opaque. */
struct guarded_call;

/* Installs the unhandled-exception filter and the exception watch; call once at start-up. */
void guarded_call_init(void);

/* Starts a thread for spec now and returns once it runs (or after START_WAIT_MS, when
 * something blocks every thread's start), the thread waiting for guarded_call_run: a thread
 * started before an expert runs has done what starting takes (the loader lock, the process
 * heap) and cannot be held up there by a lock the expert dies holding. NULL when no thread
 * could be created (GetLastError tells why) or too many calls are prepared at once. */
struct guarded_call *guarded_call_prepare(const struct call_spec *spec);

/* Makes the prepared call, fills result and releases call. */
void guarded_call_run(struct guarded_call *call, struct call_result *result);

/* Prepares and runs spec. FALSE only when no thread could be created. */
BOOL guarded_call(const struct call_spec *spec, struct call_result *result);

/* TRUE once a guarded call crashed, exited its thread, was ended or was left behind: a lock of
 * the C runtime, of the process heap or of the loader may have died with it, so the runner
 * relies on none of them again (it prints with out.h, loads and unloads nothing, and ends with
 * TerminateProcess). */
BOOL guarded_call_poisoned(void);

#endif
