/*
 * failure_values.h - the NMERR_* codes the stubs of stubs.S return, as plain numbers the
 * assembler can read (it cannot include <netmon.h>). forward.c checks each against <netmon.h>
 * at compile time, so a wrong figure here stops the build.
 */
#ifndef NMAPI_FAILURE_VALUES_H
#define NMAPI_FAILURE_VALUES_H

#define NMAPI_NMERR_NOT_SUPPORTED 90

#endif
