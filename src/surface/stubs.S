/*
 * stubs.S - the entry points of the exports outside this runtime's scope. One NMAPI_STUB line
 * per function, generated from nmapi.def and exports.tsv into export_stubs.inc
 * (cmake/nmapi_exports.cmake):
 *
 *     NMAPI_STUB symbol, pop, slot, result
 *
 * symbol is the entry point (_Name@N on i686, Name on x86_64), pop the stdcall argument bytes
 * (0 for cdecl and on x86_64), slot its index in nmapi_forward_slots, result the documented
 * failure value. A stub reads nmapi_forward_state; while it is 0 it calls the resolver once
 * (forward.h). Then it jumps to its slot when the slot is set - the arguments untouched, so any
 * signature forwards exactly, varargs included - and otherwise returns result without reading
 * its arguments, popping them on i686.
 *
 *     NMAPI_NATIVE symbol, slot, native
 *
 * is the entry point of a function this runtime implements itself (exports.tsv: "native") and
 * that forwarding still sends to an original: the same resolution, then a jump to the slot
 * when it is set, else a jump to native (nmapi_native_<Name>, the C implementation with the
 * export's signature), the arguments untouched either way.
 */
#include "failure_values.h"

#ifdef __x86_64__
/* The resolver's thunk keeps the argument registers; the stub pushes nothing, so the unwinder
 * sees a leaf whose return address is at [rsp]. */
.macro NMAPI_STUB symbol, pop, slot, result
	.globl \symbol
	.def \symbol; .scl 2; .type 32; .endef
\symbol:
	movl	nmapi_forward_state(%rip), %eax
	testl	%eax, %eax
	jnz	1f
	call	nmapi_forward_resolve_preserving
1:	movq	nmapi_forward_slots+(\slot * 8)(%rip), %rax
	testq	%rax, %rax
	jz	2f
	jmp	*%rax
2:	movq	$\result, %rax
	ret
.endm
.macro NMAPI_NATIVE symbol, slot, native
	.globl \symbol
	.def \symbol; .scl 2; .type 32; .endef
\symbol:
	movl	nmapi_forward_state(%rip), %eax
	testl	%eax, %eax
	jnz	1f
	call	nmapi_forward_resolve_preserving
1:	movq	nmapi_forward_slots+(\slot * 8)(%rip), %rax
	testq	%rax, %rax
	jz	\native
	jmp	*%rax
.endm
#else
/* cdecl resolver: it may clobber eax, ecx and edx, which carry no argument of these functions.
 * The result is returned sign-extended in edx:eax, the value of a 64-bit return too. */
.macro NMAPI_STUB symbol, pop, slot, result
	.globl \symbol
	.def \symbol; .scl 2; .type 32; .endef
\symbol:
	movl	_nmapi_forward_state, %eax
	testl	%eax, %eax
	jnz	1f
	call	_nmapi_forward_resolve
1:	movl	_nmapi_forward_slots+(\slot * 4), %eax
	testl	%eax, %eax
	jz	2f
	jmp	*%eax
2:	movl	$\result, %eax
	cltd
	.if \pop
	ret	$\pop
	.else
	ret
	.endif
.endm
.macro NMAPI_NATIVE symbol, slot, native
	.globl \symbol
	.def \symbol; .scl 2; .type 32; .endef
\symbol:
	movl	_nmapi_forward_state, %eax
	testl	%eax, %eax
	jnz	1f
	call	_nmapi_forward_resolve
1:	movl	_nmapi_forward_slots+(\slot * 4), %eax
	testl	%eax, %eax
	jz	\native
	jmp	*%eax
.endm
#endif

	.text
#include "export_stubs.inc"
