/* keyheap.c - see keyheap.h for the invariants. */
#include "keyheap.h"

#include <string.h>

/* The helpers of the allocation and free paths are small and called from several places;
 * inlining them keeps those paths free of calls and of stack frames. */
#define HOT static inline __attribute__((always_inline))

enum keyheap_status keyheap_init(struct keyheap *kh, size_t limit, int check_corruption)
{
    memset(kh, 0, sizeof *kh);
    if (check_corruption && !(kh->guard = guard_create()))
        return KEYHEAP_NO_MEMORY;
    kh->pages = pages_create();
    if (!kh->pages) {
        guard_destroy(kh->guard);
        kh->guard = NULL;
        return KEYHEAP_NO_MEMORY;
    }
    kh->stats.limit = limit;
    return KEYHEAP_OK;
}

void keyheap_mark_abandoned(struct keyheap *kh)
{
    kh->abandoned = 1;
}

/* Corruption checks at destruction: every live block's guard (all in `large` for such a key),
 * every held block's fill. Destroy runs on the host's thread, so a block the expert made
 * unreadable is skipped rather than read. */
static void check_everything(struct keyheap *kh)
{
    for (size_t i = 0; kh->large.slots && i <= kh->large.mask; i++) {
        const struct addr_entry *e = &kh->large.slots[i];
        size_t size = (size_t)e->data[0];
        if (e->key && plat_readable((const void *)e->key, size + GUARD_BYTES))
            kh->stats.overruns_detected +=
                (unsigned)guard_check_overrun((unsigned char *)e->key, size);
    }
    kh->stats.writes_after_free_detected += guard_check_held(kh->guard);
}

void keyheap_destroy(struct keyheap *kh, struct keyheap_stats *reclaimed)
{
    if (kh->guard) {
        if (!kh->abandoned)
            check_everything(kh);
        guard_destroy(kh->guard);   /* held blocks go with the heap */
        kh->guard = NULL;
    }
    if (reclaimed)
        *reclaimed = kh->stats;
    pages_destroy(kh->pages);
    slabs_release(&kh->small);
    addr_table_release(&kh->large);
    kh->pages = NULL;
    memset(&kh->stats, 0, sizeof kh->stats);
}

/* May the key hold `wanted` more bytes once `released` of its live bytes are given back?
 * Overflow-free: live_bytes <= limit and released <= live_bytes always hold. */
HOT int fits(const struct keyheap_stats *s, size_t released, size_t wanted)
{
    if (wanted > KEYHEAP_MAX_REQUEST)
        return 0;
    return !s->limit || wanted <= s->limit - (s->live_bytes - released);
}

HOT void note_live_bytes(struct keyheap_stats *s, size_t released, size_t acquired)
{
    s->live_bytes = s->live_bytes - released + acquired;
    if (s->live_bytes > s->peak_bytes)
        s->peak_bytes = s->live_bytes;
}

static enum keyheap_status refuse(struct keyheap *kh)
{
    kh->stats.failed_allocations++;
    return KEYHEAP_NO_MEMORY;
}

/* Where a live block is recorded: a slab slot, or an entry of `large`. */
struct place {
    struct slab *slab;
    unsigned slot;
    struct addr_entry *large;
};

HOT int locate(const struct keyheap *kh, const void *block, struct place *at)
{
    at->slot = 0;   /* set by slabs_find only when found; gcc cannot see it is not read then */
    at->slab = slabs_find(&kh->small, (uintptr_t)block, &at->slot);
    at->large = at->slab ? NULL : addr_table_find(&kh->large, (uintptr_t)block);
    return at->slab || at->large;
}

HOT size_t size_at(const struct place *at)
{
    return at->slab ? slab_block_size(at->slab, at->slot) : (size_t)at->large->data[0];
}

/* Zeroes size bytes. On x86 with `rep stosb`, which current processors run at full store
 * bandwidth for all but the smallest sizes, rather than through the C runtime's memset
 * (msvcrt's, under Wine a generic one). */
HOT void zero_bytes(void *block, size_t size)
{
#if defined(__i386__) || defined(__x86_64__)
    __asm__ __volatile__("rep stosb" : "+D"(block), "+c"(size) : "a"(0) : "memory");
#else
    memset(block, 0, size);
#endif
}

/* Zeroes [p, p + n) for 16 <= n <= 2 * chunk with two stores of `chunk` bytes that may
 * overlap: constant-size memsets, which the compiler turns into plain stores. */
#define ZERO_ENDS(p, n, chunk) \
    do { \
        __builtin_memset((p), 0, (chunk)); \
        __builtin_memset((p) + (n) - (chunk), 0, (chunk)); \
    } while (0)

/* Zeroes the first size bytes of a slab slot, rounded up to SIZE_CLASS_ALIGN (every slot is
 * a multiple of it). Up to 256 bytes: a few constant-size stores chosen by one size range,
 * so a random mix of small sizes costs few mispredicted branches and no call. */
HOT void zero_small(void *block, size_t size)
{
    unsigned char *p = block;
    size_t n = (size + SIZE_CLASS_ALIGN - 1) & ~(size_t)(SIZE_CLASS_ALIGN - 1);
    if (n <= 16) {
        if (n == 16)
            __builtin_memset(p, 0, 16);
        else
            __builtin_memset(p, 0, 8);   /* i686's 8-byte slots (and size 0) */
    } else if (n <= 32) {
        ZERO_ENDS(p, n, 16);
    } else if (n <= 64) {
        ZERO_ENDS(p, n, 32);
    } else if (n <= 128) {
        ZERO_ENDS(p, n, 64);
    } else if (n <= 256) {
        ZERO_ENDS(p, n, 128);
    } else {
        zero_bytes(block, size);
    }
}

/* Bytes the heap gives a block beyond its size: the guard, for a key that checks. */
HOT size_t extra(const struct keyheap *kh) { return kh->guard ? GUARD_BYTES : 0; }

/* A new zero-filled block of size bytes, recorded; NULL when memory cannot be had. */
HOT void *new_block(struct keyheap *kh, size_t size)
{
    if (size <= SIZE_CLASS_MAX && !kh->guard) {
        void *block = slabs_alloc(&kh->small, kh->pages, size);
        if (block)
            zero_small(block, size);
        return block;
    }
    if (addr_table_reserve(&kh->large, 1) != 0)
        return NULL;
    void *block = pages_alloc(kh->pages, size + extra(kh));   /* zero-filled */
    if (!block)
        return NULL;
    addr_table_insert(&kh->large, (uintptr_t)block)->data[0] = size;
    if (kh->guard)
        guard_arm(block, size);
    return block;
}

/* With checks on, before a block is freed or resized: its guard, and the held blocks. */
static void check_block(struct keyheap *kh, void *block, size_t size)
{
    kh->stats.overruns_detected += (unsigned)guard_check_overrun(block, size);
    kh->stats.writes_after_free_detected += guard_check_held(kh->guard);
}

/* With checks on, a freed block is filled and held back (guard.h) instead of going back
 * to the arena; the ones it pushes out of the quarantine go back. */
static void hold_freed(struct keyheap *kh, void *block, size_t size)
{
    if (size > GUARD_HOLD_MAX) {
        pages_free(kh->pages, block, size + GUARD_BYTES);
        return;
    }
    unsigned char *leaving;
    size_t leaving_size;
    int written;
    while ((leaving = guard_make_room(kh->guard, size, &written, &leaving_size)) != NULL) {
        kh->stats.writes_after_free_detected += (unsigned)written;
        pages_free(kh->pages, leaving, leaving_size + GUARD_BYTES);
    }
    guard_hold(kh->guard, block, size);
}

HOT void drop_block(struct keyheap *kh, void *block, const struct place *at)
{
    if (at->slab) {
        slabs_free(&kh->small, kh->pages, at->slab, at->slot);
        return;
    }
    size_t size = (size_t)at->large->data[0];
    addr_table_remove(&kh->large, at->large);
    if (kh->guard)
        hold_freed(kh, block, size);
    else
        pages_free(kh->pages, block, size);
}

enum keyheap_status keyheap_alloc(struct keyheap *kh, size_t size, void **out)
{
    if (!fits(&kh->stats, 0, size))
        return refuse(kh);
    void *block = new_block(kh, size);
    if (!block)
        return refuse(kh);
    kh->stats.live_blocks++;
    kh->stats.total_allocations++;
    note_live_bytes(&kh->stats, 0, size);
    *out = block;
    return KEYHEAP_OK;
}

/* Can a slab block keep its slot at the new size? Only within its class or the ones it may
 * be lent to, so a shrunken block does not pin a much larger slot. */
static int stays_in_slot(const struct slab *sl, size_t size)
{
    return size <= sl->slot_size && size_class_of(size) + SLAB_LENDING_CLASSES >= sl->cls;
}

/* Resizes a large block's span; the arena zeroes what it adds past the old span's bytes, and
 * the old guard, inside the new size, is cleared here. */
static char *resize_large(struct keyheap *kh, void *block, const struct place *at, size_t size)
{
    size_t old_size = (size_t)at->large->data[0];
    char *moved = pages_realloc(kh->pages, block, old_size + extra(kh), size + extra(kh));
    if (!moved)
        return NULL;
    if (kh->guard && size > old_size)
        zero_bytes(moved + old_size, size - old_size < GUARD_BYTES ? size - old_size : GUARD_BYTES);
    if (kh->guard)
        guard_arm((unsigned char *)moved, size);
    if (moved == block) {
        at->large->data[0] = size;
    } else {
        addr_table_remove(&kh->large, at->large);
        addr_table_insert(&kh->large, (uintptr_t)moved)->data[0] = size;   /* count unchanged */
    }
    return moved;
}

enum keyheap_status keyheap_realloc(struct keyheap *kh, void *block, size_t size, void **out)
{
    if (!block)
        return keyheap_alloc(kh, size, out);

    struct place at;
    if (!locate(kh, block, &at))
        return KEYHEAP_NOT_OWNED;
    size_t old_size = size_at(&at);
    if (kh->guard)
        check_block(kh, block, old_size);
    if (!fits(&kh->stats, old_size, size))
        return refuse(kh);

    char *result;
    if (at.slab && stays_in_slot(at.slab, size)) {
        result = block;
        if (size > old_size)
            zero_bytes(result + old_size, size - old_size);
        slab_set_block_size(at.slab, at.slot, size);
    } else if (at.large && size > SIZE_CLASS_MAX) {
        if (!(result = resize_large(kh, block, &at, size)))
            return refuse(kh);
    } else {
        /* Between slabs and the heap, or to another class: a new block first, so that a
         * refusal leaves the original untouched. */
        if (!(result = new_block(kh, size)))
            return refuse(kh);
        memcpy(result, block, old_size < size ? old_size : size);
        if (at.large)   /* the new block may have grown the table: find the entry again */
            at.large = addr_table_find(&kh->large, (uintptr_t)block);
        drop_block(kh, block, &at);
    }
    note_live_bytes(&kh->stats, old_size, size);
    *out = result;
    return KEYHEAP_OK;
}

enum keyheap_status keyheap_free(struct keyheap *kh, void *block)
{
    if (!block)
        return KEYHEAP_OK;
    struct place at;
    if (!locate(kh, block, &at))
        return KEYHEAP_NOT_OWNED;
    size_t size = size_at(&at);
    if (kh->guard)
        check_block(kh, block, size);
    drop_block(kh, block, &at);
    kh->stats.live_blocks--;
    note_live_bytes(&kh->stats, size, 0);
    return KEYHEAP_OK;
}

enum keyheap_status keyheap_size(struct keyheap *kh, const void *block, size_t *out)
{
    struct place at;
    if (!locate(kh, block, &at))
        return KEYHEAP_NOT_OWNED;
    *out = size_at(&at);
    return KEYHEAP_OK;
}

void keyheap_query(const struct keyheap *kh, struct keyheap_stats *out)
{
    *out = kh->stats;
}
