/*
 * guarded_call.c - see guarded_call.h.
 *
 * How a crash ends only the expert's thread: the filter installed with
 * SetUnhandledExceptionFilter is called on the faulting thread once no frame handler took the
 * exception. For the guarded thread it records the exception, then rewrites the thread's
 * context so that, when the system resumes it, the thread runs crash_landing on a stretch of
 * stack reserved in guarded_thread's own frame (the faulting stack may be exhausted, as after
 * a stack overflow), and crash_landing exits the thread. The dead expert frames below are
 * simply abandoned; no lock of nmapi.dll is held there (nmapi.dll reads no expert pointer
 * while it holds one), so the runner can destroy the key afterwards. A non-continuable
 * exception cannot be resumed at all: the thread exits from inside the filter.
 */
#include "guarded_call.h"

#define CRASH_EXIT_CODE 0xDEADu
#define TICK_MS 100u
#define LANDING_STACK_BYTES 1024

static struct guarded_call *volatile current;
static LPTOP_LEVEL_EXCEPTION_FILTER previous_filter;

static void WINAPI crash_landing(void)
{
    ExitThread(CRASH_EXIT_CODE);
}

/* Points the context at crash_landing, with a stack pointer as a call would leave it. */
static void redirect_to_landing(CONTEXT *context, char *landing_stack)
{
    ULONG_PTR top = ((ULONG_PTR)(landing_stack + LANDING_STACK_BYTES / 2)) & ~(ULONG_PTR)15;
#ifdef _WIN64
    context->Rsp = top - 8;        /* a return address' worth below 16-byte alignment */
    context->Rip = (DWORD64)(ULONG_PTR)crash_landing;
#else
    context->Esp = (DWORD)(top - 4);
    context->Eip = (DWORD)(ULONG_PTR)crash_landing;
#endif
}

static LONG WINAPI on_unhandled_exception(EXCEPTION_POINTERS *ep)
{
    struct guarded_call *c = current;
    if (c && GetCurrentThreadId() == c->thread_id && !InterlockedExchange(&c->crashed, 1)) {
        c->exception_code = ep->ExceptionRecord->ExceptionCode;
        c->exception_address = ep->ExceptionRecord->ExceptionAddress;
        if (ep->ExceptionRecord->ExceptionFlags & EXCEPTION_NONCONTINUABLE)
            ExitThread(CRASH_EXIT_CODE);
        redirect_to_landing(ep->ContextRecord, c->landing_stack);
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return previous_filter ? previous_filter(ep) : EXCEPTION_CONTINUE_SEARCH;
}

void guarded_call_init(void)
{
    previous_filter = SetUnhandledExceptionFilter(on_unhandled_exception);
}

static DWORD WINAPI guarded_thread(void *arg)
{
    struct guarded_call *c = arg;
    char landing_stack[LANDING_STACK_BYTES];
    c->landing_stack = landing_stack;   /* published before the body can fault */
    MemoryBarrier();
    return c->body(c->arg) ? 1 : 0;
}

static DWORD elapsed_since(LARGE_INTEGER start)
{
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (DWORD)((now.QuadPart - start.QuadPart) * 1000 / frequency.QuadPart);
}

BOOL guarded_call_run(struct guarded_call *c)
{
    c->outcome = CALL_RETURNED;
    c->returned = FALSE;
    c->timed_out = FALSE;
    c->exception_code = 0;
    c->exception_address = NULL;
    c->crashed = 0;
    c->landing_stack = NULL;

    LARGE_INTEGER start;
    QueryPerformanceCounter(&start);
    current = c;
    HANDLE thread = CreateThread(NULL, 0, guarded_thread, c, CREATE_SUSPENDED, &c->thread_id);
    if (!thread) {
        current = NULL;
        return FALSE;
    }
    ResumeThread(thread);

    DWORD terminated_at = 0;
    for (;;) {
        DWORD elapsed = elapsed_since(start);
        DWORD wait = TICK_MS;
        if (!c->timed_out && c->timeout_ms != INFINITE)
            wait = elapsed >= c->timeout_ms ? 0 : min(wait, c->timeout_ms - elapsed);
        else if (c->timed_out)
            wait = elapsed - terminated_at >= c->grace_ms
                       ? 0 : min(wait, c->grace_ms - (elapsed - terminated_at));
        if (WaitForSingleObject(thread, wait) == WAIT_OBJECT_0)
            break;
        if (c->on_tick)
            c->on_tick(c->ctx);
        elapsed = elapsed_since(start);
        if (!c->timed_out && c->timeout_ms != INFINITE && elapsed >= c->timeout_ms) {
            c->timed_out = TRUE;
            terminated_at = elapsed;
            if (c->on_timeout)
                c->on_timeout(c->ctx);
        } else if (c->timed_out && elapsed - terminated_at >= c->grace_ms) {
            c->outcome = CALL_UNRESPONSIVE;
            TerminateThread(thread, CRASH_EXIT_CODE);
            WaitForSingleObject(thread, INFINITE);
            break;
        }
    }
    c->elapsed_ms = elapsed_since(start);

    DWORD exit_code = 0;
    GetExitCodeThread(thread, &exit_code);
    CloseHandle(thread);
    current = NULL;
    if (c->outcome != CALL_UNRESPONSIVE) {
        if (c->crashed)
            c->outcome = CALL_CRASHED;
        else
            c->returned = exit_code == 1;
    }
    return TRUE;
}
