/* guard.c - see guard.h for what is detected when. */
#include "guard.h"

#include <string.h>

#include "platform.h"

struct guard *guard_create(void)
{
    return plat_zalloc(sizeof(struct guard));
}

void guard_destroy(struct guard *g)
{
    plat_free(g);
}

/* Every byte equal to the first, and the first right: one memcmp of the range against itself
 * shifted by one, which the C library does a word or a vector at a time. */
static int filled_with(const unsigned char *p, unsigned char byte, size_t n)
{
    return n == 0 || (p[0] == byte && memcmp(p, p + 1, n - 1) == 0);
}

void guard_arm(unsigned char *block, size_t size)
{
    memset(block + size, GUARD_FILL, GUARD_BYTES);
}

int guard_check_overrun(unsigned char *block, size_t size)
{
    if (filled_with(block + size, GUARD_FILL, GUARD_BYTES))
        return 0;
    guard_arm(block, size);
    return 1;
}

/* 1 when the held block was written to since it was freed (and fills it again). */
static int held_was_written(const struct guard_held *h)
{
    if (filled_with(h->block, FREED_FILL, h->size + GUARD_BYTES))
        return 0;
    memset(h->block, FREED_FILL, h->size + GUARD_BYTES);
    return 1;
}

unsigned char *guard_release_oldest(struct guard *g, size_t *size)
{
    if (!g->count)
        return NULL;
    struct guard_held *h = &g->held[g->oldest];
    g->oldest = (g->oldest + 1) % GUARD_HOLD_BLOCKS;
    g->count--;
    g->held_bytes -= h->size;
    *size = h->size;
    return h->block;
}

unsigned char *guard_make_room(struct guard *g, size_t size, int *written, size_t *leaving_size)
{
    *written = 0;
    if (g->count < GUARD_HOLD_BLOCKS && g->held_bytes + size <= GUARD_HOLD_BYTES)
        return NULL;
    *written = held_was_written(&g->held[g->oldest]);
    return guard_release_oldest(g, leaving_size);
}

void guard_hold(struct guard *g, unsigned char *block, size_t size)
{
    memset(block, FREED_FILL, size + GUARD_BYTES);
    struct guard_held *h = &g->held[(g->oldest + g->count) % GUARD_HOLD_BLOCKS];
    h->block = block;
    h->size = size;
    g->count++;
    g->held_bytes += size;
}

unsigned guard_check_held(struct guard *g)
{
    unsigned written = 0;
    for (unsigned i = 0; i < g->count; i++)
        written += (unsigned)held_was_written(&g->held[(g->oldest + i) % GUARD_HOLD_BLOCKS]);
    return written;
}
