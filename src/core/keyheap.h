/*
 * keyheap.h - the allocator of one key: a private heap, exact accounting and the memory limit.
 *
 * Blocks of up to SIZE_CLASS_MAX bytes live in slabs carved from the private heap (slabs.h);
 * larger ones are blocks of the heap of their own, recorded in `large` (address -> requested
 * size). Either way the requested size of every live block is kept outside the expert's heap,
 * and a pointer is recognised by its value alone.
 *
 * Invariants (the caller holds the key's gate around every call but init, destroy and
 * keyheap_touch):
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
 * No call that holds the gate reads or writes a byte of a block. What a call has to do to
 * the expert's memory - zero a new block, copy a moved one, write or check a guard - it
 * leaves in a struct keyheap_touch, which the caller carries out with keyheap_touch once the
 * gate is released: a fault there (a page the expert made read-only, a block another of its
 * threads freed) lands on the calling thread with nothing of the DLL held, and the key stays
 * usable and destroyable. When the touch says `settle`, the caller then enters the gate
 * again for keyheap_settle, which gives back the block a call moved from (in transit until
 * then: neither live nor free) and puts freed blocks in quarantine. The figures are final
 * before the touch; a call cut off between the two leaves only blocks in transit, whose
 * memory goes with the key's regions.
 *
 * A key created with corruption checks (`guard`, see guard.h) takes every block from the heap
 * itself, recorded in `large`, with GUARD_BYTES more than requested: no slabs, so that a
 * freed block can be held back whole and every live block found again at destroy (a walk
 * over `large`, the one walk destroy makes, and only for such keys). Its reallocations
 * always move, so that the old block is the call's own while its guard is checked. Its
 * figures count the requested bytes, as for any key.
 */
#ifndef NMAPI_KEYHEAP_H
#define NMAPI_KEYHEAP_H

#include <stddef.h>
#include <string.h>

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

/* What a call leaves to do on the expert's memory (see above). The allocating calls fill it;
 * nothing in it needs initialising. */
enum {
    KEYHEAP_TOUCH_ZERO = 1,        /* zero [zero_from, zero_to) of block */
    KEYHEAP_TOUCH_COPY = 2,        /* first copy zero_from bytes of old into block */
    KEYHEAP_TOUCH_ARM = 4,         /* write the guard at block + guard_at */
    KEYHEAP_TOUCH_CHECK_OLD = 8,   /* check old's guard (at old + old_size) */
    KEYHEAP_TOUCH_HOLD_OLD = 16,   /* fill old for the quarantine */
    KEYHEAP_TOUCH_SETTLE = 32,     /* keyheap_settle is due */
};

struct keyheap_touch {
    unsigned what;
    unsigned char *block;
    size_t zero_from, zero_to, guard_at;
    unsigned char *old;            /* in transit: the block moved from or (guard) freed */
    size_t old_size;
    struct slab *old_slab;         /* old's slab and slot, when it is a slab block */
    unsigned old_slot;
    unsigned held_count;           /* the quarantine, taken out to be checked (guard) */
    unsigned overruns, written;    /* what the touch found (guard) */
    struct guard_held held[GUARD_HOLD_BLOCKS];
};

/* The allocator calls, under the gate. On KEYHEAP_OK, *t says what is left to do. */
enum keyheap_status keyheap_alloc(struct keyheap *kh, size_t size, void **out, struct keyheap_touch *t);
enum keyheap_status keyheap_realloc(struct keyheap *kh, void *block, size_t size, void **out,
                                    struct keyheap_touch *t);
enum keyheap_status keyheap_free(struct keyheap *kh, void *block, struct keyheap_touch *t);
enum keyheap_status keyheap_size(struct keyheap *kh, const void *block, size_t *out);

/* Zeroes size bytes (rep stosb on x86, which current processors run at full store bandwidth
 * for all but the smallest sizes, rather than msvcrt's generic memset under Wine). */
static inline __attribute__((always_inline)) void keyheap_zero(void *block, size_t size)
{
#if defined(__i386__) || defined(__x86_64__)
    __asm__ __volatile__("rep stosb" : "+D"(block), "+c"(size) : "a"(0) : "memory");
#else
    memset(block, 0, size);
#endif
}

/* Zeroes the first size bytes of a new slab slot, rounded up to SIZE_CLASS_ALIGN (every
 * slot is a multiple of it): up to 256 bytes a few constant-size stores chosen by one size
 * range, so that a random mix of small sizes costs few mispredicted branches and no call. */
#define KEYHEAP_ZERO_ENDS(p, n, chunk) /* 16 <= n <= 2 * chunk: two stores that may overlap */ \
    do { \
        __builtin_memset((p), 0, (chunk)); \
        __builtin_memset((p) + (n) - (chunk), 0, (chunk)); \
    } while (0)
static inline __attribute__((always_inline)) void keyheap_zero_small(void *block, size_t size)
{
    unsigned char *p = block;
    size_t n = (size + SIZE_CLASS_ALIGN - 1) & ~(size_t)(SIZE_CLASS_ALIGN - 1);
    if (n <= 16) {
        if (n == 16)
            __builtin_memset(p, 0, 16);
        else
            __builtin_memset(p, 0, 8);   /* i686's 8-byte slots (and size 0) */
    } else if (n <= 32) {
        KEYHEAP_ZERO_ENDS(p, n, 16);
    } else if (n <= 64) {
        KEYHEAP_ZERO_ENDS(p, n, 32);
    } else if (n <= 128) {
        KEYHEAP_ZERO_ENDS(p, n, 64);
    } else if (n <= 256) {
        KEYHEAP_ZERO_ENDS(p, n, 128);
    } else {
        keyheap_zero(block, size);
    }
}

/* Every other touch: copies, large zeroing, guards. */
void keyheap_touch_rest(struct keyheap_touch *t);

/* Carries out *t with no lock held. The common case - a new slab block to zero - inline. */
static inline __attribute__((always_inline)) void keyheap_touch(struct keyheap_touch *t)
{
    if (__builtin_expect(t->what == KEYHEAP_TOUCH_ZERO && t->zero_from == 0, 1))
        keyheap_zero_small(t->block, t->zero_to);
    else if (t->what)
        keyheap_touch_rest(t);
}

/* Under the gate again, after keyheap_touch, when t->what has KEYHEAP_TOUCH_SETTLE. */
void keyheap_settle(struct keyheap *kh, struct keyheap_touch *t);

void keyheap_query(const struct keyheap *kh, struct keyheap_stats *out);

#endif
