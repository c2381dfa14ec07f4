/*
 * cmd_run.c - `nmexpert run EXPERT.dll`: Run on a thread of its own under a fresh key, with
 * the stored configuration (--config) wrapped in an EXPERTCONFIG and a valid
 * EXPERTSTARTUPINFO (the SDK's template dereferences it unchecked); then the report.
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "config_file.h"

struct run_args {
    PEXPERTRUNPROC run;
    PEXPERTCONFIG config;          /* the runner's memory, not the expert's; NULL without one */
    EXPERTSTARTUPINFO startup;     /* the expert's own copy */
};

static BOOL call_run(HEXPERTKEY key, void *arg)
{
    struct run_args *a = arg;
    return a->run(key, a->config, &a->startup, 0, NULL);
}

/* The stored configuration as Run receives it: RawConfigLength counts its own four bytes. */
static PEXPERTCONFIG wrap_config(const BYTE *data, DWORD size)
{
    PEXPERTCONFIG config = HeapAlloc(GetProcessHeap(), 0, sizeof(DWORD) + size);
    if (config) {
        config->RawConfigLength = (DWORD)sizeof(DWORD) + size;
        if (size)
            memcpy(config->RawConfigData, data, size);
    }
    return config;
}

int command_run(const struct nmexpert_options *o, const struct nmapi_runtime *rt)
{
    struct expert_module m;
    struct registration reg;
    int status = registration_prepare(o->experts[0], &m, &reg);
    if (status)
        return status;

    char error[MAX_PATH + 160];
    struct run_args args;
    memset(&args, 0, sizeof args);
    args.run = m.run_proc;
    if (o->capture_path)
        lstrcpynA(args.startup.szCaptureFile, o->capture_path, sizeof args.startup.szCaptureFile);
    DWORD config_bytes = 0;
    if (o->config_path) {
        BYTE *data;
        enum config_read read = config_file_read(o->config_path, &data, &config_bytes, error,
                                                 sizeof error);
        if (read == CONFIG_READ_MISSING)
            snprintf(error, sizeof error, "%s does not exist", o->config_path);
        if (read == CONFIG_READ_OK && !(args.config = wrap_config(data, config_bytes)))
            snprintf(error, sizeof error, "no memory for the configuration");
        config_file_free(data);
        if (!args.config) {
            out_printf(OUT_STDERR, "nmexpert: %s\n", error);
            expert_module_unload(&m);
            return EXIT_CONFIG_IO;
        }
    }

    struct session_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.startup = &args.startup;
    spec.call = call_run;
    spec.arg = &args;
    struct session_report report;
    memset(&report, 0, sizeof report);
    report.config_bytes_in = config_bytes;
    status = command_session(o, rt, "run", &m, &reg, &spec, &report);
    if (args.config)
        HeapFree(GetProcessHeap(), 0, args.config);
    return status;
}
