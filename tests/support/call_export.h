/*
 * call_export.h - calls an export by address with a given number of DWORD-sized arguments,
 * whatever its prototype, and (on i686) measures how far the stack pointer moved, so a test
 * can check that a stdcall function popped exactly its argument bytes.
 */
#ifndef CALL_EXPORT_H
#define CALL_EXPORT_H

#include <windows.h>

#define CALL_EXPORT_MAX_ARGS 16

/* Calls fn(args[0], ..., args[count - 1]); returns its eax/rax. *stack_delta receives, on
 * i686, esp after the call minus esp before the arguments were pushed: 0 when the callee
 * popped all of them (stdcall), -4 * count when it popped none (cdecl). 0 on x86_64, where
 * the caller owns the argument area. */
static inline ULONG_PTR call_export(FARPROC fn, const ULONG_PTR *args, int count,
                                    long *stack_delta)
{
#ifdef _WIN64
    typedef ULONG_PTR (*sixteen)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                 ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                 ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                 ULONG_PTR);
    ULONG_PTR a[CALL_EXPORT_MAX_ARGS] = { 0 };
    for (int i = 0; i < count && i < CALL_EXPORT_MAX_ARGS; i++)
        a[i] = args[i];
    *stack_delta = 0;   /* extra arguments are harmless: the caller owns the area */
    return ((sixteen)(void *)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                                 a[10], a[11], a[12], a[13], a[14], a[15]);
#else
    ULONG_PTR result;
    long delta;
    int n = count;
    __asm__ volatile(
        "movl %%esp, %%edi\n\t"            /* esp before the arguments (edi is callee-saved) */
        "1:\n\t"
        "testl %%ecx, %%ecx\n\t"
        "jz 2f\n\t"
        "pushl -4(%%ebx,%%ecx,4)\n\t"      /* last argument first */
        "decl %%ecx\n\t"
        "jmp 1b\n"
        "2:\n\t"
        "call *%%esi\n\t"
        "movl %%esp, %%edx\n\t"
        "subl %%edi, %%edx\n\t"
        "movl %%edi, %%esp\n\t"
        : "=a"(result), "=d"(delta), "+c"(n)
        : "S"(fn), "b"(args)
        : "edi", "memory", "cc");
    *stack_delta = delta;
    return result;
#endif
}

#endif
