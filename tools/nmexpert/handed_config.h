/*
 * handed_config.h - a stored configuration handed to Configure or Run the documented way: an
 * EXPERTCONFIG allocated on the expert's key (RawConfigLength counting its own four bytes),
 * so that an expert writing past it damages only its own heap, never the runner's. Once the
 * call is over, whatever its outcome, the runner frees it if it is still a live block of the
 * key: the host owns it, so it is not reported as left behind by the expert (it does count in
 * the expert's allocations and peak). Configure must get it on its own key (it may grow it
 * there); run hands it on a host key of its own. Known limit: an expert that frees the
 * configuration and gets the same address back for a block of its own would have that block
 * freed by the runner - "live" is decided by address.
 */
#ifndef NMEXPERT_HANDED_CONFIG_H
#define NMEXPERT_HANDED_CONFIG_H

#include "outcome.h"
#include "runtime.h"

/* Allocates and fills the EXPERTCONFIG on key. NULL on failure, with a sentence in error and
 * the exit status in *exit_code (EXIT_USAGE when it does not fit the key's memory limit). */
PEXPERTCONFIG handed_config_give(const struct nmapi_runtime *rt, HEXPERTKEY key,
                                 const BYTE *data, DWORD size, SIZE_T memory_limit,
                                 char *error, size_t error_size,
                                 enum nmexpert_exit *exit_code);

/* Frees config when it is still a live block of key (the expert may have freed or moved it).
 * NULL is a no-op. */
void handed_config_take_back(const struct nmapi_runtime *rt, HEXPERTKEY key,
                             PEXPERTCONFIG config);

#endif
