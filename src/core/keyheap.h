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
 * A key created with corruption checks (`guard`, see guard.h) takes every block from the heap
 * itself, recorded in `large`, with GUARD_BYTES more than requested: no slabs, so that a
 * freed block can be held back whole and every live block found again at destroy (a walk
 * over `large`, the one walk destroy makes, and only for such keys). Its figures count the
 * requested bytes, as for any key.
 */
#ifndef NMAPI_KEYHEAP_H
#define NMAPI_KEYHEAP_H

#include <stddef.h>

#include "addr_table.h"
#include "guard.h"
#include "pages.h"
#include "platform.h"
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
    unsigned long long overruns_detected;          /* with corruption checks (guard.h) */
    unsigned long long writes_after_free_detected;
};

struct keyheap {
    struct page_arena *pages;  /* every byte the expert is given: slabs and large blocks */
    struct keyheap_stats stats;
    struct slabs small;
    struct addr_table large;   /* address -> { requested size } */
    struct guard *guard;       /* NULL unless the key checks for corruption */
    int abandoned;             /* a call was cut off inside: destroy reads no block */
};

enum keyheap_status {
    KEYHEAP_OK,
    KEYHEAP_NO_MEMORY,   /* limit, exhausted heap or absurd size */
    KEYHEAP_NOT_OWNED,   /* the pointer is not a live block of this key */
};

/* Creates the private heap, with corruption checks (guard.h) when `check_corruption`.
 * KEYHEAP_NO_MEMORY when no heap (or no guard record) can be created. */
enum keyheap_status keyheap_init(struct keyheap *kh, size_t limit, int check_corruption);
/* Frees everything; *reclaimed (optional) receives the figures just before, with what the
 * corruption checks of every live and held block found. Callers guarantee no other call on
 * kh is running or will start. */
void keyheap_destroy(struct keyheap *kh, struct keyheap_stats *reclaimed);

/* A call on kh was cut off part-way (its thread ended): its records may be half changed, so
 * keyheap_destroy will release memory without reading any block (no corruption checks). */
void keyheap_mark_abandoned(struct keyheap *kh);

enum keyheap_status keyheap_alloc(struct keyheap *kh, size_t size, void **out);
enum keyheap_status keyheap_realloc(struct keyheap *kh, void *block, size_t size, void **out);
enum keyheap_status keyheap_free(struct keyheap *kh, void *block);
enum keyheap_status keyheap_size(struct keyheap *kh, const void *block, size_t *out);
void keyheap_query(const struct keyheap *kh, struct keyheap_stats *out);

#endif
