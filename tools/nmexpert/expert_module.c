/* expert_module.c - see expert_module.h. */
#include "expert_module.h"

#include <stdio.h>
#include <string.h>

#include "outcome.h"

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

/* The first name the loaded image exports that is C++-mangled around entry ("?Register@@...",
 * "_Z8Register..."), read from its export directory; NULL when there is none. */
static const char *mangled_export(HMODULE module, const char *entry)
{
    const BYTE *base = (const BYTE *)module;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir =
        &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    if (dos->e_magic != IMAGE_DOS_SIGNATURE || nt->Signature != IMAGE_NT_SIGNATURE ||
        nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXPORT ||
        !dir->VirtualAddress)
        return NULL;
    const IMAGE_EXPORT_DIRECTORY *exports =
        (const IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress);
    const DWORD *names = (const DWORD *)(base + exports->AddressOfNames);
    size_t length = strlen(entry);
    for (DWORD i = 0; i < exports->NumberOfNames; i++) {
        const char *name = (const char *)(base + names[i]);
        const char *at = strstr(name, entry);
        BOOL msvc = name[0] == '?' && at == name + 1 && at[length] == '@';
        BOOL itanium = !strncmp(name, "_Z", 2) && at && at > name + 2 && at[-1] >= '0' &&
                       at[-1] <= '9';
        if (msvc || itanium)
            return name;
    }
    return NULL;
}

/* "it exports no Register", or the C++ name it exports it under and the cure. */
static void describe_missing_entry(HMODULE module, const char *path, const char *entry,
                                   char *error, size_t error_size)
{
    const char *mangled = mangled_export(module, entry);
    if (mangled)
        snprintf(error, error_size, "%s is not an expert: it exports %s only under the C++ "
                 "name '%s'; declare the entry points extern \"C\" or name them in a .def "
                 "file", path, entry, mangled);
    else
        snprintf(error, error_size, "%s is not an expert: it exports no %s", path, entry);
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
    case ERROR_DLL_INIT_FAILED:
        snprintf(error, error_size, "cannot load %s: its DllMain returned FALSE "
                 "(DLL_PROCESS_ATTACH; Windows error %lu)", path, code);
        break;
    default:
        snprintf(error, error_size, "cannot load %s (Windows error %lu)", path, code);
        break;
    }
}

struct library_call {
    const WCHAR *path;          /* load */
    HMODULE module;             /* load's result; unload's argument */
    DWORD error;                /* GetLastError on the loading thread */
};

static BOOL load_library(void *arg)
{
    struct library_call *c = arg;
    /* Without a folder in the path, LOAD_WITH_ALTERED_SEARCH_PATH changes nothing. */
    c->module = LoadLibraryExW(c->path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    c->error = c->module ? 0 : GetLastError();
    return c->module != NULL;
}

static BOOL free_library(void *arg)
{
    struct library_call *c = arg;
    return FreeLibrary(c->module);
}

/* Set once a DllMain was ended at its deadline: its thread held the loader lock, which no
 * thread will ever get again. */
static BOOL loader_lost;

/* LoadLibrary or FreeLibrary as a guarded call, watching for exceptions. */
static enum dllmain_outcome run_loader(BOOL (*body)(void *), struct library_call *c,
                                       DWORD timeout_ms, struct call_result *result)
{
    struct call_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.body = body;
    spec.arg = c;
    spec.timeout_ms = timeout_ms;
    spec.grace_ms = 0;
    spec.watch_exceptions = TRUE;
    if (!guarded_call(&spec, result)) {
        memset(result, 0, sizeof *result);
        result->outcome = CALL_EXITED;
        return DLLMAIN_REFUSED;
    }
    switch (result->outcome) {
    case CALL_RETURNED:
        return result->value ? DLLMAIN_OK : DLLMAIN_REFUSED;
    case CALL_UNRESPONSIVE:
        loader_lost = TRUE;
        return DLLMAIN_TIMED_OUT;
    default:
        return DLLMAIN_CRASHED;
    }
}

/* A DllMain that raised an exception the loader caught (Wine's loader catches them; the call
 * then returns) failed as surely as one the guard caught: the exception is made the call's. */
static enum dllmain_outcome take_caught_exception(struct call_result *r)
{
    r->exception_code = r->first_exception_code;
    r->exception_address = r->first_exception_address;
    memcpy(r->exception_where, r->first_exception_where, sizeof r->exception_where);
    return DLLMAIN_CRASHED;
}

static void describe_dllmain_failure(enum dllmain_outcome outcome, const struct call_result *r,
                                     DWORD timeout_ms, const char *reason, char *out,
                                     size_t capacity)
{
    char what[NMEXPERT_PATH_BYTES + 128];
    if (outcome == DLLMAIN_TIMED_OUT) {
        snprintf(out, capacity, "its DllMain did not return within %lu ms (%s); its thread was "
                 "ended with the loader lock, so the runner loads and unloads nothing more",
                 (unsigned long)timeout_ms, reason);
    } else {
        describe_exception(r, what, sizeof what);
        snprintf(out, capacity, "its DllMain crashed (%s): %s%s", reason, what,
                 r->outcome == CALL_RETURNED ? ", which the loader caught" : "");
    }
}

BOOL expert_module_load(struct expert_module *m, const char *path, DWORD timeout_ms,
                        char *error, size_t error_size)
{
    memset(m, 0, sizeof *m);
    m->timeout_ms = timeout_ms;
    WCHAR wide[MAX_PATH];
    if (!utf8_to_wide(path, wide, MAX_PATH)) {
        snprintf(error, error_size, "cannot load %s: the path is longer than MAX_PATH", path);
        m->load = DLLMAIN_REFUSED;
        return FALSE;
    }
    /* After an earlier expert's code went wrong the loader lock may be lost: the load is
     * bounded all the same, and its report says so. */
    BOOL loader_suspect = guarded_call_poisoned();
    if (loader_lost) {
        snprintf(error, error_size, "%s was not loaded: an earlier expert's DllMain did not "
                 "return, and the loader lock went with its thread", path);
        m->load = DLLMAIN_KEPT;
        return FALSE;
    }
    struct library_call c = { wide, NULL, 0 };
    m->load = run_loader(load_library, &c, timeout_ms, &m->load_call);
    if (m->load == DLLMAIN_REFUSED && m->load_call.first_exception_code)
        m->load = take_caught_exception(&m->load_call);
    if (m->load != DLLMAIN_OK) {
        char why[NMEXPERT_PATH_BYTES + 256];
        if (m->load == DLLMAIN_REFUSED) {
            describe_load_error(c.error, path, error, error_size);
        } else {
            describe_dllmain_failure(m->load, &m->load_call, timeout_ms, "DLL_PROCESS_ATTACH",
                                     why, sizeof why);
            snprintf(error, error_size, "cannot load %s: %s%s", path, why,
                     m->load == DLLMAIN_TIMED_OUT && loader_suspect
                         ? " (or the loader lock was lost already, with an earlier expert's "
                           "thread)" : "");
        }
        return FALSE;
    }
    m->module = c.module;
    WCHAR loaded[MAX_PATH];
    DWORD n = GetModuleFileNameW(m->module, loaded, MAX_PATH);
    if (n == 0 || n >= MAX_PATH || !wide_to_utf8(loaded, m->path, sizeof m->path))
        lstrcpynA(m->path, path, sizeof m->path);
    m->register_proc = (PEXPERTREGISTERPROC)(void *)find_entry(m->module, EXPERTENTRY_REGISTER, 4);
    m->configure_proc = (PEXPERTCONFIGPROC)(void *)find_entry(m->module, EXPERTENTRY_CONFIGURE, 20);
    m->run_proc = (PEXPERTRUNPROC)(void *)find_entry(m->module, EXPERTENTRY_RUN, 20);
    if (!m->register_proc || !m->run_proc) {
        describe_missing_entry(m->module, path, m->register_proc ? EXPERTENTRY_RUN
                                                                 : EXPERTENTRY_REGISTER,
                               error, error_size);
        expert_module_unload(m);
        return FALSE;
    }
    return TRUE;
}

enum dllmain_outcome expert_module_unload(struct expert_module *m)
{
    if (!m->module)
        return m->unload;
    /* After a crashed, ended or stuck expert thread the loader lock itself may be orphaned:
     * FreeLibrary would wait for it forever. The process is about to end anyway. */
    if (guarded_call_poisoned()) {
        m->unload = DLLMAIN_KEPT;
    } else {
        struct library_call c = { NULL, m->module, 0 };
        m->unload = run_loader(free_library, &c, m->timeout_ms, &m->unload_call);
        if (m->unload_call.first_exception_code && m->unload_call.outcome == CALL_RETURNED)
            m->unload = take_caught_exception(&m->unload_call);
    }
    m->module = NULL;
    m->register_proc = NULL;
    m->configure_proc = NULL;
    m->run_proc = NULL;
    return m->unload;
}

void describe_unload(const struct expert_module *m, char *out, size_t capacity)
{
    out[0] = '\0';
    if (m->unload == DLLMAIN_KEPT)
        snprintf(out, capacity, "not unloaded: the expert's code went wrong, and the loader "
                 "lock may have gone with it");
    else if (m->unload == DLLMAIN_TIMED_OUT || m->unload == DLLMAIN_CRASHED)
        describe_dllmain_failure(m->unload, &m->unload_call, m->timeout_ms,
                                 "DLL_PROCESS_DETACH, on FreeLibrary", out, capacity);
    else if (m->unload == DLLMAIN_REFUSED)
        snprintf(out, capacity, "FreeLibrary failed");
}

int dllmain_exit(enum dllmain_outcome outcome)
{
    return outcome == DLLMAIN_TIMED_OUT || outcome == DLLMAIN_CRASHED ? EXIT_DLLMAIN
                                                                      : EXIT_CANNOT_LOAD;
}

const char *dllmain_name(enum dllmain_outcome outcome, BOOL unloading)
{
    switch (outcome) {
    case DLLMAIN_OK:
        return unloading ? "unloaded" : "loaded";
    case DLLMAIN_KEPT:
        return "kept";
    case DLLMAIN_REFUSED:
        return unloading ? "refused" : "load-refused";
    case DLLMAIN_CRASHED:
        return "crashed";
    case DLLMAIN_TIMED_OUT:
    default:
        return "timed-out";
    }
}
