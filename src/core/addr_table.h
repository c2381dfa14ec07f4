/*
 * addr_table.h - a hash table keyed by an address-sized value, each key with two words of
 * data. A key heap uses two: its large blocks (address -> requested size) and its slab map
 * (granule -> slabs, slabs.h).
 *
 * Ownership is decided with these tables without trusting the caller: a pointer's value is
 * looked up, never the memory it points to. Open addressing with linear probing and
 * backward-shift deletion (no tombstones), Fibonacci hashing, at most 3/4 full. The slot
 * array is one of the key's records (records.h), never in the expert's memory: an expert that
 * overruns its blocks damages its own memory, never the record of what it owns.
 *
 * Not thread-safe: the key's gate guards every call.
 */
#ifndef NMAPI_ADDR_TABLE_H
#define NMAPI_ADDR_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "records.h"

struct addr_entry {
    uintptr_t key;       /* 0: empty slot */
    uintptr_t data[2];
};

struct addr_table {
    struct addr_entry *slots;
    size_t mask;      /* slot count - 1; the count is a power of two */
    unsigned shift;   /* bits dropped from the hash product to index the slots */
    size_t count;     /* live entries */
};

/* Makes room for `more` new entries, growing the slot array, a record of `r` (records.h).
 * 0 on success, -1 when memory for it cannot be had (the table is then unchanged). */
int addr_table_reserve(struct addr_table *t, struct records *r, size_t more);

/* Gives the slot array back to `r`; the table is empty afterwards. */
void addr_table_release(struct addr_table *t, struct records *r);

#if UINTPTR_MAX > 0xFFFFFFFFu
#define ADDR_TABLE_MULTIPLIER ((uintptr_t)0x9E3779B97F4A7C15ull)
#else
#define ADDR_TABLE_MULTIPLIER ((uintptr_t)0x9E3779B9u)
#endif

static inline size_t addr_table_home(const struct addr_table *t, uintptr_t key)
{
    return (size_t)((key * ADDR_TABLE_MULTIPLIER) >> t->shift);
}

/* The entry of key, or NULL. Inline: it is on every free. */
static inline struct addr_entry *addr_table_find(const struct addr_table *t, uintptr_t key)
{
    if (!key || !t->count)
        return NULL;
    for (size_t i = addr_table_home(t, key);; i = (i + 1) & t->mask) {
        if (t->slots[i].key == key)
            return &t->slots[i];
        if (t->slots[i].key == 0)
            return NULL;
    }
}

/* Adds key (non-zero, absent) with zeroed data, after addr_table_reserve made room. */
struct addr_entry *addr_table_insert(struct addr_table *t, uintptr_t key);

/* Removes an entry that addr_table_find or addr_table_insert returned. */
void addr_table_remove(struct addr_table *t, struct addr_entry *e);

#endif
