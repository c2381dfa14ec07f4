/* cmd_session.c - what configure and run share: one entry point under a fresh key, with the
 * progress line, then the report. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "progress.h"

int command_session(const struct nmexpert_options *o, const struct nmapi_runtime *rt,
                    const char *command, struct expert_module *m,
                    const struct registration *reg, struct session_spec *spec,
                    struct session_report *report)
{
    struct progress progress;
    progress_init(&progress, !o->json);
    if (spec->startup && spec->startup->hCapture) {
        progress.capture = spec->startup->hCapture;
        progress.query_capture = rt->query_capture;
    }
    spec->rt = rt;
    spec->display_name = reg->about.szName;
    spec->memory_limit = o->memory_limit;
    spec->check_corruption = o->check_corruption;
    spec->timeout_ms = o->timeout_ms;
    spec->grace_ms = o->grace_ms;
    spec->teardown_timeout_ms = o->teardown_timeout_ms;
    spec->on_status = progress_show;
    spec->status_ctx = &progress;

    char error[NMEXPERT_PATH_BYTES + 256];
    struct session_result result;
    BOOL ran = expert_session_run(spec, &result, error, sizeof error);
    progress_clear(&progress);
    if (spec->after_session)
        spec->after_session(spec->arg);
    if (!ran) {
        out_printf(OUT_STDERR, "nmexpert: %s\n", error);
        expert_module_unload(m);
        return report->exit_code ? report->exit_code : EXIT_INTERNAL;
    }

    report->command = command;
    report->expert_path = reg->expert_path;
    report->about = &reg->about;
    report->result = &result;
    report->memory_limit = o->memory_limit;
    report->check_corruption = o->check_corruption;
    report->timeout_ms = o->timeout_ms;
    report->grace_ms = o->grace_ms;
    report->teardown_timeout_ms = o->teardown_timeout_ms;
    report->config_path = o->config_path;
    report->forward_path = rt->forward_path;
    report->forwarded = rt->forwarded;
    enum expert_outcome outcome = outcome_of(&result.call);
    if (outcome != OUTCOME_RETURNED_TRUE || !report->exit_code)
        report->exit_code = outcome_exit(outcome);
    /* An expert that returned but whose key could not be torn down did not end well; a worse
     * outcome (a crash, ...) keeps its own status, and the report says what the teardown did. */
    if (result.teardown != TEARDOWN_DESTROYED && report->exit_code <= EXIT_TERMINATED)
        report->exit_code = EXIT_TEARDOWN_FAILED;
    /* Unloaded before the report, which says how its DllMain fared; a thread that crashed or
     * was ended may have left the DLL (and the loader) in any state: then it stays. */
    char unload[NMEXPERT_PATH_BYTES + 256];
    enum dllmain_outcome unloaded = expert_module_unload(m);
    describe_unload(m, unload, sizeof unload);
    report->module = m;
    report->unload_problem = unload[0] ? unload : NULL;
    if ((unloaded == DLLMAIN_CRASHED || unloaded == DLLMAIN_TIMED_OUT) &&
        report->exit_code <= EXIT_TERMINATED)
        report->exit_code = EXIT_DLLMAIN;
    report_session(OUT_STDOUT, report, o->json);
    return report->exit_code;
}
