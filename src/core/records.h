/*
 * records.h - a key's records: the memory of its allocator's own bookkeeping (region records
 * and tables, slab descriptors, address tables), taken from the OS for that key alone.
 *
 * Never the process heap: a thread terminated inside an expert's call may be cut off anywhere
 * in the allocator, and had it been inside HeapAlloc it would leave the process heap's lock
 * held - every later allocation of the host's, in any thread, would wait for ever. Records come
 * instead from chunks of RECORDS_CHUNK bytes of the shared record pool (record_pool.h),
 * committed a page at a time as they are carved, in classes of powers of two from RECORDS_MIN
 * to RECORDS_MAX_SMALL bytes (freed ones kept on a list per class, for reuse); a larger record
 * is a reservation of its own. Nothing here takes a lock: the pool is lock-free, and the OS's
 * reserve, commit and release cannot be left half done by a terminated thread.
 *
 * Releasing the records gives their chunks back and releases their reservations, one call
 * each, without visiting a record: whatever a call cut off left half made, nothing is freed
 * twice or read.
 *
 * Not thread-safe: the key's gate guards every call (but release, made when no other call can
 * run on the key). A zero-filled struct records is empty and ready.
 */
#ifndef NMAPI_RECORDS_H
#define NMAPI_RECORDS_H

#include <stddef.h>

#include "record_pool.h"

#define RECORDS_CHUNK RECORD_POOL_CHUNK    /* 16 KiB */
#define RECORDS_MIN 32u
#define RECORDS_MAX_SMALL ((size_t)8 << 10)
#define RECORDS_CLASSES 9u           /* 32 B ... 8 KiB */

struct records_big;

struct records {
    void *chunks;                    /* the pool's chunks, linked through their first word */
    char *cursor, *committed, *end;  /* the newest chunk: carved, committed, reserved up to */
    void *free[RECORDS_CLASSES];     /* freed records of each class, linked the same way */
    struct records_big *big;         /* the records larger than RECORDS_MAX_SMALL */
    size_t live;                     /* records made and not given back */
};

/* A zero-filled record of at least `bytes` bytes, aligned to 16; NULL (nothing changed) when
 * the OS refuses the memory. */
void *records_alloc(struct records *r, size_t bytes);
/* Gives back a record records_alloc made for `bytes` bytes; NULL does nothing. */
void records_free(struct records *r, void *record, size_t bytes);
/* Releases every record at once; the records are empty afterwards. */
void records_release(struct records *r);

#endif
