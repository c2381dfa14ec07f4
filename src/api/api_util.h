/* api_util.h - what both exported layers share: mapping internal status to NMERR_* codes. */
#ifndef NMAPI_API_UTIL_H
#define NMAPI_API_UTIL_H

#include "nmapi.h"
#include "keyheap.h"
#include "registry.h"

static inline uintptr_t key_value(HEXPERTKEY key) { return (uintptr_t)key; }

static inline DWORD nmerr_from_keyheap(enum keyheap_status st)
{
    switch (st) {
    case KEYHEAP_OK:        return NMERR_SUCCESS;
    case KEYHEAP_NO_MEMORY: return NMERR_OUT_OF_MEMORY;
    default:                return NMERR_INVALID_PARAMETER;
    }
}

static inline DWORD nmerr_from_registry(enum registry_status st)
{
    switch (st) {
    case REGISTRY_OK:        return NMERR_SUCCESS;
    case REGISTRY_NO_MEMORY: return NMERR_OUT_OF_MEMORY;
    default:                 return NMERR_INVALID_EXPERT_HANDLE;
    }
}

#endif
