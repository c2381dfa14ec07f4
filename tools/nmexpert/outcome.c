/* outcome.c - see outcome.h. */
#include "outcome.h"

#include <stdio.h>
#include <string.h>

#include <psapi.h>

enum expert_outcome outcome_of(const struct call_result *call)
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
        if (call->told_to_terminate)
            return OUTCOME_TERMINATED;
        return call->value ? OUTCOME_RETURNED_TRUE : OUTCOME_RETURNED_FALSE;
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

void describe_failed_call(const struct call_result *call, char *out, size_t capacity)
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
    default: {
        char value[32];
        describe_returned(call->value, value, sizeof value);
        snprintf(out, capacity, "returned %s", value);
        break;
    }
    }
}

void describe_returned(BOOL value, char *out, size_t capacity)
{
    if (value == FALSE || value == TRUE)
        snprintf(out, capacity, "%s", value ? "TRUE" : "FALSE");
    else
        snprintf(out, capacity, "TRUE (%d)", (int)value);
}

void describe_exception(const struct call_result *call, char *out, size_t capacity)
{
    const char *name = exception_name(call->exception_code);
    snprintf(out, capacity, "exception 0x%08lX%s%s%s at %s", (unsigned long)call->exception_code,
             name ? " (" : "", name ? name : "", name ? ")" : "", call->exception_where);
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
    /* The mapping the address lies in, and the file mapped there: no loader lock, no heap. */
    MEMORY_BASIC_INFORMATION region;
    WCHAR wide[MAX_PATH];
    char path[MAX_PATH * 3];
    DWORD n;
    if (VirtualQuery(address, &region, sizeof region) == sizeof region &&
        region.Type == MEM_IMAGE &&
        (n = K32GetMappedFileNameW(GetCurrentProcess(), region.AllocationBase, wide,
                                   MAX_PATH)) > 0 && n < MAX_PATH &&
        WideCharToMultiByte(CP_UTF8, 0, wide, -1, path, sizeof path, NULL, NULL) > 0) {
        const char *base = strrchr(path, '\\');
        snprintf(out, capacity, "%s+0x%llx", base ? base + 1 : path,
                 (unsigned long long)((const char *)address -
                                      (const char *)region.AllocationBase));
    } else {
        snprintf(out, capacity, "0x%llx", (unsigned long long)(ULONG_PTR)address);
    }
}
