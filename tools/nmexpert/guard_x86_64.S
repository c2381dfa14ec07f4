/*
 * guard_x86_64.S - BOOL guarded_invoke(BOOL (*body)(void *), void *arg) for x86_64: calls
 * body(arg) in a frame whose unwind information names guard_frame_handler (guarded_call.c) as
 * its exception handler, so an exception the expert's own frames let pass is offered to the
 * guard before any unhandled-exception filter. mingw's gcc cannot attach a handler to a C
 * function; these few instructions do.
 */
	.text
	.globl	guarded_invoke
	.def	guarded_invoke; .scl 2; .type 32; .endef
	.seh_proc guarded_invoke
guarded_invoke:
	pushq	%rbp
	.seh_pushreg %rbp
	movq	%rsp, %rbp
	.seh_setframe %rbp, 0
	subq	$32, %rsp
	.seh_stackalloc 32
	.seh_endprologue
	.seh_handler guard_frame_handler, @except
	movq	%rcx, %rax
	movq	%rdx, %rcx
	call	*%rax
	nop				/* the return address stays inside this function */
	movq	%rbp, %rsp
	popq	%rbp
	ret
	.seh_endproc
