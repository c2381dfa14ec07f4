/* forward.c - see forward.h. */
#include "forward.h"

#include <stdio.h>

#include "atomics.h"
#include "failure_values.h"
#include "forward_names.h"   /* generated: forward_names[], NMAPI_FORWARD_COUNT */
#include "platform.h"

_Static_assert(NMAPI_NMERR_NOT_SUPPORTED == NMERR_NOT_SUPPORTED,
               "failure_values.h agrees with <netmon.h>");

void *nmapi_forward_slots[NMAPI_FORWARD_COUNT ? NMAPI_FORWARD_COUNT : 1];
volatile int32_t nmapi_forward_state;

static INIT_ONCE environment_once = INIT_ONCE_STATIC_INIT;
static plat_lock target_lock = PLAT_LOCK_INIT;   /* one forward_to at a time */
static void *volatile active_original;          /* the module forwarded to, or NULL */

/* This DLL's module, to refuse forwarding to ourselves. */
static HMODULE this_module(void)
{
    HMODULE m = NULL;
    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCSTR)(void *)this_module, &m);
    return m;
}

DWORD forward_to(const WCHAR *path, DWORD *resolved)
{
    if (!path || !path[0])
        return NMERR_INVALID_PARAMETER;
    HMODULE original = LoadLibraryExW(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (!original)
        return NMERR_FILE_NOT_FOUND;
    if (original == this_module()) {
        FreeLibrary(original);
        return NMERR_INVALID_PARAMETER;
    }
    void *found[NMAPI_FORWARD_COUNT ? NMAPI_FORWARD_COUNT : 1];
    DWORD count = 0;
    for (DWORD i = 0; i < NMAPI_FORWARD_COUNT; i++)
        if ((found[i] = (void *)GetProcAddress(original, forward_names[i])))
            count++;
    if (!count) {
        FreeLibrary(original);
        return NMERR_INVALID_PARAMETER;
    }
    plat_lock_acquire(&target_lock);
    for (DWORD i = 0; i < NMAPI_FORWARD_COUNT; i++)
        plat_store_ptr(&nmapi_forward_slots[i], found[i]);
    plat_store_ptr(&active_original, original);
    plat_lock_release(&target_lock);
    if (resolved)
        *resolved = count;
    return NMERR_SUCCESS;
}

static BOOL CALLBACK resolve_from_environment(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once; (void)parameter; (void)context;
    WCHAR path[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"NMAPI_FORWARD", path, MAX_PATH);
    if (n >= MAX_PATH) {
        OutputDebugStringA("nmapi: NMAPI_FORWARD not used: the path is MAX_PATH characters or "
                           "longer; the functions outside the runtime return their failure "
                           "values\n");
    } else if (n > 0) {
        DWORD error = forward_to(path, NULL);
        if (error != NMERR_SUCCESS) {
            WCHAR line[MAX_PATH + 128];
            _snwprintf(line, sizeof line / sizeof *line - 1, L"nmapi: NMAPI_FORWARD=%ls not "
                       L"used (NMERR %lu): the functions outside the runtime return their "
                       L"failure values\n", path, error);
            line[sizeof line / sizeof *line - 1] = L'\0';
            OutputDebugStringW(line);
        }
    }
    plat_store(&nmapi_forward_state, 1);
    return TRUE;
}

void nmapi_forward_resolve(void)
{
    InitOnceExecuteOnce(&environment_once, resolve_from_environment, NULL, NULL);
}

int forward_active(void)
{
    return plat_load_ptr((void *volatile *)&active_original) != NULL;
}
