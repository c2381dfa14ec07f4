/* keyheap.c - see keyheap.h for the invariants. */
#include "keyheap.h"

#include <string.h>

enum keyheap_status keyheap_init(struct keyheap *kh, size_t limit)
{
    memset(kh, 0, sizeof *kh);
    plat_lock_init(&kh->lock);
    kh->heap = heap_prim_create();
    if (!kh->heap)
        return KEYHEAP_NO_MEMORY;
    kh->stats.limit = limit;
    return KEYHEAP_OK;
}

void keyheap_destroy(struct keyheap *kh, struct keyheap_stats *reclaimed)
{
    if (reclaimed)
        *reclaimed = kh->stats;
    heap_prim_destroy(kh->heap);
    block_table_release(&kh->blocks);
    kh->heap = NULL;
    memset(&kh->stats, 0, sizeof kh->stats);
}

/* May the key hold `wanted` more bytes once `released` of its live bytes are given back?
 * Overflow-free: live_bytes <= limit and released <= live_bytes always hold. */
static int fits(const struct keyheap_stats *s, size_t released, size_t wanted)
{
    if (wanted > KEYHEAP_MAX_REQUEST)
        return 0;
    return !s->limit || wanted <= s->limit - (s->live_bytes - released);
}

static void note_live_bytes(struct keyheap_stats *s, size_t released, size_t acquired)
{
    s->live_bytes = s->live_bytes - released + acquired;
    if (s->live_bytes > s->peak_bytes)
        s->peak_bytes = s->live_bytes;
}

static enum keyheap_status refuse(struct keyheap *kh)
{
    kh->stats.failed_allocations++;
    plat_lock_release(&kh->lock);
    return KEYHEAP_NO_MEMORY;
}

enum keyheap_status keyheap_alloc(struct keyheap *kh, size_t size, void **out)
{
    plat_lock_acquire(&kh->lock);
    if (!fits(&kh->stats, 0, size) || block_table_reserve(&kh->blocks) != 0)
        return refuse(kh);
    void *block = heap_prim_alloc(kh->heap, size, 1);
    if (!block)
        return refuse(kh);
    block_table_insert(&kh->blocks, block, size);
    kh->stats.live_blocks++;
    kh->stats.total_allocations++;
    note_live_bytes(&kh->stats, 0, size);
    plat_lock_release(&kh->lock);
    *out = block;
    return KEYHEAP_OK;
}

enum keyheap_status keyheap_realloc(struct keyheap *kh, void *block, size_t size, void **out)
{
    if (!block)
        return keyheap_alloc(kh, size, out);

    plat_lock_acquire(&kh->lock);
    struct block_entry *e = block_table_find(&kh->blocks, block);
    if (!e) {
        plat_lock_release(&kh->lock);
        return KEYHEAP_NOT_OWNED;
    }
    size_t old_size = e->size;
    if (!fits(&kh->stats, old_size, size))
        return refuse(kh);
    char *moved = heap_prim_realloc(kh->heap, block, size);
    if (!moved)
        return refuse(kh);
    /* The heap's zero flag cannot be trusted for the grown part: after an in-place shrink the
     * bytes beyond the smaller size still hold old data. Zero from the size we recorded. */
    if (size > old_size)
        memset(moved + old_size, 0, size - old_size);
    if (moved == block) {
        e->size = size;
    } else {
        block_table_remove(&kh->blocks, e);
        block_table_insert(&kh->blocks, moved, size);   /* count unchanged: no reserve needed */
    }
    note_live_bytes(&kh->stats, old_size, size);
    plat_lock_release(&kh->lock);
    *out = moved;
    return KEYHEAP_OK;
}

enum keyheap_status keyheap_free(struct keyheap *kh, void *block)
{
    if (!block)
        return KEYHEAP_OK;
    plat_lock_acquire(&kh->lock);
    struct block_entry *e = block_table_find(&kh->blocks, block);
    if (!e) {
        plat_lock_release(&kh->lock);
        return KEYHEAP_NOT_OWNED;
    }
    size_t size = e->size;
    block_table_remove(&kh->blocks, e);
    heap_prim_free(kh->heap, block);
    kh->stats.live_blocks--;
    note_live_bytes(&kh->stats, size, 0);
    plat_lock_release(&kh->lock);
    return KEYHEAP_OK;
}

enum keyheap_status keyheap_size(struct keyheap *kh, const void *block, size_t *out)
{
    plat_lock_acquire(&kh->lock);
    struct block_entry *e = block_table_find(&kh->blocks, block);
    if (e)
        *out = e->size;
    plat_lock_release(&kh->lock);
    return e ? KEYHEAP_OK : KEYHEAP_NOT_OWNED;
}

void keyheap_query(struct keyheap *kh, struct keyheap_stats *out)
{
    plat_lock_acquire(&kh->lock);
    *out = kh->stats;
    plat_lock_release(&kh->lock);
}
