/*
 * cmd_configure.c - `nmexpert configure EXPERT.dll --config FILE`, the documented Configure
 * flow: the stored configuration (FILE's bytes, when FILE exists) is handed in as an
 * EXPERTCONFIG allocated on the configure key (handed_config.h), which is not the key Run will
 * get; NULL when nothing is stored. The expert may change it in place, grow it with
 * ExpertReallocMemory or replace it. When Configure returns TRUE, the runner checks - on the
 * expert's guarded thread, the moment it returns - that *ppConfig is a live block of that key
 * holding RawConfigLength bytes and copies RawConfigData into a buffer of its own: a thread of
 * the expert that frees or changes the block afterwards cannot change what is written. Unless
 * the expert was told to terminate first, the copy then replaces FILE. Configure returning -1,
 * DialogBox's failure value, means its dialog could not be created: not configured, FILE
 * untouched. Then the runner frees what it handed in and what came back (the host owns both)
 * and destroys the key.
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "config_file.h"
#include "handed_config.h"

struct configure_args {
    const struct nmapi_runtime *rt;
    PEXPERTCONFIGPROC configure;
    BOOL has_stored;                /* FILE exists (it may be empty) */
    const BYTE *stored;             /* its bytes */
    DWORD stored_size;
    SIZE_T memory_limit;
    PEXPERTCONFIG handed;           /* what was handed in */
    PEXPERTCONFIG config;           /* in and out of Configure */
    PEXPERTCONFIG returned;         /* what Configure returned with TRUE */
    BYTE *copy;                     /* RawConfigData, copied out (config_file_buffer) */
    DWORD copy_size;
    EXPERTSTARTUPINFO startup;
    const char *path;
    struct session_report *report;  /* take_config_out records what it wrote */
    char problem[NMEXPERT_PATH_BYTES + 200];
};

static BOOL hand_config_in(HEXPERTKEY key, void *arg, char *error, size_t error_size)
{
    struct configure_args *a = arg;
    if (!a->has_stored)
        return TRUE;               /* nothing stored: Configure gets NULL and starts afresh */
    a->handed = handed_config_give(a->rt, key, a->stored, a->stored_size, a->memory_limit,
                                   error, error_size, &a->report->exit_code);
    a->config = a->handed;
    return a->handed != NULL;
}

/* DialogBox's failure value: a Configure that could not create its dialog returns it. */
#define CONFIGURE_DIALOG_FAILED (-1)

/* Checks what Configure returned (with ExpertMemorySize, before a byte of it is read) and
 * copies RawConfigData into a->copy; a sentence in a->problem when it is not a configuration. */
static void copy_config_out(HEXPERTKEY key, struct configure_args *a)
{
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
    else if (!(a->copy = config_file_buffer(length - (DWORD)sizeof(DWORD))))
        snprintf(a->problem, sizeof a->problem, "no memory for a copy of the %lu-byte "
                 "configuration", (unsigned long)length);
    else {
        /* Stands in the report only if the copy faults (the expert's thread then crashed). */
        snprintf(a->problem, sizeof a->problem, "the runner was copying out the configuration "
                 "Configure returned when it faulted: a thread of the expert freed or unmapped "
                 "it");
        a->copy_size = length - (DWORD)sizeof(DWORD);
        memcpy(a->copy, config->RawConfigData, a->copy_size);
        a->problem[0] = '\0';
    }
}

static BOOL call_configure(HEXPERTKEY key, void *arg)
{
    struct configure_args *a = arg;
    BOOL value = a->configure(key, &a->config, &a->startup, 0, NULL);
    if (value && value != CONFIGURE_DIALOG_FAILED)
        copy_config_out(key, a);
    return value;
}

static void take_config_out(HEXPERTKEY key, const struct call_result *call, void *arg)
{
    (void)key;
    struct configure_args *a = arg;
    struct session_report *report = a->report;
    if (!call->value || call->told_to_terminate)
        return;
    a->returned = a->config;                 /* the host's now, valid or not */
    if (call->value == CONFIGURE_DIALOG_FAILED) {
        report->configure_dialog_failed = TRUE;
        report->exit_code = EXIT_RETURNED_FALSE;
        return;
    }
    char error[NMEXPERT_PATH_BYTES + 160];
    if (a->problem[0]) {
        report->exit_code = EXIT_BAD_CONFIG;
    } else if (!config_file_write(a->path, a->copy, a->copy_size, error, sizeof error)) {
        snprintf(a->problem, sizeof a->problem, "%s", error);
        report->exit_code = EXIT_CONFIG_IO;
    } else {
        report->config_written = TRUE;
        report->config_bytes_out = a->copy_size;
    }
}

static void take_configs_back(HEXPERTKEY key, void *arg)
{
    struct configure_args *a = arg;
    if (a->returned != a->handed)
        handed_config_take_back(a->rt, key, a->returned);
    handed_config_take_back(a->rt, key, a->handed);
}

int command_configure(const struct nmexpert_options *o, const struct nmapi_runtime *rt)
{
    struct expert_module m;
    struct registration reg;
    int status = registration_prepare(o->experts[0], o->load_timeout_ms, &m, &reg);
    if (status)
        return status;
    if (!m.configure_proc) {
        out_printf(OUT_STDERR, "nmexpert: %s exports no Configure\n", o->experts[0]);
        expert_module_unload(&m);
        return EXIT_CANNOT_LOAD;
    }

    char error[NMEXPERT_PATH_BYTES + 160];
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
    report.config_stored = read == CONFIG_READ_OK;
    report.config_bytes_in = stored_size;
    struct configure_args args;
    memset(&args, 0, sizeof args);
    args.rt = rt;
    args.configure = m.configure_proc;
    args.has_stored = read == CONFIG_READ_OK;
    args.stored = stored;
    args.stored_size = stored_size;
    args.memory_limit = o->memory_limit;
    args.path = o->config_path;
    args.report = &report;
    struct session_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.startup = &args.startup;
    spec.before_call = hand_config_in;
    spec.call = call_configure;
    spec.after_return = take_config_out;
    spec.before_destroy = take_configs_back;
    spec.arg = &args;
    report.host_block = args.has_stored;
    report.problem = args.problem;         /* a sentence once there is one */
    status = command_session(o, rt, "configure", &m, &reg, &spec, &report);
    config_file_free(args.copy);
    config_file_free(stored);
    return status;
}
