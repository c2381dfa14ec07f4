/* commands.h - nmexpert's three commands; each returns the process exit status. */
#ifndef NMEXPERT_COMMANDS_H
#define NMEXPERT_COMMANDS_H

#include "options.h"
#include "registration.h"
#include "runtime.h"

int command_list(const struct nmexpert_options *o);
int command_configure(const struct nmexpert_options *o, const struct nmapi_runtime *rt);
int command_run(const struct nmexpert_options *o, const struct nmapi_runtime *rt);
int command_capture(const struct nmexpert_options *o, const struct nmapi_runtime *rt);

/* What an ExpertHostOpenCapture error means, in words. */
const char *capture_error_text(DWORD nmerr);

/* Runs spec's entry point under a fresh key with the options' limits and the progress line
 * (the caller set spec's call, hooks, arg and startup), then prints the report (the caller
 * set its configuration figures; a hook may have set problem and exit_code, which stand when
 * the expert returned TRUE). Returns the exit status. */
int command_session(const struct nmexpert_options *o, const struct nmapi_runtime *rt,
                    const char *command, struct expert_module *m,
                    const struct registration *reg, struct session_spec *spec,
                    struct session_report *report);

#endif
