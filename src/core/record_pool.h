/*
 * record_pool.h - the chunks every key's records are carved from (records.h): RECORD_POOL_CHUNK
 * bytes of address space each, handed out from reservations of RECORD_POOL_SPAN bytes that all
 * keys share, so that a key with few records costs a chunk, not a reservation of its own
 * (on Windows a reservation takes 64 KiB of address space at least: 32-bit hosts fit twice as
 * many keys).
 *
 * Lock-free: a chunk is claimed by setting its bit in its span's map with one atomic
 * read-modify-write and given back by clearing it, after its pages were decommitted; a new
 * span is published by one compare-and-swap on the list head. A thread terminated anywhere in
 * here holds nothing: at worst a chunk or a span it had claimed stays unused.
 *
 * A chunk comes reserved, not committed (its user commits the pages it carves) and goes back
 * decommitted. Spans are never released: what the pool reserved stays reserved, committing
 * nothing, for the next keys of the process.
 *
 * Thread-safe.
 */
#ifndef NMAPI_RECORD_POOL_H
#define NMAPI_RECORD_POOL_H

#include <stddef.h>

#define RECORD_POOL_CHUNK ((size_t)16 << 10)
#define RECORD_POOL_SPAN ((size_t)4 << 20)

/* A chunk of RECORD_POOL_CHUNK reserved bytes, page-aligned, and in *span the span it belongs
 * to (for record_pool_give); NULL when the address space is exhausted. */
void *record_pool_take(void **span);
/* Decommits a chunk record_pool_take returned with `span` and makes it available again. */
void record_pool_give(void *chunk, void *span);
/* The address space the pool holds reserved, in bytes (its spans, never released). */
size_t record_pool_reserved(void);

#endif
