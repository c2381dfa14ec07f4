/* registration.c - see registration.h. */
#include "registration.h"

#include <stdio.h>
#include <string.h>

struct register_args {
    PEXPERTREGISTERPROC proc;
    EXPERTENUMINFO *about;
};

static BOOL call_register(void *arg)
{
    struct register_args *a = arg;
    return a->proc(a->about);
}

BOOL registration_call(struct registration *reg, const struct expert_module *m)
{
    memset(&reg->about, 0, sizeof reg->about);
    /* szDllName is a CHAR array: the ANSI code page's name of the file (or its short name). */
    char ansi[MAX_PATH];
    if (!utf8_path_to_ansi(m->path, ansi, sizeof ansi))
        ansi[0] = '\0';
    const char *base = strrchr(ansi, '\\');
    lstrcpynA(reg->about.szDllName, base ? base + 1 : ansi, sizeof reg->about.szDllName);
    reg->about.hModule = m->module;
    reg->about.pRegisterProc = m->register_proc;
    reg->about.pConfigProc = m->configure_proc;
    reg->about.pRunProc = m->run_proc;
    reg->exports_configure = m->configure_proc != NULL;

    struct register_args args = { m->register_proc, &reg->about };
    struct call_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.body = call_register;
    spec.arg = &args;
    spec.timeout_ms = REGISTER_TIMEOUT_MS;
    spec.grace_ms = 0;
    if (!guarded_call(&spec, &reg->call))
        return FALSE;
    /* An expert's strings are fixed arrays it may have filled to the brim. */
    reg->about.szName[EXPERTSTRINGLENGTH - 1] = '\0';
    reg->about.szVendor[EXPERTSTRINGLENGTH - 1] = '\0';
    reg->about.szDescription[EXPERTSTRINGLENGTH - 1] = '\0';
    return reg->call.outcome == CALL_RETURNED && reg->call.value;
}

enum nmexpert_exit registration_failure_exit(const struct registration *reg)
{
    return reg->call.outcome == CALL_RETURNED ? EXIT_CANNOT_LOAD
                                              : outcome_exit(outcome_of(&reg->call));
}

int registration_prepare(const char *path, DWORD load_timeout_ms, struct expert_module *m,
                         struct registration *reg)
{
    char error[NMEXPERT_PATH_BYTES * 2 + 256];
    memset(reg, 0, sizeof *reg);
    reg->expert_path = path;
    if (!expert_module_load(m, path, load_timeout_ms, error, sizeof error)) {
        out_printf(OUT_STDERR, "nmexpert: %s\n", error);
        return dllmain_exit(m->load);
    }
    if (registration_call(reg, m))
        return 0;
    char what[64];
    describe_failed_call(&reg->call, what, sizeof what);
    out_printf(OUT_STDERR, "nmexpert: %s: Register %s\n", path, what);
    /* A Register that did not return may have left its DLL in any state (a lock its
     * DllMain would wait for): then the DLL stays loaded (expert_module_unload knows). */
    expert_module_unload(m);
    return registration_failure_exit(reg);
}
