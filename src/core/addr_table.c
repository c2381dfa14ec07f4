/* addr_table.c - see addr_table.h for the design. */
#include "addr_table.h"

#include <string.h>

#include "platform.h"

#define PTR_BITS (sizeof(uintptr_t) * 8)
#define INITIAL_SLOTS 16

static struct addr_entry *place(struct addr_table *t, uintptr_t key)
{
    size_t i = addr_table_home(t, key);
    while (t->slots[i].key != 0)
        i = (i + 1) & t->mask;
    t->slots[i].key = key;
    return &t->slots[i];
}

int addr_table_reserve(struct addr_table *t, struct records *r, size_t more)
{
    size_t capacity = t->slots ? t->mask + 1 : 0;
    if ((t->count + more) * 4 <= capacity * 3)
        return 0;

    size_t new_capacity = capacity ? capacity * 2 : INITIAL_SLOTS;
    while ((t->count + more) * 4 > new_capacity * 3)
        new_capacity *= 2;
    if (new_capacity > SIZE_MAX / sizeof(struct addr_entry))
        return -1;
    struct addr_entry *slots = records_alloc(r, new_capacity * sizeof *slots);
    if (!slots)
        return -1;

    struct addr_table grown = { slots, new_capacity - 1, 0, t->count };
    unsigned log2 = 0;
    while (((size_t)1 << log2) < new_capacity)
        log2++;
    grown.shift = (unsigned)(PTR_BITS - log2);
    for (size_t i = 0; i < capacity; i++)
        if (t->slots[i].key)
            *place(&grown, t->slots[i].key) = t->slots[i];
    struct addr_entry *old = t->slots;   /* replaced before it is freed: a call cut off here */
    *t = grown;                          /* leaks one array, never frees one twice */
    records_free(r, old, capacity * sizeof *old);
    return 0;
}

struct addr_entry *addr_table_insert(struct addr_table *t, uintptr_t key)
{
    t->count++;
    return place(t, key);
}

void addr_table_remove(struct addr_table *t, struct addr_entry *e)
{
    size_t hole = (size_t)(e - t->slots);
    /* Backward shift: pull later entries of the probe run into the hole when their home slot
     * does not lie cyclically in (hole, j]. */
    for (size_t j = (hole + 1) & t->mask; t->slots[j].key != 0; j = (j + 1) & t->mask) {
        size_t home = addr_table_home(t, t->slots[j].key);
        int stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    memset(&t->slots[hole], 0, sizeof t->slots[hole]);
    t->count--;
}

void addr_table_release(struct addr_table *t, struct records *r)
{
    records_free(r, t->slots, t->slots ? (t->mask + 1) * sizeof *t->slots : 0);
    memset(t, 0, sizeof *t);
}
