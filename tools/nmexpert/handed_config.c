/* handed_config.c - see handed_config.h. */
#include "handed_config.h"

#include <stdio.h>
#include <string.h>

PEXPERTCONFIG handed_config_give(const struct nmapi_runtime *rt, HEXPERTKEY key,
                                 const BYTE *data, DWORD size, SIZE_T memory_limit,
                                 char *error, size_t error_size,
                                 enum nmexpert_exit *exit_code)
{
    DWORD nmerr;
    SIZE_T bytes = sizeof(DWORD) + (SIZE_T)size;
    PEXPERTCONFIG config = rt->alloc_memory(key, bytes, &nmerr);
    if (!config) {
        if (nmerr == NMERR_OUT_OF_MEMORY && memory_limit && bytes > memory_limit) {
            snprintf(error, error_size, "the stored configuration (%llu bytes with its header) "
                     "does not fit --memory-limit %llu", (unsigned long long)bytes,
                     (unsigned long long)memory_limit);
            *exit_code = EXIT_USAGE;
        } else {
            snprintf(error, error_size, "cannot hand the %lu-byte configuration in: "
                     "ExpertAllocMemory failed with NMERR %lu", (unsigned long)size, nmerr);
            *exit_code = EXIT_INTERNAL;
        }
        return NULL;
    }
    config->RawConfigLength = (DWORD)bytes;
    if (size)
        memcpy(config->RawConfigData, data, size);
    return config;
}

void handed_config_take_back(const struct nmapi_runtime *rt, HEXPERTKEY key,
                             PEXPERTCONFIG config)
{
    if (config && rt->memory_size(key, config) != (SIZE_T)-1)
        rt->free_memory(key, config);
}
