/* expert_module.c - see expert_module.h. */
#include "expert_module.h"

#include <stdio.h>
#include <string.h>

#include "guarded_call.h"

/* name, then (i686 only: x86_64 has no stdcall decoration) name@args and _name@args. */
static FARPROC find_entry(HMODULE module, const char *name, unsigned arg_bytes)
{
    FARPROC p = GetProcAddress(module, name);
#ifndef _WIN64
    char decorated[64];
    if (!p) {
        snprintf(decorated, sizeof decorated, "%s@%u", name, arg_bytes);
        p = GetProcAddress(module, decorated);
    }
    if (!p) {
        snprintf(decorated, sizeof decorated, "_%s@%u", name, arg_bytes);
        p = GetProcAddress(module, decorated);
    }
#else
    (void)arg_bytes;
#endif
    return p;
}

/* A sentence for why the loader refused a DLL. */
static void describe_load_error(DWORD code, const char *path, char *error, size_t error_size)
{
    switch (code) {
    case ERROR_MOD_NOT_FOUND:
        snprintf(error, error_size, "cannot load %s: it, or a DLL it imports, was not found "
                 "(Windows error %lu)", path, code);
        break;
    case ERROR_PROC_NOT_FOUND:
        snprintf(error, error_size, "cannot load %s: it imports a function that nmapi.dll or "
                 "another DLL does not export (Windows error %lu)", path, code);
        break;
    case ERROR_BAD_EXE_FORMAT:
        snprintf(error, error_size, "cannot load %s: not a DLL for this architecture "
                 "(Windows error %lu)", path, code);
        break;
    default:
        snprintf(error, error_size, "cannot load %s (Windows error %lu)", path, code);
        break;
    }
}

BOOL expert_module_load(struct expert_module *m, const char *path, char *error,
                        size_t error_size)
{
    memset(m, 0, sizeof *m);
    /* Without a folder in the path, LOAD_WITH_ALTERED_SEARCH_PATH changes nothing. */
    m->module = LoadLibraryExA(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (!m->module) {
        describe_load_error(GetLastError(), path, error, error_size);
        return FALSE;
    }
    GetModuleFileNameA(m->module, m->path, sizeof m->path);
    m->register_proc = (PEXPERTREGISTERPROC)(void *)find_entry(m->module, EXPERTENTRY_REGISTER, 4);
    m->configure_proc = (PEXPERTCONFIGPROC)(void *)find_entry(m->module, EXPERTENTRY_CONFIGURE, 20);
    m->run_proc = (PEXPERTRUNPROC)(void *)find_entry(m->module, EXPERTENTRY_RUN, 20);
    if (!m->register_proc || !m->run_proc) {
        snprintf(error, error_size, "%s is not an expert: it exports no %s", path,
                 m->register_proc ? "Run" : "Register");
        expert_module_unload(m);
        return FALSE;
    }
    return TRUE;
}

void expert_module_unload(struct expert_module *m)
{
    /* After a crashed, ended or stuck expert thread the loader lock itself may be orphaned:
     * FreeLibrary would wait for it forever. The process is about to end anyway. */
    if (m->module && !guarded_call_poisoned())
        FreeLibrary(m->module);
    memset(m, 0, sizeof *m);
}
