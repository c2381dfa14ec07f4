/*
 * keyheap.h - the allocator of one key: a private heap, the table of its live blocks, exact
 * accounting and the memory limit.
 *
 * Invariants, all under `lock`:
 *   - a block is live exactly when its address is in `blocks`, with the size last requested;
 *   - stats.live_blocks == blocks.count, stats.live_bytes == the sum of the sizes in `blocks`;
 *   - stats.live_bytes <= limit when limit != 0;
 *   - every failing call leaves blocks, contents and stats as they were (but the counter
 *     of failed allocations).
 * Destruction is one heap destruction plus one free of the table, never a walk over blocks.
 */
#ifndef NMAPI_KEYHEAP_H
#define NMAPI_KEYHEAP_H

#include <stddef.h>

#include "block_table.h"
#include "heap_prim.h"
#include "platform.h"

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
    plat_lock lock;
    heap_prim_t heap;
    struct block_table blocks;
    struct keyheap_stats stats;
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
void keyheap_query(struct keyheap *kh, struct keyheap_stats *out);

#endif
