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
    pages_destroy(kh->pages);       /* every region and record: nothing else to free */
    slabs_forget(&kh->small);
    memset(&kh->large, 0, sizeof kh->large);
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

/* Bytes the heap gives a block beyond its size: the guard, for a key that checks. */
HOT size_t extra(const struct keyheap *kh) { return kh->guard ? GUARD_BYTES : 0; }

/* A new block of size bytes, recorded; NULL when memory cannot be had. Its bytes are for
 * the touch to prepare: a slab slot holds whatever it last held (*slab set), a span of pages
 * is zero, and a checking key's guard is still to be written. */
HOT void *new_block(struct keyheap *kh, size_t size, int *slab)
{
    *slab = size <= SIZE_CLASS_MAX && !kh->guard;
    if (*slab)
        return slabs_alloc(&kh->small, kh->pages, size);
    if (addr_table_reserve(&kh->large, pages_records(kh->pages), 1) != 0)
        return NULL;
    void *block = pages_alloc(kh->pages, size + extra(kh));
    if (!block)
        return NULL;
    addr_table_insert(&kh->large, (uintptr_t)block)->data[0] = size;
    return block;
}

/* The touch of a new block: zero a slab slot's bytes from `from` to size, arm a guard. */
HOT void prepare_new(const struct keyheap *kh, struct keyheap_touch *t, void *block, size_t from,
                     size_t size, int slab)
{
    t->block = block;
    t->zero_from = from;
    t->zero_to = slab ? size : from;
    t->what = slab ? KEYHEAP_TOUCH_ZERO : 0;
    if (kh->guard) {
        t->what |= KEYHEAP_TOUCH_ARM;
        t->guard_at = size;
    }
}

/* Takes a block that stops being live out of every table, in transit (see keyheap.h), for
 * the touch to read and keyheap_settle to give back; with checks on, takes the quarantine out
 * to be checked too. */
static void put_in_transit(struct keyheap *kh, struct keyheap_touch *t, void *block,
                           const struct place *at, size_t size)
{
    t->old = block;
    t->old_size = size;
    t->old_slab = at->slab;
    t->old_slot = at->slot;
    t->what |= KEYHEAP_TOUCH_SETTLE;
    if (at->slab) {
        slab_set_in_transit(at->slab, at->slot);
        return;
    }
    addr_table_remove(&kh->large, at->large);
    if (kh->guard) {
        t->what |= KEYHEAP_TOUCH_CHECK_OLD | (size <= GUARD_HOLD_MAX ? KEYHEAP_TOUCH_HOLD_OLD : 0);
        t->held_count = guard_take_all(kh->guard, t->held);
        t->overruns = t->written = 0;
    }
}

void keyheap_touch_rest(struct keyheap_touch *t)
{
    if (t->what & KEYHEAP_TOUCH_CHECK_OLD) {
        t->overruns = (unsigned)guard_check_overrun(t->old, t->old_size);
        for (unsigned i = 0; i < t->held_count; i++)
            t->written += (unsigned)guard_check_one(&t->held[i]);
    }
    if (t->what & KEYHEAP_TOUCH_COPY)
        memcpy(t->block, t->old, t->zero_from);
    if ((t->what & KEYHEAP_TOUCH_ZERO) && t->zero_from == 0)
        keyheap_zero_small(t->block, t->zero_to);
    else if (t->what & KEYHEAP_TOUCH_ZERO)
        keyheap_zero(t->block + t->zero_from, t->zero_to - t->zero_from);
    if (t->what & KEYHEAP_TOUCH_ARM)
        guard_arm(t->block, t->guard_at);
    if (t->what & KEYHEAP_TOUCH_HOLD_OLD)
        guard_fill_freed(t->old, t->old_size);
}

/* Holds a checked, filled block back, giving back to the arena what leaves to make room. */
static void hold(struct keyheap *kh, unsigned char *block, size_t size)
{
    size_t leaving_size;
    unsigned char *leaving;
    while (!guard_has_room(kh->guard, size) &&
           (leaving = guard_release_oldest(kh->guard, &leaving_size)) != NULL)
        pages_free(kh->pages, leaving, leaving_size + GUARD_BYTES);
    guard_put(kh->guard, block, size);
}

void keyheap_settle(struct keyheap *kh, struct keyheap_touch *t)
{
    if (t->old_slab) {
        slabs_free(&kh->small, kh->pages, t->old_slab, t->old_slot);
        return;
    }
    if (!kh->guard) {
        pages_free(kh->pages, t->old, t->old_size);
        return;
    }
    kh->stats.overruns_detected += t->overruns;
    kh->stats.writes_after_free_detected += t->written;
    for (unsigned i = 0; i < t->held_count; i++)
        hold(kh, t->held[i].block, t->held[i].size);
    if (t->what & KEYHEAP_TOUCH_HOLD_OLD)
        hold(kh, t->old, t->old_size);
    else
        pages_free(kh->pages, t->old, t->old_size + GUARD_BYTES);
}

enum keyheap_status keyheap_alloc(struct keyheap *kh, size_t size, void **out, struct keyheap_touch *t)
{
    if (!fits(&kh->stats, 0, size))
        return refuse(kh);
    int slab;
    void *block = new_block(kh, size, &slab);
    if (!block)
        return refuse(kh);
    prepare_new(kh, t, block, 0, size, slab);
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

/* Resizes a large block of a key without checks where its span lies; 0 when done. The bytes
 * of its old pages past its old size are the expert's leftovers: the touch zeroes them, up
 * to the new size (pages added are zero already). */
static int resize_in_place(struct keyheap *kh, void *block, struct place *at, size_t size,
                           struct keyheap_touch *t)
{
    size_t old_size = (size_t)at->large->data[0];
    if (pages_resize(kh->pages, block, old_size, size) != 0)
        return -1;
    at->large->data[0] = size;
    size_t old_end = (old_size + PLAT_PAGE - 1) & ~(size_t)(PLAT_PAGE - 1);
    t->what = size > old_size ? KEYHEAP_TOUCH_ZERO : 0;
    t->block = block;
    t->zero_from = old_size;
    t->zero_to = size < old_end ? size : old_end;
    return 0;
}

enum keyheap_status keyheap_realloc(struct keyheap *kh, void *block, size_t size, void **out,
                                    struct keyheap_touch *t)
{
    if (!block)
        return keyheap_alloc(kh, size, out, t);

    struct place at;
    if (!locate(kh, block, &at))
        return KEYHEAP_NOT_OWNED;
    size_t old_size = size_at(&at);
    if (!fits(&kh->stats, old_size, size))
        return refuse(kh);

    void *result = block;
    if (at.slab && stays_in_slot(at.slab, size)) {
        slab_set_block_size(at.slab, at.slot, size);
        t->what = size > old_size ? KEYHEAP_TOUCH_ZERO : 0;
        t->block = block;
        t->zero_from = old_size;
        t->zero_to = size;
    } else if (!(at.large && size > SIZE_CLASS_MAX && !kh->guard &&
                 resize_in_place(kh, block, &at, size, t) == 0)) {
        /* Moved: a new block first, so that a refusal leaves the original untouched; the
         * old one is in transit until the touch has copied it. */
        int slab;
        if (!(result = new_block(kh, size, &slab)))
            return refuse(kh);
        prepare_new(kh, t, result, old_size < size ? old_size : size, size, slab);
        t->what |= KEYHEAP_TOUCH_COPY;
        if (at.large)   /* the new block may have grown the table: find the entry again */
            at.large = addr_table_find(&kh->large, (uintptr_t)block);
        put_in_transit(kh, t, block, &at, old_size);
    }
    note_live_bytes(&kh->stats, old_size, size);
    *out = result;
    return KEYHEAP_OK;
}

enum keyheap_status keyheap_free(struct keyheap *kh, void *block, struct keyheap_touch *t)
{
    t->what = 0;
    if (!block)
        return KEYHEAP_OK;
    struct place at;
    if (!locate(kh, block, &at))
        return KEYHEAP_NOT_OWNED;
    size_t size = size_at(&at);
    kh->stats.live_blocks--;
    note_live_bytes(&kh->stats, size, 0);
    if (kh->guard) {            /* the touch checks and fills it: in transit till settled */
        put_in_transit(kh, t, block, &at, size);
        return KEYHEAP_OK;
    }
    if (at.slab) {
        slabs_free(&kh->small, kh->pages, at.slab, at.slot);
        return KEYHEAP_OK;
    }
    addr_table_remove(&kh->large, at.large);
    pages_free(kh->pages, block, size);
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
