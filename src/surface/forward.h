/*
 * forward.h - forwarding the exports outside this runtime's scope (display filters, parser and
 * capture queries: every row of exports.tsv that is not "ours") to an original Network
 * Monitor Nmapi.dll.
 *
 * The entry points are the assembly stubs of stubs.S, one line each. Each reads
 * nmapi_forward_state; while it is 0, it calls nmapi_forward_resolve once, which looks at the
 * environment variable NMAPI_FORWARD (for hosts that cannot be changed) under a one-time
 * initialisation. Then it jumps to its slot in nmapi_forward_slots when the slot is set, and
 * otherwise returns the documented failure value. The Expert* family is never forwarded.
 *
 * Slots are written with atomic stores before nmapi_forward_state becomes 1. A later
 * ExpertHostForwardTo rewrites every slot: a stub that races it calls the old original, the
 * new one, or - for a function the new original lacks (NULL slot) - returns its failure value.
 * Every original, once loaded, stays loaded for the rest of the process, since a forwarded
 * call may be running in it.
 */
#ifndef NMAPI_FORWARD_H
#define NMAPI_FORWARD_H

#include <stdint.h>

#include "nmapi.h"

extern void *nmapi_forward_slots[];
extern volatile int32_t nmapi_forward_state;

/* Called by the stubs (cdecl, no arguments); the x86_64 stubs call it through
 * nmapi_forward_resolve_preserving, which keeps the argument registers. */
void nmapi_forward_resolve(void);

/* Loads the original at path (wide: any file name) and resolves every forwarded name in it once. Returns
 * NMERR_SUCCESS with *resolved set; NMERR_INVALID_PARAMETER (path NULL or empty, this DLL
 * itself, or a DLL that exports none of the names); NMERR_FILE_NOT_FOUND (cannot be loaded).
 * On failure nothing changes. Thread-safe. */
DWORD forward_to(const WCHAR *path, DWORD *resolved);

/* 1 once an original was named (by the host or NMAPI_FORWARD); call after
 * nmapi_forward_resolve. */
int forward_active(void);

#endif
