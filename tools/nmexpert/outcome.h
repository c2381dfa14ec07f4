/*
 * outcome.h - what became of one call of an expert entry point, as nmexpert names it in its
 * reports and exit status.
 */
#ifndef NMEXPERT_OUTCOME_H
#define NMEXPERT_OUTCOME_H

#include "guarded_call.h"

/* nmexpert's exit status. 0-8 describe the expert; 64 and up describe the run itself. */
enum nmexpert_exit {
    EXIT_RETURNED_TRUE = 0,
    EXIT_RETURNED_FALSE = 1,
    EXIT_TERMINATED = 2,          /* returned after being told to terminate */
    EXIT_CRASHED = 3,
    EXIT_UNRESPONSIVE = 4,        /* did not return within the grace period */
    EXIT_BAD_CONFIG = 5,          /* Configure returned TRUE with an invalid configuration */
    EXIT_EXITED_THREAD = 6,       /* ended its thread without returning (ExitThread) */
    EXIT_TEARDOWN_FAILED = 7,     /* returned (0-2), but its key could not be torn down */
    EXIT_DLLMAIN = 8,             /* its DllMain crashed or did not return within
                                     --load-timeout, on load or unload (else 0-2) */
    EXIT_USAGE = 64,
    EXIT_CANNOT_LOAD = 65,
    EXIT_CAPTURE = 66,            /* the capture file cannot be opened */
    EXIT_INTERNAL = 70,           /* no key or no thread could be created */
    EXIT_CONFIG_IO = 74           /* the configuration file cannot be read or written */
};

enum expert_outcome {
    OUTCOME_RETURNED_TRUE,
    OUTCOME_RETURNED_FALSE,
    OUTCOME_TERMINATED,
    OUTCOME_CRASHED,
    OUTCOME_UNRESPONSIVE,
    OUTCOME_EXITED_THREAD
};

enum expert_outcome outcome_of(const struct call_result *call);
const char *outcome_name(enum expert_outcome outcome);   /* "returned-true", ... */
enum nmexpert_exit outcome_exit(enum expert_outcome outcome);

/* What became of a call that did not return TRUE, in a few words ("returned FALSE",
 * "crashed (exception 0xC0000005)", ...), into out. */
void describe_failed_call(const struct call_result *call, char *out, size_t capacity);

/* "TRUE", "FALSE", or for any other value "TRUE (-1)": what a call returned, as returned. */
void describe_returned(BOOL value, char *out, size_t capacity);

/* "exception 0xC0000005 (EXCEPTION_ACCESS_VIOLATION) at module.dll+0x1234" of a crashed call. */
void describe_exception(const struct call_result *call, char *out, size_t capacity);

/* "EXCEPTION_ACCESS_VIOLATION", ...; NULL for a code without a well-known name. */
const char *exception_name(DWORD code);

/* "crashing_expert.dll+0x1234" (or the bare address outside every module) into out, UTF-8.
 * Asks the memory manager, not the loader, whose lock may have died with an expert thread. */
void describe_code_address(const void *address, char *out, size_t capacity);

#endif
