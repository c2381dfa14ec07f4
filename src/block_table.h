/*
 * block_table.h - the set of live blocks of one key: address -> requested size.
 *
 * This is how ownership is decided without trusting the caller: a pointer is a live block of
 * a key exactly when its address is in that key's table. Looking an address up is arithmetic
 * on its value; the address itself is never read. Open addressing with linear probing and
 * backward-shift deletion (no tombstones), Fibonacci hashing, at most 3/4 full. The slot array
 * lives in the process heap, not in the key's heap: an expert that overruns its blocks damages
 * its own heap, never the record of what it owns.
 *
 * Not thread-safe: the key heap's lock guards every call.
 */
#ifndef NMAPI_BLOCK_TABLE_H
#define NMAPI_BLOCK_TABLE_H

#include <stddef.h>
#include <stdint.h>


struct block_entry {
    uintptr_t addr;   /* 0: empty slot */
    size_t size;      /* size the expert requested */
};

struct block_table {
    struct block_entry *slots;
    size_t mask;      /* slot count - 1; the count is a power of two */
    unsigned shift;   /* bits dropped from the hash product to index the slots */
    size_t count;     /* live entries */
};

/* Makes room for one more entry, growing the slot array. 0 on success, -1 when memory for it
 * cannot be had (the table is then unchanged). */
int block_table_reserve(struct block_table *t);

/* Frees the slot array; the table is empty afterwards. */
void block_table_release(struct block_table *t);

/* The entry of addr, or NULL. addr is never dereferenced. */
struct block_entry *block_table_find(const struct block_table *t, const void *addr);

/* Adds addr, which must be absent, after a successful block_table_reserve. */
void block_table_insert(struct block_table *t, const void *addr, size_t size);

/* Removes an entry that block_table_find returned. */
void block_table_remove(struct block_table *t, struct block_entry *e);

#endif
