/*
 * sigfix.so: makes qemu-user's signal delivery look like Linux's to 32-bit Wine.
 *
 * Where the kernel runs no 32-bit code, scripts/setup.sh runs the 32-bit Wine loader and
 * every 32-bit process it starts under qemu-i386 (see cmake/wine-run.sh). qemu-user delivers
 * a fault signal with two differences from Linux that Wine's i386 signal handlers notice:
 *   - sigcontext.trapno is -1: Wine picks the Windows exception from the trap number, so an
 *     access violation, a divide by zero or a stack overflow all became "Got unexpected
 *     trap -1" and EXCEPTION_ILLEGAL_INSTRUCTION;
 *   - the direction flag is left as the interrupted code had it: Linux clears it before a
 *     handler runs, and Wine's handlers (their memcpy) rely on that.
 * This object is preloaded into the 32-bit processes only (qemu's QEMU_SET_ENV puts
 * LD_PRELOAD in each 32-bit guest's environment; the object takes it out again at start, so
 * 64-bit children never see it). It interposes sigaction(): every handler installed goes in
 * through a wrapper that clears DF and, for fault signals whose trap number is -1, derives it
 * from si_signo and si_code as Linux would. On a context qemu filled in, nothing changes.
 *
 * Freestanding: built with `gcc -m32 -ffreestanding -nostdlib -shared`, because machines of
 * this kind have no 32-bit C library headers. The layouts below are glibc's i386 ABI.
 */

typedef unsigned int u32;

/* glibc's i386 struct sigaction: handler, 1024-bit mask, flags, restorer. */
struct glibc_sigaction {
    void *handler;
    u32 mask[32];
    int flags;
    void *restorer;
};

#define SA_SIGINFO   4
#define SIG_COUNT    65
#define SIGILL       4
#define SIGTRAP      5
#define SIGBUS       7
#define SIGFPE       8
#define SIGSEGV      11

/* si_code values (asm-generic/siginfo.h). */
#define SI_KERNEL    0x80
#define SEGV_MAPERR  1
#define SEGV_ACCERR  2
#define BUS_ADRALN   1
#define FPE_INTDIV   1
#define FPE_INTOVF   2
#define TRAP_TRACE   2

/* x86 trap numbers, as Linux stores them in sigcontext.trapno. */
#define TRAP_DIVIDE      0
#define TRAP_DEBUG       1
#define TRAP_BREAKPOINT  3
#define TRAP_OVERFLOW    4
#define TRAP_INVALID_OP  6
#define TRAP_GP_FAULT    13
#define TRAP_PAGE_FAULT  14
#define TRAP_X87         16
#define TRAP_ALIGNMENT   17

/* ucontext_t on i386: uc_flags, uc_link, uc_stack (12 bytes), then mcontext's gregs[19]. */
#define UC_GREGS_OFFSET 20
#define REG_TRAPNO      12

/* siginfo_t: si_signo, si_errno, si_code. */
struct siginfo_head { int signo, errno_, code; };

typedef void (*info_handler)(int, void *, void *);
typedef int (*sigaction_fn)(int, const struct glibc_sigaction *, struct glibc_sigaction *);

extern void *dlsym(void *handle, const char *name);
#define RTLD_NEXT ((void *)-1L)

static void *installed[SIG_COUNT];   /* what the program asked for, per signal */

static int linux_trapno(int sig, int code)
{
    switch (sig) {
    case SIGSEGV:
        return code == SI_KERNEL ? TRAP_GP_FAULT : TRAP_PAGE_FAULT;
    case SIGBUS:
        return code == BUS_ADRALN ? TRAP_ALIGNMENT : TRAP_PAGE_FAULT;
    case SIGFPE:
        if (code == FPE_INTDIV) return TRAP_DIVIDE;
        if (code == FPE_INTOVF) return TRAP_OVERFLOW;
        return TRAP_X87;
    case SIGILL:
        return TRAP_INVALID_OP;
    case SIGTRAP:
        return code == TRAP_TRACE ? TRAP_DEBUG : TRAP_BREAKPOINT;
    default:
        return -1;
    }
}

static void wrapper(int sig, void *info, void *uc)
{
    __asm__ volatile("cld" ::: "memory");
    int *gregs = (int *)((char *)uc + UC_GREGS_OFFSET);
    if (info && uc && gregs[REG_TRAPNO] == -1) {
        int trapno = linux_trapno(sig, ((struct siginfo_head *)info)->code);
        if (trapno >= 0) gregs[REG_TRAPNO] = trapno;
    }
    ((info_handler)installed[sig])(sig, info, uc);
}

static void plain_wrapper(int sig)
{
    __asm__ volatile("cld" ::: "memory");
    ((void (*)(int))installed[sig])(sig);
}

static int is_function(const void *handler)
{
    /* SIG_DFL is 0, SIG_IGN 1, SIG_ERR -1. */
    return handler != (void *)0 && handler != (void *)1 && handler != (void *)-1;
}

int sigaction(int sig, const struct glibc_sigaction *act, struct glibc_sigaction *old)
{
    static sigaction_fn real;
    if (!real) real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
    if (sig <= 0 || sig >= SIG_COUNT) return real(sig, act, old);

    struct glibc_sigaction mine;
    const struct glibc_sigaction *pass = act;
    void *before = installed[sig];
    if (act && is_function(act->handler)) {
        mine = *act;
        mine.handler = (act->flags & SA_SIGINFO) ? (void *)wrapper : (void *)plain_wrapper;
        installed[sig] = act->handler;
        pass = &mine;
    }
    int result = real(sig, pass, old);
    if (result != 0 && pass == &mine) installed[sig] = before;
    if (result == 0 && old && (old->handler == (void *)wrapper ||
                               old->handler == (void *)plain_wrapper))
        old->handler = before;
    return result;
}

/* glibc calls a shared object's constructors with (argc, argv, envp): drop LD_PRELOAD from
 * the environment so that 64-bit programs this process starts are not asked to preload a
 * 32-bit object. qemu puts it back for every 32-bit program started. */
__attribute__((constructor)) static void forget_preload(int argc, char **argv, char **envp)
{
    (void)argc; (void)argv;
    static const char name[] = "LD_PRELOAD=";
    char **out = envp;
    for (char **in = envp; in && *in; in++) {
        int i = 0;
        while (name[i] && (*in)[i] == name[i]) i++;
        if (name[i]) *out++ = *in;
    }
    if (envp) *out = 0;
}
