/*
 * forward_thunk_x86_64.S - nmapi_forward_resolve for the x86_64 stubs of stubs.S, which
 * call it before their arguments have gone anywhere: it keeps the argument registers (rcx,
 * rdx, r8, r9 and xmm0-xmm3) across the C call. Entered from a stub's call with rsp 16-byte
 * aligned (the stub itself pushes nothing), so 4 pushes and 96 bytes (32 of shadow space, 64
 * for the xmm registers) leave it aligned again for the call. Unwind information describes
 * the prologue, so an exception inside the resolver unwinds through here.
 */
	.text
	.globl	nmapi_forward_resolve_preserving
	.def	nmapi_forward_resolve_preserving; .scl 2; .type 32; .endef
	.seh_proc nmapi_forward_resolve_preserving
nmapi_forward_resolve_preserving:
	pushq	%rcx
	.seh_pushreg %rcx
	pushq	%rdx
	.seh_pushreg %rdx
	pushq	%r8
	.seh_pushreg %r8
	pushq	%r9
	.seh_pushreg %r9
	subq	$96, %rsp
	.seh_stackalloc 96
	.seh_endprologue
	movdqu	%xmm0, 32(%rsp)
	movdqu	%xmm1, 48(%rsp)
	movdqu	%xmm2, 64(%rsp)
	movdqu	%xmm3, 80(%rsp)
	call	nmapi_forward_resolve
	movdqu	32(%rsp), %xmm0
	movdqu	48(%rsp), %xmm1
	movdqu	64(%rsp), %xmm2
	movdqu	80(%rsp), %xmm3
	addq	$96, %rsp
	popq	%r9
	popq	%r8
	popq	%rdx
	popq	%rcx
	ret
	.seh_endproc
