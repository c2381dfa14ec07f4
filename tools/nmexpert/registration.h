/* registration.h - calling an expert's Register, guarded like every entry point. */
#ifndef NMEXPERT_REGISTRATION_H
#define NMEXPERT_REGISTRATION_H

#include "expert_module.h"
#include "report.h"

/* How long Register may take; it only fills in a structure. */
#define REGISTER_TIMEOUT_MS 10000u

/* Calls m's Register into reg->about (szDllName and hModule filled in beforehand, as the host
 * would). Returns TRUE when it returned TRUE. */
BOOL registration_call(struct registration *reg, const struct expert_module *m);

/* The exit status for a Register that did not return TRUE: its crash, hang or exit, or
 * EXIT_CANNOT_LOAD for an expert that declined to register. */
enum nmexpert_exit registration_failure_exit(const struct registration *reg);

/* Loads the expert at path (DllMain bounded by load_timeout_ms) and calls its Register.
 * Returns 0, or the exit status after printing why to stderr (the module is then unloaded
 * unless that could hang). For configure and run. */
int registration_prepare(const char *path, DWORD load_timeout_ms, struct expert_module *m,
                         struct registration *reg);

#endif
