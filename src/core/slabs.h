/*
 * slabs.h - the small blocks of one key (up to SIZE_CLASS_MAX bytes), carved from slabs.
 *
 * A slab is one span of whole pages of the key's page arena (pages.h) cut into `capacity`
 * slots of one size class.
 * Everything the allocator knows about a slab lives outside the expert's heap, in the
 * key's records (records.h):
 *   - a descriptor (struct slab): where the slab is, its slot size, its free list, its links;
 *   - one 16-bit word per slot, right after the descriptor: 0 = never handed out,
 *     SLAB_FREE | next = freed (the free list runs through these words, not through the
 *     expert's memory), size + 1 = live with that requested size, SLAB_IN_TRANSIT = given up
 *     by a call that still copies from it (keyheap.h's touch): not live, not free.
 * An expert that writes past its block or after freeing it damages only slot contents: it
 * cannot reach a descriptor, a free list or the record of what it owns.
 *
 * Ownership: the slab map (addr_table keyed by SLAB_GRANULE-sized granules of the address
 * space, every slab at least one granule long, so a granule meets at most two slabs: the one
 * covering its first byte and one starting inside it) gives the slab that may contain a
 * pointer from the pointer's value alone; the slot is (pointer - base) / slot size, computed
 * with a reciprocal, and must start exactly there and be live. Nothing at the pointer is read.
 *
 * Slabs with a free slot form a list per class: allocations take from its first slab, a full
 * slab leaves it, and comes back first on its first free. Under random churn most frees land
 * in a full slab, which then fills again at once, so whether a slab leaves or joins is as
 * random as the pointers: both moves are made without a branch (the list is circular, so
 * every link written exists, and a move that is not due writes back what was there).
 * A class keeps one empty slab, and further ones while the key's empty slabs stay within
 * 1/SLABS_KEEP_DIVISOR of its slab bytes and SLABS_KEEP_MAX (a slab given back and made again
 * costs a decommit and a commit: system calls that dominated random churn under Wine); any
 * other empty slab goes back to the arena, and its records wait, per class, for the next slab
 * of that class. When a class has no free slot, a class up to 16 bytes larger lends one
 * before a new slab is made: random churn makes each class's population swing, and the
 * neighbours' swings then share room instead of each keeping its own.
 *
 * Every slab's memory comes from the key's page arena; every record from chunks of the arena's
 * records (pages_records), released with the arena at destroy. Not thread-safe: the key's gate guards
 * every call.
 */
#ifndef NMAPI_SLABS_H
#define NMAPI_SLABS_H

#include <stddef.h>
#include <stdint.h>

#include "addr_table.h"
#include "pages.h"
#include "platform.h"
#include "size_class.h"

#define SLAB_GRANULE_SHIFT 11
#define SLAB_GRANULE ((uintptr_t)1 << SLAB_GRANULE_SHIFT)   /* also the smallest slab */
#define SLAB_FREE 0x8000u
#define SLAB_NO_SLOT 0x7FFFu
/* A slot on no free list whose word has SLAB_FREE set: slabs_find refuses it like a freed one,
 * and it still counts in `used`, so its slab stays. */
#define SLAB_IN_TRANSIT (SLAB_FREE | SLAB_NO_SLOT)
/* How many classes above a full one may lend it a slot: up to 16 bytes larger. */
#define SLAB_LENDING_CLASSES ((unsigned)(16 / SIZE_CLASS_ALIGN))

struct slab_link {
    struct slab_link *next, *prev;
};

struct slab {
    struct slab_link link;     /* the class's slabs with a free slot (next: also retired records) */
    uintptr_t base;            /* the first slot; 0 while the record waits for reuse */
    uint32_t span;             /* capacity * slot_size bytes from base */
    uint32_t slot_size;
    uint32_t reciprocal;       /* ceil(2^32 / slot_size): slot = offset * reciprocal >> 32 */
    uint16_t capacity, used, fresh, free_head;   /* fresh: slots from here on never handed out */
    uint16_t cls;
    /* followed in the same record by uint16_t meta[capacity], one word per slot */
};

static inline uint16_t *slab_meta(const struct slab *sl) { return (uint16_t *)(sl + 1); }

struct slab_class {
    struct slab *avail;        /* the first slab with a free slot, NULL when there is none */
    struct slab_link list;     /* circular, through this head; zero until the first slab */
    struct slab *retired;      /* records of released slabs, for the next slab of this class */
    uint32_t empty;            /* slabs of this class holding no live block */
};

struct record_arena {          /* chunks of the key's records, carved in order */
    char *cursor, *end;
    size_t chunk_count;
};

struct slabs {
    struct slab_class classes[SIZE_CLASS_COUNT];
    struct addr_table map;     /* granule -> { covering slab, starting slab } */
    struct record_arena records;
    size_t slab_bytes;         /* spans of every slab */
    size_t empty_bytes;        /* spans of the slabs holding no live block */
};

#define SLABS_KEEP_DIVISOR 8u
#define SLABS_KEEP_MAX ((size_t)4 << 20)

/* A zero-filled struct slabs is empty and ready. The calls made on every allocation and free
 * are inline below; making, lending and releasing slabs is out of line in slabs.c. */

enum { SLAB_COVERING, SLAB_STARTING };   /* the two slabs of a map entry (data[]) */

/* What a map entry holds where it has no slab: a slab that starts at the end of the address
 * space and spans nothing, so the lookup below needs no test for "none" and picks between
 * the two candidates without a branch. */
extern const struct slab slab_none;

/* Slow paths of slabs_alloc and slabs_free. */
void *slabs_alloc_refill(struct slabs *s, struct page_arena *pages, size_t size);
void slabs_emptied(struct slabs *s, struct page_arena *pages, struct slab *sl);

static inline void slab_list_changed(struct slab_class *k)
{
    k->avail = k->list.next == &k->list ? NULL : (struct slab *)k->list.next;
}

/* a where mask is all ones, b where it is zero: a select the compiler cannot turn back into
 * a branch (as it does with `move ? a : b` when b is what the target already holds). */
static inline struct slab_link *slab_pick(uintptr_t mask, struct slab_link *a, struct slab_link *b)
{
    return (struct slab_link *)(((uintptr_t)a & mask) | ((uintptr_t)b & ~mask));
}

/* When `move` (sl is full, so on no list), puts sl first; otherwise writes back every link
 * as it was. */
static inline void slab_list_push_if(struct slab_class *k, struct slab *sl, int move)
{
    uintptr_t m = (uintptr_t)0 - (uintptr_t)(move != 0);
    struct slab_link *head = &k->list, *first = head->next, *l = &sl->link;
    l->next = slab_pick(m, first, l->next);
    l->prev = slab_pick(m, head, l->prev);
    first->prev = slab_pick(m, l, first->prev);
    head->next = slab_pick(m, l, head->next);
    slab_list_changed(k);
}

/* Takes sl, the first on the list, off it when `move`. */
static inline void slab_list_pop_if(struct slab_class *k, struct slab *sl, int move)
{
    uintptr_t m = (uintptr_t)0 - (uintptr_t)(move != 0);
    struct slab_link *head = &k->list, *second = sl->link.next;
    head->next = slab_pick(m, second, head->next);
    second->prev = slab_pick(m, head, second->prev);
    slab_list_changed(k);
}

/* Hands out a free slot of sl (which has one) for a block of size bytes. */
static inline void *slab_take(struct slabs *s, struct slab *sl, size_t size)
{
    unsigned slot;
    if (sl->free_head != SLAB_NO_SLOT) {
        slot = sl->free_head;
        sl->free_head = (uint16_t)(slab_meta(sl)[slot] & ~SLAB_FREE);
    } else {
        slot = sl->fresh++;
    }
    slab_meta(sl)[slot] = (uint16_t)(size + 1);
    struct slab_class *k = &s->classes[sl->cls];
    if (sl->used++ == 0) {
        k->empty--;
        s->empty_bytes -= sl->span;
    }
    /* sl is first on its class's list (slabs_alloc and the lending of slabs_alloc_refill take
     * only first slabs): a full one leaves it. */
    slab_list_pop_if(k, sl, sl->used == sl->capacity);
    return (void *)(sl->base + (uintptr_t)slot * sl->slot_size);
}

/* A slot for a request of size bytes (size <= SIZE_CLASS_MAX), contents unspecified; NULL
 * when a new slab is needed and the heap or the records refuse. */
static inline void *slabs_alloc(struct slabs *s, struct page_arena *pages, size_t size)
{
    struct slab *sl = s->classes[size_class_of(size)].avail;
    return sl ? slab_take(s, sl, size) : slabs_alloc_refill(s, pages, size);
}

/* The slab whose span holds the address p, whatever its slot's state; NULL otherwise. */
static inline struct slab *slabs_holding(const struct slabs *s, uintptr_t p)
{
    const struct addr_entry *e = addr_table_find(&s->map, p >> SLAB_GRANULE_SHIFT);
    if (!e)
        return NULL;
    struct slab *starting = (struct slab *)e->data[SLAB_STARTING];
    struct slab *covering = (struct slab *)e->data[SLAB_COVERING];
    /* A mask, not a branch: which of the two holds p is as random as the pointers freed. */
    uintptr_t take_starting = (uintptr_t)0 - (uintptr_t)(p >= starting->base);
    struct slab *sl = (struct slab *)(((uintptr_t)starting & take_starting) |
                                      ((uintptr_t)covering & ~take_starting));
    return p - sl->base < sl->span ? sl : NULL;
}

/* The slab holding a live block that starts exactly at p, and its slot; NULL otherwise. */
static inline struct slab *slabs_find(const struct slabs *s, uintptr_t p, unsigned *slot)
{
    struct slab *sl = slabs_holding(s, p);
    if (!sl)
        return NULL;
    uint32_t offset = (uint32_t)(p - sl->base);
    uint32_t i = (uint32_t)(((uint64_t)offset * sl->reciprocal) >> 32);
    if (i * sl->slot_size != offset)
        return NULL;                         /* inside a block, not at its start */
    uint16_t word = slab_meta(sl)[i];
    if (word == 0 || (word & SLAB_FREE))
        return NULL;                         /* never handed out, or freed */
    *slot = i;
    return sl;
}

static inline size_t slab_block_size(const struct slab *sl, unsigned slot)
{
    return (size_t)slab_meta(sl)[slot] - 1;
}

static inline void slab_set_block_size(struct slab *sl, unsigned slot, size_t size)
{
    slab_meta(sl)[slot] = (uint16_t)(size + 1);
}

/* Takes a live block out of reach of slabs_find without giving its slot back. */
static inline void slab_set_in_transit(struct slab *sl, unsigned slot)
{
    slab_meta(sl)[slot] = (uint16_t)SLAB_IN_TRANSIT;
}

/* Frees a live (or in-transit) block slabs_find returned. */
static inline void slabs_free(struct slabs *s, struct page_arena *pages, struct slab *sl, unsigned slot)
{
    slab_meta(sl)[slot] = (uint16_t)(SLAB_FREE | sl->free_head);
    sl->free_head = (uint16_t)slot;
    slab_list_push_if(&s->classes[sl->cls], sl, sl->used == sl->capacity);   /* was full */
    if (--sl->used == 0)
        slabs_emptied(s, pages, sl);
}

/* Forgets every slab and record: their memory went with the key's page arena (pages_destroy),
 * so nothing is freed or read. The slabs are empty and ready afterwards. */
void slabs_forget(struct slabs *s);

#endif
