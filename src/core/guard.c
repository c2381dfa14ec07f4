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

void guard_fill_freed(unsigned char *block, size_t size)
{
    memset(block, FREED_FILL, size + GUARD_BYTES);
}

int guard_check_one(const struct guard_held *h)
{
    if (filled_with(h->block, FREED_FILL, h->size + GUARD_BYTES))
        return 0;
    guard_fill_freed(h->block, h->size);
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

int guard_has_room(const struct guard *g, size_t size)
{
    return g->count < GUARD_HOLD_BLOCKS && g->held_bytes + size <= GUARD_HOLD_BYTES;
}

void guard_put(struct guard *g, unsigned char *block, size_t size)
{
    struct guard_held *h = &g->held[(g->oldest + g->count) % GUARD_HOLD_BLOCKS];
    h->block = block;
    h->size = size;
    g->count++;
    g->held_bytes += size;
}

unsigned guard_take_all(struct guard *g, struct guard_held *out)
{
    unsigned n = 0;
    size_t size;
    unsigned char *block;
    while ((block = guard_release_oldest(g, &size)) != NULL)
        out[n++] = (struct guard_held){ block, size };
    return n;
}

unsigned guard_check_held(struct guard *g)
{
    unsigned written = 0;
    for (unsigned i = 0; i < g->count; i++)
        written += (unsigned)guard_check_one(&g->held[(g->oldest + i) % GUARD_HOLD_BLOCKS]);
    return written;
}
