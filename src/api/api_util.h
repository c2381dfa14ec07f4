/* api_util.h - what the exported files share: mapping internal status to NMERR_* codes, and a
 * key's figures to EXPERTHOSTMEMORYSTATS. */
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

/* A key's figures as the host API reports them. */
static inline void stats_to_public(const struct keyheap_stats *in, EXPERTHOSTMEMORYSTATS *out)
{
    out->Reserved = 0;
    out->LiveBlocks = in->live_blocks;
    out->LiveBytes = in->live_bytes;
    out->PeakBytes = in->peak_bytes;
    out->MemoryLimit = in->limit;
    out->TotalAllocations = in->total_allocations;
    out->FailedAllocations = in->failed_allocations;
    out->OverrunsDetected = in->overruns_detected;
    out->WritesAfterFreeDetected = in->writes_after_free_detected;
}

#endif
