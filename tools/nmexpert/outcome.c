/* outcome.c - see outcome.h. */
#include "outcome.h"

#include <stdio.h>
#include <string.h>

enum expert_outcome outcome_of(const struct guarded_call *call)
{
    switch (call->outcome) {
    case CALL_CRASHED:
        return OUTCOME_CRASHED;
    case CALL_UNRESPONSIVE:
        return OUTCOME_UNRESPONSIVE;
    case CALL_EXITED:
        return OUTCOME_EXITED_THREAD;
    case CALL_RETURNED:
    default:
        if (call->timed_out)
            return OUTCOME_TERMINATED;
        return call->returned ? OUTCOME_RETURNED_TRUE : OUTCOME_RETURNED_FALSE;
    }
}

const char *outcome_name(enum expert_outcome outcome)
{
    static const char *const names[] = { "returned-true", "returned-false", "terminated",
                                         "crashed", "unresponsive", "exited-thread" };
    return names[outcome];
}

enum nmexpert_exit outcome_exit(enum expert_outcome outcome)
{
    static const enum nmexpert_exit codes[] = { EXIT_RETURNED_TRUE, EXIT_RETURNED_FALSE,
                                                EXIT_TERMINATED, EXIT_CRASHED,
                                                EXIT_UNRESPONSIVE, EXIT_EXITED_THREAD };
    return codes[outcome];
}

void describe_failed_call(const struct guarded_call *call, char *out, size_t capacity)
{
    switch (call->outcome) {
    case CALL_CRASHED:
        snprintf(out, capacity, "crashed (exception 0x%08lX)", (unsigned long)call->exception_code);
        break;
    case CALL_UNRESPONSIVE:
        snprintf(out, capacity, "did not return");
        break;
    case CALL_EXITED:
        snprintf(out, capacity, "ended its thread without returning");
        break;
    default:
        snprintf(out, capacity, "returned %s", call->returned ? "TRUE" : "FALSE");
        break;
    }
}

const char *exception_name(DWORD code)
{
    static const struct { DWORD code; const char *name; } known[] = {
        { EXCEPTION_ACCESS_VIOLATION, "EXCEPTION_ACCESS_VIOLATION" },
        { EXCEPTION_STACK_OVERFLOW, "EXCEPTION_STACK_OVERFLOW" },
        { EXCEPTION_INT_DIVIDE_BY_ZERO, "EXCEPTION_INT_DIVIDE_BY_ZERO" },
        { EXCEPTION_INT_OVERFLOW, "EXCEPTION_INT_OVERFLOW" },
        { EXCEPTION_ILLEGAL_INSTRUCTION, "EXCEPTION_ILLEGAL_INSTRUCTION" },
        { EXCEPTION_PRIV_INSTRUCTION, "EXCEPTION_PRIV_INSTRUCTION" },
        { EXCEPTION_IN_PAGE_ERROR, "EXCEPTION_IN_PAGE_ERROR" },
        { EXCEPTION_DATATYPE_MISALIGNMENT, "EXCEPTION_DATATYPE_MISALIGNMENT" },
        { EXCEPTION_ARRAY_BOUNDS_EXCEEDED, "EXCEPTION_ARRAY_BOUNDS_EXCEEDED" },
        { EXCEPTION_BREAKPOINT, "EXCEPTION_BREAKPOINT" },
        { EXCEPTION_NONCONTINUABLE_EXCEPTION, "EXCEPTION_NONCONTINUABLE_EXCEPTION" },
        { EXCEPTION_FLT_DIVIDE_BY_ZERO, "EXCEPTION_FLT_DIVIDE_BY_ZERO" },
        { EXCEPTION_FLT_INVALID_OPERATION, "EXCEPTION_FLT_INVALID_OPERATION" },
        { EXCEPTION_FLT_OVERFLOW, "EXCEPTION_FLT_OVERFLOW" },
        { 0xE06D7363u, "C++ exception (MSVC)" },
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (known[i].code == code)
            return known[i].name;
    return NULL;
}

void describe_code_address(const void *address, char *out, size_t capacity)
{
    /* Wide calls only, converted here: Wine's ANSI variants allocate from the process heap,
     * whose lock a crashed expert may have taken with it. */
    HMODULE module;
    WCHAR wide[MAX_PATH];
    char path[MAX_PATH];
    DWORD n;
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                           GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                           (LPCWSTR)address, &module) &&
        (n = GetModuleFileNameW(module, wide, MAX_PATH)) > 0 && n < MAX_PATH &&
        WideCharToMultiByte(CP_ACP, 0, wide, -1, path, sizeof path, NULL, NULL) > 0) {
        const char *base = strrchr(path, '\\');
        snprintf(out, capacity, "%s+0x%llx", base ? base + 1 : path,
                 (unsigned long long)((const char *)address - (const char *)module));
    } else {
        snprintf(out, capacity, "0x%llx", (unsigned long long)(ULONG_PTR)address);
    }
}
