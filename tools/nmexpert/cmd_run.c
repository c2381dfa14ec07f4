/*
 * cmd_run.c - `nmexpert run EXPERT.dll`: Run on a thread of its own under a fresh key, with
 * the stored configuration (--config) handed in as an EXPERTCONFIG allocated on a host key of
 * its own - not in the runner's heap, which an expert writing past it would damage, and not on
 * the expert's key, where it would count as the expert's memory (and where an expert could
 * free it and get its address back for a block of its own) - and a valid EXPERTSTARTUPINFO
 * (the SDK's template dereferences it unchecked; --capture names the capture file in it);
 * then the report.
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "config_file.h"
#include "handed_config.h"

struct run_args {
    const struct nmapi_runtime *rt;
    PEXPERTRUNPROC run;
    const BYTE *stored;            /* --config's bytes; has_stored FALSE without --config */
    BOOL has_stored;
    DWORD stored_size;
    HEXPERTKEY host_key;           /* holds config; NULL without --config */
    PEXPERTCONFIG config;          /* NULL without --config */
    EXPERTSTARTUPINFO startup;     /* the expert's own copy */
    struct session_report *report;
};

static BOOL hand_config_in(HEXPERTKEY key, void *arg, char *error, size_t error_size)
{
    (void)key;
    struct run_args *a = arg;
    if (!a->has_stored)
        return TRUE;
    DWORD nmerr = a->rt->create_key(NULL, &a->host_key);
    if (nmerr != NMERR_SUCCESS) {
        snprintf(error, error_size, "ExpertHostCreateKey failed with NMERR %lu", nmerr);
        return FALSE;
    }
    a->config = handed_config_give(a->rt, a->host_key, a->stored, a->stored_size, 0,
                                   error, error_size, &a->report->exit_code);
    if (!a->config) {
        a->rt->destroy_key(a->host_key, NULL);
        a->host_key = NULL;
    }
    return a->config != NULL;
}

static BOOL call_run(HEXPERTKEY key, void *arg)
{
    struct run_args *a = arg;
    return a->run(key, a->config, &a->startup, 0, NULL);
}

static void take_config_back(HEXPERTKEY key, void *arg)
{
    (void)key;
    struct run_args *a = arg;
    if (a->host_key)
        a->rt->destroy_key(a->host_key, NULL);
}

/* Once the expert's key is gone: what the capture served, then its close and what the
 * per-capture memory held. */
static void close_capture(void *arg)
{
    struct run_args *a = arg;
    HCAPTURE h = a->startup.hCapture;
    if (!a->report->capture_opened || !h)
        return;
    a->report->capture.cbSize = sizeof a->report->capture;
    a->rt->query_capture(h, &a->report->capture);
    a->report->capture_reclaimed.cbSize = sizeof a->report->capture_reclaimed;
    a->rt->close_capture(h, &a->report->capture_reclaimed);
    a->startup.hCapture = NULL;
}

/* --capture: the runtime opens the file and the expert gets its handle (not when forwarding
 * to an original, whose functions would be handed a capture they do not know: then the
 * expert gets the name only). EXIT_CAPTURE when the file cannot be used. */
static int open_capture(const struct nmexpert_options *o, const struct nmapi_runtime *rt,
                        struct run_args *args)
{
    if (!o->capture_path || rt->forward_path)
        return 0;
    WCHAR path[NMEXPERT_PATH_BYTES];
    if (!utf8_to_wide(o->capture_path, path, sizeof path / sizeof *path)) {
        out_printf(OUT_STDERR, "nmexpert: --capture %s: not a usable path\n", o->capture_path);
        return EXIT_USAGE;
    }
    HCAPTURE h = NULL;
    DWORD error = rt->open_capture(path, &h);
    if (error != NMERR_SUCCESS) {
        out_printf(OUT_STDERR, "nmexpert: --capture %s: %s (NMERR %lu)\n", o->capture_path,
                   capture_error_text(error), (unsigned long)error);
        return EXIT_CAPTURE;
    }
    args->startup.hCapture = h;
    args->report->capture_opened = TRUE;
    return 0;
}

int command_run(const struct nmexpert_options *o, const struct nmapi_runtime *rt)
{
    struct expert_module m;
    struct registration reg;
    int status = registration_prepare(o->experts[0], o->load_timeout_ms, &m, &reg);
    if (status)
        return status;

    struct session_report report;
    memset(&report, 0, sizeof report);
    struct run_args args;
    memset(&args, 0, sizeof args);
    args.rt = rt;
    args.run = m.run_proc;
    args.report = &report;
    /* szCaptureFile is a CHAR array: the name in the ANSI code page, or the short name. */
    if (o->capture_path && !utf8_path_to_ansi(o->capture_path, args.startup.szCaptureFile,
                                              sizeof args.startup.szCaptureFile)) {
        out_printf(OUT_STDERR, "nmexpert: --capture %s: EXPERTSTARTUPINFO.szCaptureFile holds "
                   "MAX_PATH - 1 characters of the ANSI code page, which cannot spell this "
                   "name, and the file has no short name\n", o->capture_path);
        expert_module_unload(&m);
        return EXIT_USAGE;
    }
    BYTE *stored = NULL;
    if (o->config_path) {
        char error[NMEXPERT_PATH_BYTES + 160];
        enum config_read read = config_file_read(o->config_path, &stored, &args.stored_size,
                                                 error, sizeof error);
        if (read != CONFIG_READ_OK) {
            if (read == CONFIG_READ_MISSING)
                snprintf(error, sizeof error, "%s does not exist", o->config_path);
            out_printf(OUT_STDERR, "nmexpert: %s\n", error);
            expert_module_unload(&m);
            return EXIT_CONFIG_IO;
        }
        args.has_stored = TRUE;
        args.stored = stored;
    }
    status = open_capture(o, rt, &args);
    if (status) {
        config_file_free(stored);
        expert_module_unload(&m);
        return status;
    }
    report.config_stored = args.has_stored;
    report.config_bytes_in = args.stored_size;

    struct session_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.startup = &args.startup;
    spec.before_call = hand_config_in;
    spec.call = call_run;
    spec.before_destroy = take_config_back;
    spec.after_session = close_capture;
    spec.arg = &args;
    status = command_session(o, rt, "run", &m, &reg, &spec, &report);
    config_file_free(stored);
    return status;
}
