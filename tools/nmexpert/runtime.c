/* runtime.c - see runtime.h. */
#include "runtime.h"

#include <stdio.h>
#include <string.h>

static FARPROC resolve(HMODULE module, const char *name, BOOL *all_found)
{
    FARPROC p = GetProcAddress(module, name);
    if (!p)
        *all_found = FALSE;
    return p;
}

BOOL runtime_load(struct nmapi_runtime *rt, char *error, size_t error_size)
{
    memset(rt, 0, sizeof *rt);
    rt->module = LoadLibraryW(L"nmapi.dll");
    if (!rt->module) {
        snprintf(error, error_size, "cannot load nmapi.dll (Windows error %lu)", GetLastError());
        return FALSE;
    }
    WCHAR path[MAX_PATH];
    DWORD n = GetModuleFileNameW(rt->module, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH || !wide_to_utf8(path, rt->path, sizeof rt->path))
        lstrcpynA(rt->path, "nmapi.dll", sizeof rt->path);
    BOOL ok = TRUE;
    rt->create_key = (PFN_ExpertHostCreateKey)(void *)resolve(rt->module, "ExpertHostCreateKey", &ok);
    rt->terminate = (PFN_ExpertHostTerminate)(void *)resolve(rt->module, "ExpertHostTerminate", &ok);
    rt->query_memory = (PFN_ExpertHostQueryMemory)(void *)resolve(rt->module, "ExpertHostQueryMemory", &ok);
    rt->get_status = (PFN_ExpertHostGetStatus)(void *)resolve(rt->module, "ExpertHostGetStatus", &ok);
    rt->destroy_key = (PFN_ExpertHostDestroyKey)(void *)resolve(rt->module, "ExpertHostDestroyKey", &ok);
    rt->memory_size = (PFN_ExpertMemorySize)(void *)resolve(rt->module, "ExpertMemorySize", &ok);
    rt->alloc_memory = (PFN_ExpertAllocMemory)(void *)resolve(rt->module, "ExpertAllocMemory", &ok);
    rt->free_memory = (PFN_ExpertFreeMemory)(void *)resolve(rt->module, "ExpertFreeMemory", &ok);
    rt->open_capture = (PFN_ExpertHostOpenCaptureW)(void *)resolve(rt->module, "ExpertHostOpenCaptureW", &ok);
    rt->close_capture = (PFN_ExpertHostCloseCapture)(void *)resolve(rt->module, "ExpertHostCloseCapture", &ok);
    rt->query_capture = (PFN_ExpertHostQueryCapture)(void *)resolve(rt->module, "ExpertHostQueryCapture", &ok);
    rt->forward_to = (PFN_ExpertHostForwardToW)(void *)resolve(rt->module, "ExpertHostForwardToW", &ok);
    if (!ok) {
        snprintf(error, error_size, "%s is not this project's nmapi.dll: it lacks the host API",
                 rt->path);
        runtime_unload(rt);
        return FALSE;
    }
    return TRUE;
}

BOOL runtime_forward(struct nmapi_runtime *rt, const char *path, char *error,
                     size_t error_size)
{
    WCHAR wide[MAX_PATH];
    if (!utf8_to_wide(path, wide, MAX_PATH)) {
        snprintf(error, error_size, "cannot forward to %s: the path is longer than MAX_PATH",
                 path);
        return FALSE;
    }
    DWORD nmerr = rt->forward_to(wide, &rt->forwarded);
    if (nmerr == NMERR_SUCCESS) {
        rt->forward_path = path;
        return TRUE;
    }
    snprintf(error, error_size, "cannot forward to %s: %s (NMERR %lu)", path,
             nmerr == NMERR_FILE_NOT_FOUND ? "it cannot be loaded"
                                           : "it is not an original Nmapi.dll", nmerr);
    return FALSE;
}

void runtime_unload(struct nmapi_runtime *rt)
{
    if (rt->module)
        FreeLibrary(rt->module);
    memset(rt, 0, sizeof *rt);
}
