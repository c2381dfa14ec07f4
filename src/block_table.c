/* block_table.c - see block_table.h for the design. */
#include "block_table.h"

#include <string.h>

#include "platform.h"

#define PTR_BITS (sizeof(uintptr_t) * 8)
#define INITIAL_SLOTS 16

#if UINTPTR_MAX > 0xFFFFFFFFu
#define FIB_MULTIPLIER ((uintptr_t)0x9E3779B97F4A7C15ull)
#else
#define FIB_MULTIPLIER ((uintptr_t)0x9E3779B9u)
#endif

static size_t home_slot(const struct block_table *t, uintptr_t addr)
{
    /* Blocks are at least 8-aligned: the low bits carry no information. */
    return (size_t)(((addr >> 3) * FIB_MULTIPLIER) >> t->shift);
}

static void place(struct block_table *t, uintptr_t addr, size_t size)
{
    size_t i = home_slot(t, addr);
    while (t->slots[i].addr != 0)
        i = (i + 1) & t->mask;
    t->slots[i].addr = addr;
    t->slots[i].size = size;
}

int block_table_reserve(struct block_table *t)
{
    size_t capacity = t->slots ? t->mask + 1 : 0;
    if ((t->count + 1) * 4 <= capacity * 3)
        return 0;

    size_t new_capacity = capacity ? capacity * 2 : INITIAL_SLOTS;
    if (new_capacity > SIZE_MAX / sizeof(struct block_entry))
        return -1;
    struct block_entry *slots = plat_zalloc(new_capacity * sizeof *slots);
    if (!slots)
        return -1;

    struct block_table grown = { slots, new_capacity - 1, 0, t->count };
    unsigned log2 = 0;
    while (((size_t)1 << log2) < new_capacity)
        log2++;
    grown.shift = (unsigned)(PTR_BITS - log2);
    for (size_t i = 0; i < capacity; i++)
        if (t->slots[i].addr)
            place(&grown, t->slots[i].addr, t->slots[i].size);
    plat_free(t->slots);
    *t = grown;
    return 0;
}

struct block_entry *block_table_find(const struct block_table *t, const void *addr)
{
    uintptr_t a = (uintptr_t)addr;
    if (!a || !t->count)
        return NULL;
    for (size_t i = home_slot(t, a);; i = (i + 1) & t->mask) {
        if (t->slots[i].addr == a)
            return &t->slots[i];
        if (t->slots[i].addr == 0)
            return NULL;
    }
}

void block_table_insert(struct block_table *t, const void *addr, size_t size)
{
    place(t, (uintptr_t)addr, size);
    t->count++;
}

void block_table_remove(struct block_table *t, struct block_entry *e)
{
    size_t hole = (size_t)(e - t->slots);
    /* Backward shift: pull later entries of the probe run into the hole when their home slot
     * does not lie cyclically in (hole, j]. */
    for (size_t j = (hole + 1) & t->mask; t->slots[j].addr != 0; j = (j + 1) & t->mask) {
        size_t home = home_slot(t, t->slots[j].addr);
        int stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole].addr = 0;
    t->slots[hole].size = 0;
    t->count--;
}

void block_table_release(struct block_table *t)
{
    plat_free(t->slots);
    memset(t, 0, sizeof *t);
}
