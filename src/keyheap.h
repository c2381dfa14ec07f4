/*
 * keyheap.h - the allocator of one key: a private heap, exact accounting and the memory limit.
 *
 * Blocks of up to SIZE_CLASS_MAX bytes live in slabs carved from the private heap (slabs.h);
 * larger ones are blocks of the heap of their own, recorded in `large` (address -> requested
 * size). Either way the requested size of every live block is kept outside the expert's heap,
 * and a pointer is recognised by its value alone.
 *
 * Invariants (the caller holds the key's gate around every call but init and destroy):
 *   - a block is live exactly when slabs_find or `large` knows it, with the size last requested;
 *   - stats.live_blocks and stats.live_bytes are the count and the sum of those sizes;
 *   - stats.live_bytes <= limit when limit != 0;
 *   - every failing call leaves blocks, contents and stats as they were (but the counter
 *     of failed allocations);
 *   - a block's bytes up to its requested size are zero when handed out, and bytes a realloc
 *     adds are zero: only those are cleared, never a whole slot.
 * Destruction is one heap destruction plus a handful of frees of records, never a walk over
 * blocks or slabs.
 *
 * Per-block guard bytes fit this layout: take size + guard bytes from the slabs or the heap
 * while recording the requested size (in the slot word or in `large`); the tail to check is
 * then the bytes between the two, and a slot's own rounding adds to it.
 */
#ifndef NMAPI_KEYHEAP_H
#define NMAPI_KEYHEAP_H

#include <stddef.h>

#include "addr_table.h"
#include "heap_prim.h"
#include "slabs.h"

/* Larger requests fail as NO_MEMORY without reaching the heap (and cannot overflow sums). */
#define KEYHEAP_MAX_REQUEST (((size_t)-1 >> 1) - 0xFFFF)

struct keyheap_stats {
    size_t live_blocks;
    size_t live_bytes;
    size_t peak_bytes;
    size_t limit;
    unsigned long long total_allocations;
    unsigned long long failed_allocations;
};

struct keyheap {
    heap_prim_t heap;
    struct keyheap_stats stats;
    struct slabs small;
    struct addr_table large;   /* address -> { requested size } */
};

enum keyheap_status {
    KEYHEAP_OK,
    KEYHEAP_NO_MEMORY,   /* limit, exhausted heap or absurd size */
    KEYHEAP_NOT_OWNED,   /* the pointer is not a live block of this key */
};

/* Creates the private heap. KEYHEAP_NO_MEMORY when no heap can be created. */
enum keyheap_status keyheap_init(struct keyheap *kh, size_t limit);
/* Frees everything; *reclaimed (optional) receives the figures just before. Callers guarantee
 * no other call on kh is running or will start. */
void keyheap_destroy(struct keyheap *kh, struct keyheap_stats *reclaimed);

enum keyheap_status keyheap_alloc(struct keyheap *kh, size_t size, void **out);
enum keyheap_status keyheap_realloc(struct keyheap *kh, void *block, size_t size, void **out);
enum keyheap_status keyheap_free(struct keyheap *kh, void *block);
enum keyheap_status keyheap_size(struct keyheap *kh, const void *block, size_t *out);
void keyheap_query(const struct keyheap *kh, struct keyheap_stats *out);

#endif
