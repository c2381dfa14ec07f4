/*
 * report.h - nmexpert's reports: in words for people, or one JSON object (--json) for tools.
 * Every expert-provided string is made safe for its destination (status_text.h, json_writer.h).
 */
#ifndef NMEXPERT_REPORT_H
#define NMEXPERT_REPORT_H

#include "expert_module.h"
#include "expert_session.h"
#include "out.h"
#include "outcome.h"

/* One Configure or Run session. */
struct session_report {
    const char *command;                 /* "configure" or "run" */
    const char *expert_path;             /* as the user gave it */
    const EXPERTENUMINFO *about;         /* what Register said */
    const struct session_result *result;
    SIZE_T memory_limit;
    BOOL check_corruption;               /* the key checked for overruns and writes after free */
    DWORD timeout_ms;                    /* INFINITE for none */
    DWORD grace_ms;
    DWORD teardown_timeout_ms;
    const char *config_path;             /* NULL without --config */
    BOOL config_stored;                  /* FILE existed: a configuration was handed in */
    DWORD config_bytes_in;               /* RawConfigData bytes handed in */
    BOOL config_written;                 /* configure: FILE was rewritten */
    DWORD config_bytes_out;              /* configure: RawConfigData bytes written */
    const char *problem;                 /* a sentence when the expert broke the contract
                                            (an invalid configuration), else NULL */
    BOOL configure_dialog_failed;        /* configure: Configure returned -1 (DialogBox's
                                            failure value): not configured */
    BOOL host_block;                     /* configure: the configuration handed in, allocated
                                            by the runner on the expert's key (not counted as
                                            the expert's allocation) */
    const struct expert_module *module;  /* how its DllMain fared on unload */
    const char *unload_problem;          /* describe_unload's sentence, NULL when clean */
    BOOL capture_opened;                 /* run --capture: opened by the runtime */
    EXPERTHOSTCAPTUREINFO capture;       /* what it was, as the expert's key was destroyed */
    EXPERTHOSTMEMORYSTATS capture_reclaimed;   /* its per-capture memory, at close */
    const char *forward_path;            /* --forward's original Nmapi.dll, or NULL */
    DWORD forwarded;                     /* how many functions it provides */
    enum nmexpert_exit exit_code;
};

void report_session(enum out_stream out, const struct session_report *report, BOOL json);

/* One expert of `nmexpert list`. */
struct registration {
    const char *expert_path;
    const char *load_error;              /* non-NULL: the expert could not be loaded */
    struct call_result call;             /* Register's call */
    EXPERTENUMINFO about;
    BOOL exports_configure;
    enum dllmain_outcome unload;         /* after Register */
    const char *unload_problem;          /* a sentence when unloading went wrong, else NULL */
};

void report_registrations(enum out_stream out, const struct registration *list, int count, BOOL json);

#endif
