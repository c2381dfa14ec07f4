/*
 * cmd_configure.c - `nmexpert configure EXPERT.dll --config FILE`, the documented Configure
 * flow: the stored configuration (FILE's bytes, when FILE exists) is handed in as an
 * EXPERTCONFIG allocated on the configure key, which is not the key Run will get; the expert
 * may change it in place, grow it with ExpertReallocMemory or replace it. When Configure
 * returns TRUE the runner checks that *ppConfig is a live block of that key holding
 * RawConfigLength bytes, copies RawConfigData out, frees the block (the host owns the
 * configuration), destroys the key and rewrites FILE.
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "config_file.h"

struct configure_args {
    const struct nmapi_runtime *rt;
    PEXPERTCONFIGPROC configure;
    BOOL has_stored;                /* FILE exists (it may be empty) */
    const BYTE *stored;             /* its bytes */
    DWORD stored_size;
    PEXPERTCONFIG config;           /* in and out of Configure */
    EXPERTSTARTUPINFO startup;
    const char *path;
    struct session_report *report;  /* after_configure records what it wrote, or the problem */
    char problem[160];
};

static BOOL hand_config_in(HEXPERTKEY key, void *arg, char *error, size_t error_size)
{
    struct configure_args *a = arg;
    if (!a->has_stored)
        return TRUE;               /* nothing stored: Configure gets NULL and starts afresh */
    DWORD nmerr;
    a->config = a->rt->alloc_memory(key, sizeof(DWORD) + a->stored_size, &nmerr);
    if (!a->config) {
        snprintf(error, error_size, "cannot hand the %lu-byte configuration in: "
                 "ExpertAllocMemory failed with NMERR %lu", (unsigned long)a->stored_size, nmerr);
        a->report->exit_code = EXIT_CONFIG_IO;
        return FALSE;
    }
    a->config->RawConfigLength = (DWORD)sizeof(DWORD) + a->stored_size;
    if (a->stored_size)
        memcpy(a->config->RawConfigData, a->stored, a->stored_size);
    return TRUE;
}

static BOOL call_configure(HEXPERTKEY key, void *arg)
{
    struct configure_args *a = arg;
    return a->configure(key, &a->config, &a->startup, 0, NULL);
}

/* Runs on the runner's thread while the key is alive: the block is checked with
 * ExpertMemorySize before a byte of it is read. */
static void take_config_out(HEXPERTKEY key, void *arg)
{
    struct configure_args *a = arg;
    struct session_report *report = a->report;
    PEXPERTCONFIG config = a->config;
    SIZE_T block = config ? a->rt->memory_size(key, config) : (SIZE_T)-1;
    DWORD length = 0;
    if (!config)
        snprintf(a->problem, sizeof a->problem, "Configure returned TRUE without a configuration");
    else if (block == (SIZE_T)-1)
        snprintf(a->problem, sizeof a->problem, "the configuration Configure returned is not a "
                 "live block of its key");
    else if (block < sizeof(DWORD) || (length = config->RawConfigLength) < sizeof(DWORD) ||
             length > block)
        snprintf(a->problem, sizeof a->problem, "the configuration's RawConfigLength (%lu) does "
                 "not fit its %llu-byte block", (unsigned long)length, (unsigned long long)block);
    if (a->problem[0]) {
        report->problem = a->problem;
        report->exit_code = EXIT_BAD_CONFIG;
        return;
    }
    char error[MAX_PATH + 160];
    DWORD data_size = length - (DWORD)sizeof(DWORD);
    if (!config_file_write(a->path, config->RawConfigData, data_size, error, sizeof error)) {
        snprintf(a->problem, sizeof a->problem, "%s", error);
        report->problem = a->problem;
        report->exit_code = EXIT_CONFIG_IO;
    } else {
        report->config_written = TRUE;
        report->config_bytes_out = data_size;
    }
    a->rt->free_memory(key, config);
}

int command_configure(const struct nmexpert_options *o, const struct nmapi_runtime *rt)
{
    struct expert_module m;
    struct registration reg;
    int status = registration_prepare(o->experts[0], &m, &reg);
    if (status)
        return status;
    if (!m.configure_proc) {
        out_printf(OUT_STDERR, "nmexpert: %s exports no Configure\n", o->experts[0]);
        expert_module_unload(&m);
        return EXIT_CANNOT_LOAD;
    }

    char error[MAX_PATH + 160];
    BYTE *stored = NULL;
    DWORD stored_size = 0;
    enum config_read read = config_file_read(o->config_path, &stored, &stored_size, error,
                                             sizeof error);
    if (read == CONFIG_READ_FAILED) {
        out_printf(OUT_STDERR, "nmexpert: %s\n", error);
        expert_module_unload(&m);
        return EXIT_CONFIG_IO;
    }

    struct session_report report;
    memset(&report, 0, sizeof report);
    report.config_bytes_in = stored_size;
    static struct configure_args args;
    memset(&args, 0, sizeof args);
    args.rt = rt;
    args.configure = m.configure_proc;
    args.has_stored = read == CONFIG_READ_OK;
    args.stored = stored;
    args.stored_size = stored_size;
    args.path = o->config_path;
    args.report = &report;
    struct session_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.startup = &args.startup;
    spec.before_call = hand_config_in;
    spec.call = call_configure;
    spec.after_return = take_config_out;
    spec.arg = &args;
    status = command_session(o, rt, "configure", &m, &reg, &spec, &report);
    config_file_free(stored);
    return status;
}
