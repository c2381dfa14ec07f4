/*
 * guarded_call.c - see guarded_call.h.
 *
 * How a crash ends only the expert's thread: the body runs inside guarded_invoke, whose frame
 * handler (guard_frame_handler) is reached by an exception no frame of the expert took; the
 * process's unhandled-exception filter is the fallback. For the guarded thread, while its body
 * runs, either records the exception, then
 * rewrites the thread's context so that, when the system resumes it, the thread runs
 * crash_landing on a stretch of stack reserved in guarded_thread's own frame (the faulting
 * stack may be exhausted, as after a stack overflow), with the direction flag clear and the
 * default floating-point control words (the expert may have left them in any state), and
 * crash_landing exits the thread. The dead expert frames below are abandoned; nmapi.dll writes
 * and reads expert pointers only while it holds no lock or reference of a key, so the runner
 * can destroy the key afterwards. A non-continuable exception cannot be resumed at all: the
 * thread exits from inside the filter.
 *
 * Returned versus told to terminate: the thread moves `done` from 0 to 1 when the body returns;
 * the runner, at the timeout, moves it from 0 to 2 and only then calls on_timeout - so an
 * expert that returned at that very moment is not reported as terminated.
 */
#include "guarded_call.h"

#include <stdio.h>

#include "out.h"
#include "outcome.h"

#define CRASH_EXIT_CODE 0xDEADu
#define TICK_MS 100u
#define LANDING_STACK_BYTES 1024
#define EXIT_WAIT_MS 1000u         /* for a thread whose body has returned or crashed to end */

static struct guarded_call *volatile current;
static volatile LONG poisoned;

static void WINAPI crash_landing(void)
{
#ifndef _WIN64
    /* The fs:[0] chain still points into the abandoned frames: cut it back to what lay below
     * the guard before ExitThread's own calls grow the stack over those records. */
    void *outer = current->seh_outer;
    __asm__ volatile("movl %0, %%fs:0" : : "r"(outer) : "memory");
#endif
    ExitThread(CRASH_EXIT_CODE);
}

/* Points the context at crash_landing, with a stack pointer as a call would leave it and the
 * flags and floating-point state a fresh call expects. */
static void redirect_to_landing(CONTEXT *context, char *landing_stack)
{
    ULONG_PTR top = ((ULONG_PTR)(landing_stack + LANDING_STACK_BYTES / 2)) & ~(ULONG_PTR)15;
    context->EFlags &= ~0x400u;                   /* DF: string instructions go forwards */
    /* A zero return address, where a stack walk from inside ExitThread must stop. */
    *(ULONG_PTR *)(top - sizeof(ULONG_PTR)) = 0;
#ifdef _WIN64
    context->Rsp = top - 8;                       /* a return address' worth below alignment */
    context->Rip = (DWORD64)(ULONG_PTR)crash_landing;
    context->MxCsr = 0x1F80;
    context->FltSave.MxCsr = 0x1F80;
    context->FltSave.ControlWord = 0x27F;
#else
    context->Esp = (DWORD)(top - 4);
    context->Eip = (DWORD)(ULONG_PTR)crash_landing;
    context->FloatSave.ControlWord = 0x27F;
    if ((context->ContextFlags & CONTEXT_EXTENDED_REGISTERS) == CONTEXT_EXTENDED_REGISTERS)
        *(DWORD *)(context->ExtendedRegisters + 24) = 0x1F80;   /* MXCSR in the FXSAVE area */
#endif
}

/* An exception no guarded call can take: say so on stderr, end the process. */
static void end_process(const EXCEPTION_RECORD *record)
{
    char where[MAX_PATH + 32], line[MAX_PATH + 200];
    out_flush(OUT_STDERR);                        /* what was said before, then this */
    describe_code_address(record->ExceptionAddress, where, sizeof where);
    int n = snprintf(line, sizeof line, "nmexpert: exception 0x%08lX at %s on a thread the "
                     "runner does not guard (one the expert started itself?); the process "
                     "cannot go on\n", (unsigned long)record->ExceptionCode, where);
    DWORD written;
    if (n > 0)
        WriteFile(GetStdHandle(STD_ERROR_HANDLE), line, (DWORD)n, &written, NULL);
    TerminateProcess(GetCurrentProcess(), EXIT_CRASHED);
}

/* Takes an exception for the guarded call running on this thread, if there is one and its
 * body is running: records it and sends the thread to crash_landing. FALSE otherwise. */
static BOOL take_crash(EXCEPTION_RECORD *record, CONTEXT *context)
{
    struct guarded_call *c = current;
    if (!c || GetCurrentThreadId() != c->thread_id || !c->in_body ||
        InterlockedExchange(&c->crashed, 1))
        return FALSE;
    c->exception_code = record->ExceptionCode;
    c->exception_address = record->ExceptionAddress;
    InterlockedExchange(&poisoned, 1);
    if (record->ExceptionFlags & EXCEPTION_NONCONTINUABLE)
        ExitThread(CRASH_EXIT_CODE);
    redirect_to_landing(context, c->landing_stack);
    return TRUE;
}

/* The frame handler at the base of the guarded thread (guarded_invoke): reached by an
 * exception that every frame of the expert let pass, before any unhandled-exception filter -
 * so an expert that installs a filter of its own cannot take the guard away. */
EXCEPTION_DISPOSITION guard_frame_handler(EXCEPTION_RECORD *record, void *frame,
                                          CONTEXT *context, void *dispatcher)
{
    (void)frame; (void)dispatcher;
    if (record->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND))
        return ExceptionContinueSearch;
    return take_crash(record, context) ? ExceptionContinueExecution : ExceptionContinueSearch;
}

/* The last resort, for every thread: the guarded one if its frame handler was somehow not
 * reached; any other one ends the process. */
static LONG WINAPI on_unhandled_exception(EXCEPTION_POINTERS *ep)
{
    if (take_crash(ep->ExceptionRecord, ep->ContextRecord))
        return EXCEPTION_CONTINUE_EXECUTION;
    end_process(ep->ExceptionRecord);
    return EXCEPTION_CONTINUE_SEARCH;             /* not reached */
}

#ifndef _WIN64
/* i686: guard_frame_handler registered on the fs:[0] chain around the body. */
struct seh_registration {
    struct seh_registration *next;
    void *handler;
};

static BOOL guarded_invoke(BOOL (*body)(void *), void *arg)
{
    struct seh_registration record = { NULL, (void *)guard_frame_handler };
    __asm__ volatile("movl %%fs:0, %0" : "=r"(record.next));
    __asm__ volatile("movl %0, %%fs:0" : : "r"(&record) : "memory");
    BOOL result = body(arg);
    __asm__ volatile("movl %0, %%fs:0" : : "r"(record.next) : "memory");
    return result;
}
#else
/* x86_64: guard_x86_64.S, a frame whose unwind information names guard_frame_handler. */
BOOL guarded_invoke(BOOL (*body)(void *), void *arg);
#endif

void guarded_call_init(void)
{
    SetUnhandledExceptionFilter(on_unhandled_exception);
}

BOOL guarded_call_poisoned(void)
{
    return poisoned != 0;
}

static DWORD WINAPI guarded_thread(void *arg)
{
    struct guarded_call *c = arg;
    WaitForSingleObject(c->go, INFINITE);
    char landing_stack[LANDING_STACK_BYTES];
    c->landing_stack = landing_stack;   /* published before the body can fault */
#ifndef _WIN64
    __asm__ volatile("movl %%fs:0, %0" : "=r"(c->seh_outer));
#endif
    InterlockedExchange(&c->in_body, 1);
    BOOL result = guarded_invoke(c->body, c->arg);
    InterlockedExchange(&c->in_body, 0);
    InterlockedExchange(&c->body_returned, 1);
    c->body_result = result;
    InterlockedCompareExchange(&c->done, 1, 0);
    return 0;
}

static DWORD elapsed_since(LARGE_INTEGER start)
{
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (DWORD)((now.QuadPart - start.QuadPart) * 1000 / frequency.QuadPart);
}

BOOL guarded_call_prepare(struct guarded_call *c)
{
    if (c->thread)
        return TRUE;
    if (!(c->go = CreateEventA(NULL, TRUE, FALSE, NULL)))
        return FALSE;
    c->thread = CreateThread(NULL, 0, guarded_thread, c, 0, &c->thread_id);
    if (!c->thread) {
        CloseHandle(c->go);
        c->go = NULL;
    }
    return c->thread != NULL;
}

BOOL guarded_call_run(struct guarded_call *c)
{
    c->outcome = CALL_RETURNED;
    c->returned = c->timed_out = c->body_result = FALSE;
    c->exception_code = 0;
    c->exception_address = NULL;
    c->in_body = c->body_returned = c->done = c->crashed = 0;
    c->landing_stack = NULL;
    if (!guarded_call_prepare(c))
        return FALSE;

    guarded_call_init();                 /* again: an expert's DllMain may have replaced it */
    LARGE_INTEGER start;
    QueryPerformanceCounter(&start);
    current = c;
    SetEvent(c->go);

    DWORD timeout = c->timeout_ms;       /* INFINITE once the body returned first */
    DWORD told_at = 0, settled_at = 0;
    BOOL abandoned = FALSE, settled = FALSE, left_behind = FALSE;
    for (;;) {
        DWORD elapsed = elapsed_since(start);
        DWORD wait = TICK_MS;
        if (!settled && (c->body_returned || c->crashed)) {
            settled = TRUE;                      /* from now on, only its exit is awaited */
            settled_at = elapsed;
        }
        if (settled) {
            if (elapsed - settled_at >= EXIT_WAIT_MS) {
                left_behind = TRUE;              /* its exit is stuck: leave it */
                break;
            }
            if (WaitForSingleObject(c->thread, min(wait, EXIT_WAIT_MS - (elapsed - settled_at))) ==
                WAIT_OBJECT_0)
                break;
            continue;
        }
        if (!c->timed_out && timeout != INFINITE)
            wait = elapsed >= timeout ? 0 : min(wait, timeout - elapsed);
        else if (c->timed_out)
            wait = elapsed - told_at >= c->grace_ms
                       ? 0 : min(wait, c->grace_ms - (elapsed - told_at));
        if (WaitForSingleObject(c->thread, wait) == WAIT_OBJECT_0)
            break;
        if (c->on_tick)
            c->on_tick(c->ctx);
        elapsed = elapsed_since(start);
        if (!c->timed_out && timeout != INFINITE && elapsed >= timeout) {
            told_at = elapsed;
            /* Only if the body has not returned in the meantime. */
            c->timed_out = InterlockedCompareExchange(&c->done, 2, 0) == 0;
            if (c->timed_out && c->on_timeout)
                c->on_timeout(c->ctx);
            if (!c->timed_out)
                timeout = INFINITE;              /* returned: just wait for its thread */
        } else if (c->timed_out && elapsed - told_at >= c->grace_ms) {
            abandoned = TRUE;
            TerminateThread(c->thread, CRASH_EXIT_CODE);
            WaitForSingleObject(c->thread, INFINITE);
            break;
        }
    }
    c->elapsed_ms = elapsed_since(start);
    CloseHandle(c->thread);
    CloseHandle(c->go);
    c->thread = c->go = NULL;
    current = NULL;

    if (c->crashed)
        c->outcome = CALL_CRASHED;
    else if (abandoned)
        c->outcome = CALL_UNRESPONSIVE;
    else if (c->in_body)
        c->outcome = CALL_EXITED;               /* the thread ended inside the body */
    else
        c->returned = c->body_result;
    if (c->outcome != CALL_RETURNED || left_behind)
        InterlockedExchange(&poisoned, 1);
    return TRUE;
}
