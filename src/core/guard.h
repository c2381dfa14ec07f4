/*
 * guard.h - corruption detection for one key, on when the host created the key with
 * EXPERTHOST_FLAG_CHECK_CORRUPTION (off by default: it costs memory and time).
 *
 * Overruns: every block gets GUARD_BYTES more from the key's page arena, filled with GUARD_FILL right
 * after the bytes the expert asked for. The guard is checked when the block is freed or
 * reallocated, and for every live block when the key is destroyed.
 *
 * Writes after free: a freed block (up to GUARD_HOLD_MAX bytes) is filled with FREED_FILL,
 * guard included, and held back from the heap in a small FIFO quarantine (GUARD_HOLD_BLOCKS
 * blocks, GUARD_HOLD_BYTES bytes at most), so that its memory cannot be handed out again
 * while it is watched. Every held block is checked at each free and reallocation on the key
 * (the call takes the whole quarantine out, checks it, and puts back what still fits: the
 * blocks that leave were checked by the call that lets them go), and when the key is destroyed.
 *
 * A damaged guard or fill is counted once: the pattern is written again when it is found.
 * The functions that read or write blocks (arm, check, fill) are called with no lock held
 * (keyheap.h's touch); the ones that change the quarantine touch no block and are called
 * under the key's gate. Its record, made with the key (a host call), lives in the process
 * heap; an expert's call never allocates one.
 */
#ifndef NMAPI_GUARD_H
#define NMAPI_GUARD_H

#include <stddef.h>

#define GUARD_BYTES 16
#define GUARD_FILL 0xAB
#define FREED_FILL 0xDD
#define GUARD_HOLD_BLOCKS 16
#define GUARD_HOLD_MAX ((size_t)64 * 1024)
#define GUARD_HOLD_BYTES ((size_t)256 * 1024)

struct guard_held {
    unsigned char *block;
    size_t size;        /* the size the expert had asked for */
};

struct guard {
    struct guard_held held[GUARD_HOLD_BLOCKS];
    unsigned oldest, count;
    size_t held_bytes;
};

/* NULL when out of memory. */
struct guard *guard_create(void);
void guard_destroy(struct guard *g);

/* Writes the guard after a block of `size` requested bytes. */
void guard_arm(unsigned char *block, size_t size);
/* 1 when the guard after the block was written to (and re-arms it), else 0. */
int guard_check_overrun(unsigned char *block, size_t size);

/* Fills a freed block (and its guard) with FREED_FILL, before it is held. */
void guard_fill_freed(unsigned char *block, size_t size);
/* 1 when a held block was written to since it was filled (and fills it again), else 0. */
int guard_check_one(const struct guard_held *h);
/* Is there room to hold one more block of `size` bytes (at most GUARD_HOLD_MAX)? */
int guard_has_room(const struct guard *g, size_t size);
/* Holds a filled block back; guard_has_room said there was room. Touches no memory. */
void guard_put(struct guard *g, unsigned char *block, size_t size);
/* Moves every held block, oldest first, to out[] (GUARD_HOLD_BLOCKS entries); their count. */
unsigned guard_take_all(struct guard *g, struct guard_held *out);
/* The number of held blocks written to since they were freed (each counted once). */
unsigned guard_check_held(struct guard *g);
/* Removes and returns the oldest held block (NULL when none is held) and its requested size,
 * for the caller to give back to the arena. */
unsigned char *guard_release_oldest(struct guard *g, size_t *size);

#endif
