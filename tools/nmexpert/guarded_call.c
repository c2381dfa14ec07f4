/*
 * guarded_call.c - see guarded_call.h.
 *
 * How a crash ends only the expert's thread: the body runs inside guarded_invoke, whose frame
 * handler (guard_frame_handler) is reached by an exception no frame of the expert took; the
 * process's unhandled-exception filter is the fallback. For a guarded thread whose body runs,
 * either records the exception, then rewrites the thread's context so that, when the system
 * resumes it, the thread runs crash_landing on a stretch of stack reserved in guarded_thread's
 * own frame (the faulting stack may be exhausted, as after a stack overflow), with the
 * direction flag clear and the default floating-point control words (the expert may have left
 * them in any state), and crash_landing exits the thread. The dead expert frames below are
 * abandoned; nmapi.dll writes and reads expert pointers only while it holds no lock or
 * reference of a key, so the runner can destroy the key afterwards. A non-continuable
 * exception cannot be resumed at all: the thread exits from inside the handler.
 *
 * Who decides what: one phase per call, moved with compare-and-swap. The runner moves RUNNING
 * to TOLD at the timeout and only then calls on_timeout; the thread moves RUNNING or TOLD to
 * RETURNED when the body returns; the guard moves them to CRASHED. So a body that returned at
 * the very moment of its timeout is either told or returned, never both.
 */
#include "guarded_call.h"

#include <stdio.h>

#include "out.h"
#include "outcome.h"

#define CRASH_EXIT_CODE 0xDEADu
#define TICK_MS 100u
#define LANDING_STACK_BYTES 1024
#define EXIT_WAIT_MS 1000u         /* for a thread whose body has returned or crashed to end */
#define START_WAIT_MS 2000u        /* for a prepared thread to be running (guarded_call_prepare) */
#define MAX_CALLS 8                /* prepared or running at once, left-behind ones included */

/* What a fresh call expects of the processor's state. */
#define EFLAGS_DF 0x400u           /* direction flag: string instructions go backwards */
#define MXCSR_DEFAULT 0x1F80u      /* SSE: every exception masked, round to nearest */
#define X87_CONTROL_DEFAULT 0x27Fu /* x87: exceptions masked, 53-bit precision (Windows') */
#define FXSAVE_MXCSR_OFFSET 24     /* MXCSR inside the FXSAVE area (i686 ExtendedRegisters) */

enum call_phase {
    PHASE_FREE,        /* the slot holds no call */
    PHASE_WAITING,     /* prepared: the thread waits for go */
    PHASE_RUNNING,     /* the body runs; deadline: timeout_ms */
    PHASE_TOLD,        /* on_timeout was called; deadline: grace_ms later */
    PHASE_RETURNED,    /* the body returned; deadline: its thread's exit, EXIT_WAIT_MS */
    PHASE_CRASHED      /* the guard took an exception; deadline: as RETURNED */
};

struct guarded_call {
    struct call_spec spec;
    volatile LONG phase;               /* enum call_phase */
    HANDLE thread;
    HANDLE go;
    volatile LONG started;             /* set by the thread once it runs: its start is done */
    DWORD thread_id;
    char *landing_stack;               /* in guarded_thread's frame, published before the body */
    void *seh_outer;                   /* i686: the fs:[0] chain below the guard */
    BOOL value;                        /* the body's return value, once RETURNED */
    DWORD exception_code;              /* once CRASHED */
    void *exception_address;
    char exception_where[NMEXPERT_WHERE_BYTES];
    volatile LONG first_exception_code;/* watch_exceptions */
    void *first_exception_address;
    char first_exception_where[NMEXPERT_WHERE_BYTES];
};

static struct guarded_call calls[MAX_CALLS];
static volatile LONG poisoned;

/* The runner's handles survive an expert that closes every handle of the process. */
static void protect(HANDLE h, BOOL on)
{
    SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, on ? HANDLE_FLAG_PROTECT_FROM_CLOSE : 0);
}

static void close_protected(HANDLE h)
{
    protect(h, FALSE);
    CloseHandle(h);
}

static BOOL in_body(LONG phase)
{
    return phase == PHASE_RUNNING || phase == PHASE_TOLD;
}

/* The call whose thread this is, or NULL. */
static struct guarded_call *call_of_this_thread(void)
{
    DWORD id = GetCurrentThreadId();
    for (int i = 0; i < MAX_CALLS; i++)
        if (calls[i].phase != PHASE_FREE && calls[i].thread_id == id)
            return &calls[i];
    return NULL;
}

static void WINAPI crash_landing(void)
{
#ifndef _WIN64
    /* The fs:[0] chain still points into the abandoned frames: cut it back to what lay below
     * the guard before ExitThread's own calls grow the stack over those records. */
    void *outer = call_of_this_thread()->seh_outer;
    __asm__ volatile("movl %0, %%fs:0" : : "r"(outer) : "memory");
#endif
    ExitThread(CRASH_EXIT_CODE);
}

/* Points the context at crash_landing, with a stack pointer as a call would leave it and the
 * flags and floating-point state a fresh call expects. */
static void redirect_to_landing(CONTEXT *context, char *landing_stack)
{
    ULONG_PTR top = ((ULONG_PTR)(landing_stack + LANDING_STACK_BYTES / 2)) & ~(ULONG_PTR)15;
    context->EFlags &= ~EFLAGS_DF;
    /* A zero return address, where a stack walk from inside ExitThread must stop. */
    *(ULONG_PTR *)(top - sizeof(ULONG_PTR)) = 0;
#ifdef _WIN64
    context->Rsp = top - 8;                       /* a return address' worth below alignment */
    context->Rip = (DWORD64)(ULONG_PTR)crash_landing;
    context->MxCsr = MXCSR_DEFAULT;
    context->FltSave.MxCsr = MXCSR_DEFAULT;
    context->FltSave.ControlWord = X87_CONTROL_DEFAULT;
#else
    context->Esp = (DWORD)(top - 4);
    context->Eip = (DWORD)(ULONG_PTR)crash_landing;
    context->FloatSave.ControlWord = X87_CONTROL_DEFAULT;
    if ((context->ContextFlags & CONTEXT_EXTENDED_REGISTERS) == CONTEXT_EXTENDED_REGISTERS)
        *(DWORD *)(context->ExtendedRegisters + FXSAVE_MXCSR_OFFSET) = MXCSR_DEFAULT;
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
    struct guarded_call *c = call_of_this_thread();
    LONG phase;
    do {
        if (!c || !in_body(phase = c->phase))
            return FALSE;
    } while (InterlockedCompareExchange(&c->phase, PHASE_CRASHED, phase) != phase);
    c->exception_code = record->ExceptionCode;
    c->exception_address = record->ExceptionAddress;
    describe_code_address(record->ExceptionAddress, c->exception_where,
                          sizeof c->exception_where);
    InterlockedExchange(&poisoned, 1);
    if (record->ExceptionFlags & EXCEPTION_NONCONTINUABLE)
        ExitThread(CRASH_EXIT_CODE);
    redirect_to_landing(context, c->landing_stack);
    return TRUE;
}

/* First in line for every exception of the process: notes the first one raised on a watched
 * call's thread, then lets the search go on as if it were not here. */
static LONG WINAPI watch_exception(EXCEPTION_POINTERS *ep)
{
    struct guarded_call *c = call_of_this_thread();
    if (c && c->spec.watch_exceptions && in_body(c->phase) &&
        InterlockedCompareExchange(&c->first_exception_code,
                                   (LONG)ep->ExceptionRecord->ExceptionCode, 0) == 0) {
        c->first_exception_address = ep->ExceptionRecord->ExceptionAddress;
        describe_code_address(c->first_exception_address, c->first_exception_where,
                              sizeof c->first_exception_where);
    }
    return EXCEPTION_CONTINUE_SEARCH;
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
    static void *watch;
    SetUnhandledExceptionFilter(on_unhandled_exception);
    if (!watch)
        watch = AddVectoredExceptionHandler(1, watch_exception);
}

BOOL guarded_call_poisoned(void)
{
    return poisoned != 0;
}

static DWORD WINAPI guarded_thread(void *arg)
{
    struct guarded_call *c = arg;
    InterlockedExchange(&c->started, 1);
    WaitForSingleObject(c->go, INFINITE);
    char landing_stack[LANDING_STACK_BYTES];
    c->landing_stack = landing_stack;
#ifndef _WIN64
    __asm__ volatile("movl %%fs:0, %0" : "=r"(c->seh_outer));
#endif
    MemoryBarrier();                     /* both published before the body can fault */
    BOOL value = guarded_invoke(c->spec.body, c->spec.arg);
    c->value = value;
    if (InterlockedCompareExchange(&c->phase, PHASE_RETURNED, PHASE_RUNNING) != PHASE_RUNNING)
        InterlockedCompareExchange(&c->phase, PHASE_RETURNED, PHASE_TOLD);
    return 0;
}

static ULONGLONG elapsed_since(LARGE_INTEGER start)
{
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (ULONGLONG)(now.QuadPart - start.QuadPart) * 1000u / (ULONGLONG)frequency.QuadPart;
}

struct guarded_call *guarded_call_prepare(const struct call_spec *spec)
{
    struct guarded_call *c = NULL;
    for (int i = 0; i < MAX_CALLS && !c; i++)
        if (InterlockedCompareExchange(&calls[i].phase, PHASE_WAITING, PHASE_FREE) == PHASE_FREE)
            c = &calls[i];
    if (!c) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    c->spec = *spec;
    c->value = FALSE;
    c->exception_code = 0;
    c->exception_address = NULL;
    c->first_exception_code = 0;
    c->first_exception_address = NULL;
    c->landing_stack = NULL;
    c->thread = NULL;
    c->thread_id = 0;
    c->started = 0;
    if ((c->go = CreateEventW(NULL, TRUE, FALSE, NULL)))
        c->thread = CreateThread(NULL, 0, guarded_thread, c, 0, &c->thread_id);
    if (!c->thread) {
        DWORD code = GetLastError();
        if (c->go)
            CloseHandle(c->go);
        InterlockedExchange(&c->phase, PHASE_FREE);
        SetLastError(code);
        return NULL;
    }
    protect(c->go, TRUE);
    protect(c->thread, TRUE);
    /* Until the thread runs, its start (DLL_THREAD_ATTACH, under the loader lock) is still to
     * come. Bounded: a DllMain that blocks every thread's start is the call's to report. */
    LARGE_INTEGER start;
    QueryPerformanceCounter(&start);
    for (unsigned spin = 0; !InterlockedCompareExchange(&c->started, 0, 0) &&
                            elapsed_since(start) < START_WAIT_MS; spin++)
        spin < 64 ? SwitchToThread() : Sleep(1);
    return c;
}

/* The deadline of the phase the call is in, in ms from its start (ULLONG_MAX: none). */
static ULONGLONG deadline_of(const struct guarded_call *c, LONG phase, ULONGLONG told_at,
                             ULONGLONG settled_at)
{
    switch (phase) {
    case PHASE_RUNNING:
        return c->spec.timeout_ms == INFINITE ? ~0ull : c->spec.timeout_ms;
    case PHASE_TOLD:
        return told_at + c->spec.grace_ms;
    default:
        return settled_at + EXIT_WAIT_MS;
    }
}

/* Ends the expert's thread wherever it is. Suspended first: Windows completes a system call
 * before it ends a thread, but Wine does not, and a thread it ends inside VirtualAlloc leaves
 * Wine's virtual-memory lock held for ever; Wine suspends a thread only outside its system
 * calls, and GetThreadContext returns once the thread is suspended. */
static void end_thread(HANDLE thread)
{
    CONTEXT context;
    memset(&context, 0, sizeof context);
    context.ContextFlags = CONTEXT_CONTROL;
    if (SuspendThread(thread) != (DWORD)-1)
        GetThreadContext(thread, &context);
    TerminateThread(thread, CRASH_EXIT_CODE);
}

void guarded_call_run(struct guarded_call *c, struct call_result *r)
{
    memset(r, 0, sizeof *r);
    guarded_call_init();                 /* again: an expert's DllMain may have replaced it */
    LARGE_INTEGER start;
    QueryPerformanceCounter(&start);
    InterlockedExchange(&c->phase, PHASE_RUNNING);
    SetEvent(c->go);

    ULONGLONG told_at = 0, settled_at = ~0ull;
    BOOL ended = FALSE;                  /* the thread is gone */
    BOOL terminated = FALSE;             /* by the runner, at the end of the grace period */
    while (!ended) {
        LONG phase = c->phase;
        ULONGLONG now = elapsed_since(start);
        if (!in_body(phase) && settled_at == ~0ull)
            settled_at = now;
        ULONGLONG deadline = deadline_of(c, phase, told_at, settled_at);
        if (now >= deadline) {
            if (phase == PHASE_RUNNING) {
                if (InterlockedCompareExchange(&c->phase, PHASE_TOLD, PHASE_RUNNING) ==
                    PHASE_RUNNING) {
                    r->told_to_terminate = TRUE;
                    told_at = now;
                    if (c->spec.on_timeout)
                        c->spec.on_timeout(c->spec.ctx);
                }
            } else if (phase == PHASE_TOLD) {
                end_thread(c->thread);
                WaitForSingleObject(c->thread, INFINITE);
                terminated = ended = TRUE;
            } else {
                r->left_behind = TRUE;   /* returned or crashed, and its exit is stuck */
                break;
            }
            continue;
        }
        ULONGLONG left = deadline - now;
        ended = WaitForSingleObject(c->thread, left < TICK_MS ? (DWORD)left : TICK_MS) ==
                WAIT_OBJECT_0;
        if (!ended && in_body(c->phase) && c->spec.on_tick)
            c->spec.on_tick(c->spec.ctx);
    }
    r->elapsed_ms = (DWORD)elapsed_since(start);

    LONG phase = c->phase;
    if (phase == PHASE_CRASHED)
        r->outcome = CALL_CRASHED;
    else if (terminated)
        r->outcome = CALL_UNRESPONSIVE;
    else if (in_body(phase))
        r->outcome = CALL_EXITED;        /* the thread ended inside the body */
    else
        r->outcome = CALL_RETURNED;
    r->value = r->outcome == CALL_RETURNED ? c->value : FALSE;
    r->exception_code = c->exception_code;
    r->exception_address = c->exception_address;
    r->first_exception_code = (DWORD)c->first_exception_code;
    r->first_exception_address = c->first_exception_address;
    if (phase == PHASE_CRASHED)
        memcpy(r->exception_where, c->exception_where, sizeof r->exception_where);
    if (r->first_exception_code)
        memcpy(r->first_exception_where, c->first_exception_where,
               sizeof r->first_exception_where);
    if (r->outcome != CALL_RETURNED || r->left_behind)
        InterlockedExchange(&poisoned, 1);

    close_protected(c->go);
    close_protected(c->thread);
    /* A left-behind thread may still run crash_landing's or its exit's code: its slot stays. */
    if (!r->left_behind)
        InterlockedExchange(&c->phase, PHASE_FREE);
}

BOOL guarded_call(const struct call_spec *spec, struct call_result *result)
{
    struct guarded_call *c = guarded_call_prepare(spec);
    if (!c)
        return FALSE;
    guarded_call_run(c, result);
    return TRUE;
}
