/*
 * guarded_call.S - plat_call_guarded (platform.h): fn(arg) under a frame handler that clears
 * *mark when an exception raised inside fn is caught above and the frame is unwound. The
 * handler, plat_guarded_unwind (guarded_unwind.c), is told where *mark is kept in the frame.
 */
#if defined(__x86_64__)
/* void plat_call_guarded(fn: rcx, arg: rdx, mark: r8). The handler runs only while unwinding
 * (@unwind): the search for a handler passes this frame by. EstablisherFrame is rsp after the
 * prologue; mark is kept at EstablisherFrame + 32, above the callee's 32 bytes of home space. */
    .text
    .globl plat_call_guarded
    .def plat_call_guarded; .scl 2; .type 32; .endef
    .seh_proc plat_call_guarded
    .seh_handler plat_guarded_unwind, @unwind
plat_call_guarded:
    subq $40, %rsp
    .seh_stackalloc 40
    .seh_endprologue
    movq %r8, 32(%rsp)
    movq %rcx, %rax
    movq %rdx, %rcx
    callq *%rax
    nop                         /* the return address stays inside this function's range */
    addq $40, %rsp
    ret
    .seh_endproc

#elif defined(__i386__)
/* void __cdecl plat_call_guarded(fn, arg, mark). A registration record on the stack, linked
 * first on the thread's fs:0 chain for the duration of the call: { previous, handler, mark }. */
    .text
    .globl _plat_call_guarded
    .def _plat_call_guarded; .scl 2; .type 32; .endef
_plat_call_guarded:
    pushl %ebp
    movl %esp, %ebp
    pushl 16(%ebp)              /* record + 8: mark */
    pushl $_plat_guarded_unwind /* record + 4: handler */
    pushl %fs:0                 /* record + 0: the previous registration */
    movl %esp, %fs:0
    pushl 12(%ebp)
    calll *8(%ebp)
    movl -12(%ebp), %ecx        /* unlink: fs:0 = record->previous */
    movl %ecx, %fs:0
    movl %ebp, %esp
    popl %ebp
    ret
#else
#error "plat_call_guarded: x86_64 or i686 only"
#endif
