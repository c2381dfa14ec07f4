/* slabs.c - see slabs.h for the design and the invariants. */
#include "slabs.h"

#include <string.h>

#include "pages.h"
#include "platform.h"

#define MIN_SLOTS 4u
/* Records come in 1 KiB chunks while a key is small (so a small key wastes little of its
 * last chunk), then in 8 KiB ones, the largest class of the key's records (records.h): a key
 * of a million blocks makes a few thousand, given back with the records, not one by one. */
#define SMALL_RECORD_CHUNK 1024u
#define LARGE_RECORD_CHUNK 8192u
#define SMALL_RECORD_CHUNKS 64u

/* --- records: slab descriptors and their slot words, carved from chunks of the key's records - */

static void *records_take(struct record_arena *a, struct records *r, size_t bytes)
{
    bytes = (bytes + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    if ((size_t)(a->end - a->cursor) < bytes) {
        size_t size = a->chunk_count < SMALL_RECORD_CHUNKS ? SMALL_RECORD_CHUNK
                                                           : LARGE_RECORD_CHUNK;
        while (size < bytes)
            size *= 2;
        char *chunk = records_alloc(r, size);   /* given back with the key's records */
        if (!chunk)
            return NULL;
        a->chunk_count++;
        a->cursor = chunk;
        a->end = chunk + size;
    }
    void *p = a->cursor;
    a->cursor += bytes;
    return p;
}

/* --- the slab map ------------------------------------------------------------------------- */

/* Granules [first, last] of a slab over [begin, end); the first one only holds the slab as
 * SLAB_STARTING when the slab does not begin at the granule's first byte. */
static void granules(uintptr_t begin, uintptr_t end, uintptr_t *first, uintptr_t *last)
{
    *first = begin >> SLAB_GRANULE_SHIFT;
    *last = (end - 1) >> SLAB_GRANULE_SHIFT;
}

static int role_in(uintptr_t granule, uintptr_t begin)
{
    return (granule << SLAB_GRANULE_SHIFT) >= begin ? SLAB_COVERING : SLAB_STARTING;
}

const struct slab slab_none = { .base = UINTPTR_MAX };

/* Room in the map for a slab of `bytes` wherever the heap puts it. */
static int map_reserve(struct slabs *s, struct page_arena *pages, size_t bytes)
{
    return addr_table_reserve(&s->map, pages_records(pages), (bytes >> SLAB_GRANULE_SHIFT) + 2);
}

static void map_add(struct slabs *s, struct slab *sl)
{
    uintptr_t first, last;
    granules(sl->base, sl->base + sl->span, &first, &last);
    for (uintptr_t g = first; g <= last; g++) {
        struct addr_entry *e = addr_table_find(&s->map, g);
        if (!e) {
            e = addr_table_insert(&s->map, g);
            e->data[SLAB_COVERING] = e->data[SLAB_STARTING] = (uintptr_t)&slab_none;
        }
        e->data[role_in(g, sl->base)] = (uintptr_t)sl;
    }
}

static void map_remove(struct slabs *s, struct slab *sl)
{
    uintptr_t first, last;
    granules(sl->base, sl->base + sl->span, &first, &last);
    for (uintptr_t g = first; g <= last; g++) {
        struct addr_entry *e = addr_table_find(&s->map, g);
        e->data[role_in(g, sl->base)] = (uintptr_t)&slab_none;
        if (e->data[SLAB_COVERING] == (uintptr_t)&slab_none &&
            e->data[SLAB_STARTING] == (uintptr_t)&slab_none)
            addr_table_remove(&s->map, e);
    }
}

/* --- making and releasing slabs -------------------------------------------------------------- */

/* As many slots as fill whole pages: one page, or the pages MIN_SLOTS slots need. */
static unsigned slots_per_slab(uint32_t slot_size)
{
    size_t bytes = ((size_t)MIN_SLOTS * slot_size + PLAT_PAGE - 1) & ~(size_t)(PLAT_PAGE - 1);
    return (unsigned)(bytes / slot_size);
}

static struct slab *slab_create(struct slabs *s, struct page_arena *pages, unsigned c)
{
    struct slab_class *k = &s->classes[c];
    uint32_t slot_size = size_class_bytes(c);
    unsigned capacity = slots_per_slab(slot_size);
    size_t bytes = (size_t)capacity * slot_size;

    struct slab *sl = k->retired;
    if (sl)
        k->retired = (struct slab *)sl->link.next;
    else if (!(sl = records_take(&s->records, pages_records(pages),
                                 sizeof *sl + capacity * sizeof(uint16_t))))
        return NULL;

    void *block = map_reserve(s, pages, bytes) == 0 ? pages_alloc(pages, bytes) : NULL;
    if (!block) {
        sl->link.next = (struct slab_link *)k->retired;   /* keep the record for the next try */
        k->retired = sl;
        return NULL;
    }
    sl->base = (uintptr_t)block;
    sl->span = (uint32_t)bytes;
    sl->slot_size = slot_size;
    sl->reciprocal = (uint32_t)((((uint64_t)1 << 32) + slot_size - 1) / slot_size);
    sl->capacity = (uint16_t)capacity;
    sl->used = 0;
    sl->fresh = 0;
    sl->free_head = SLAB_NO_SLOT;
    sl->cls = (uint16_t)c;
    memset(slab_meta(sl), 0, capacity * sizeof(uint16_t));
    map_add(s, sl);
    if (!k->list.next)
        k->list.next = k->list.prev = &k->list;
    slab_list_push_if(k, sl, 1);
    k->empty++;
    s->slab_bytes += bytes;
    s->empty_bytes += bytes;
    return sl;
}

static void slab_release(struct slabs *s, struct page_arena *pages, struct slab *sl)
{
    struct slab_class *k = &s->classes[sl->cls];
    sl->link.prev->next = sl->link.next;     /* empty, so on the list */
    sl->link.next->prev = sl->link.prev;
    slab_list_changed(k);
    map_remove(s, sl);
    s->slab_bytes -= sl->span;
    pages_free(pages, (void *)sl->base, sl->span);
    sl->base = 0;
    sl->link.next = (struct slab_link *)k->retired;
    k->retired = sl;
}

/* A slab of class c or, lent, of a class just above with a free slot; a new one otherwise. */
static struct slab *slab_with_room(struct slabs *s, struct page_arena *pages, unsigned c)
{
    for (unsigned up = c + 1; up <= c + SLAB_LENDING_CLASSES && up < SIZE_CLASS_COUNT; up++)
        if (s->classes[up].avail)
            return s->classes[up].avail;
    return slab_create(s, pages, c);
}

/* --- the slow paths of slabs_alloc and slabs_free ------------------------------------------ */

void *slabs_alloc_refill(struct slabs *s, struct page_arena *pages, size_t size)
{
    struct slab *sl = slab_with_room(s, pages, size_class_of(size));
    return sl ? slab_take(s, sl, size) : NULL;
}

void slabs_emptied(struct slabs *s, struct page_arena *pages, struct slab *sl)
{
    struct slab_class *k = &s->classes[sl->cls];
    size_t budget = s->slab_bytes / SLABS_KEEP_DIVISOR;
    if (budget > SLABS_KEEP_MAX)
        budget = SLABS_KEEP_MAX;
    if (k->empty && s->empty_bytes + sl->span > budget) {
        slab_release(s, pages, sl);
    } else {
        k->empty++;
        s->empty_bytes += sl->span;
    }
}

void slabs_forget(struct slabs *s)
{
    memset(s, 0, sizeof *s);
}
