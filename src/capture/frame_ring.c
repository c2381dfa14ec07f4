/* frame_ring.c - see frame_ring.h. */
#include "frame_ring.h"

#include <string.h>

#include "platform.h"

static size_t record_bytes(uint32_t stored)
{
    return ((size_t)FRAME_RING_PREFIX + FRAME_RECORD_HEADER + stored + 15) & ~(size_t)15;
}

int frame_ring_create(struct frame_ring *r, uint32_t max_stored)
{
    memset(r, 0, sizeof *r);
    /* KEEP records, plus one wasted at the ring's end when a record does not fit there. */
    uint64_t want = (uint64_t)record_bytes(max_stored) * (FRAME_RING_KEEP + 1);
    if (want < FRAME_RING_MIN)
        want = FRAME_RING_MIN;
    want = (want + PLAT_REGION_ALIGN - 1) & ~(uint64_t)(PLAT_REGION_ALIGN - 1);
    if (want > SIZE_MAX / 4)
        return -1;
    void *rw;
    const void *ro;
    if (plat_map_twice((size_t)want, &rw, &ro) != 0)
        return -1;
    r->rw = rw;
    r->ro = ro;
    r->size = (size_t)want;
    return 0;
}

void frame_ring_destroy(struct frame_ring *r)
{
    if (r->rw)
        plat_unmap_twice(r->size, r->rw, r->ro);
    memset(r, 0, sizeof *r);
}

uint8_t *frame_ring_find(struct frame_ring *r, uint32_t n, const uint8_t **ro)
{
    const typeof(r->directory[0]) *d = &r->directory[n % FRAME_RING_DIRECTORY];
    if (!d->used || d->frame != n || r->head > d->at + r->size)
        return NULL;
    size_t at = (size_t)(d->at % r->size);
    *ro = r->ro + at;
    return r->rw + at;
}

uint8_t *frame_ring_place(struct frame_ring *r, uint32_t n, uint32_t stored, const uint8_t **ro)
{
    size_t bytes = record_bytes(stored);
    if (bytes > r->size)
        return NULL;
    size_t at = (size_t)(r->head % r->size);
    if (r->size - at < bytes) {            /* no room before the end: start over at 0 */
        r->head += r->size - at;
        at = 0;
    }
    typeof(r->directory[0]) *d = &r->directory[n % FRAME_RING_DIRECTORY];
    d->frame = n;
    d->used = 1;
    d->at = r->head;
    r->head += bytes;
    *ro = r->ro + at;
    return r->rw + at;
}

void frame_ring_forget(struct frame_ring *r, uint32_t n)
{
    typeof(r->directory[0]) *d = &r->directory[n % FRAME_RING_DIRECTORY];
    if (d->frame == n)
        d->used = 0;
}
