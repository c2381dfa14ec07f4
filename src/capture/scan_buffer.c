/* scan_buffer.c - see scan_buffer.h. */
#include "scan_buffer.h"

#include <string.h>

#include "platform.h"

struct scan_buffer *scan_create(const struct cap_io *io)
{
    struct scan_buffer *sb = plat_zalloc(sizeof *sb);
    if (!sb)
        return NULL;
    /* A file smaller than the window needs no more than itself. */
    uint32_t window = io->size < SCAN_WINDOW ? (uint32_t)(io->size > 4096 ? io->size : 4096)
                                             : SCAN_WINDOW;
    sb->data = plat_zalloc(window);
    if (!sb->data) {
        plat_free(sb);
        return NULL;
    }
    sb->capacity = window;
    sb->io = *io;
    return sb;
}

void scan_destroy(struct scan_buffer *sb)
{
    if (!sb)
        return;
    plat_free(sb->data);
    plat_free(sb);
}

const uint8_t *scan_get(struct scan_buffer *sb, uint64_t offset, uint32_t n)
{
    if (n > SCAN_MAX_GET || offset > sb->io.size || sb->io.size - offset < n)
        return NULL;
    if (offset >= sb->base && offset - sb->base <= sb->length &&
        sb->length - (offset - sb->base) >= n)
        return sb->data + (offset - sb->base);
    if (n > sb->capacity) {       /* a record larger than the window: grow it once */
        uint8_t *bigger = plat_zalloc(n);
        if (!bigger)
            return NULL;
        plat_free(sb->data);
        sb->data = bigger;
        sb->capacity = n;
        sb->length = 0;
    }
    uint64_t left = sb->io.size - offset;
    uint32_t want = left < sb->capacity ? (uint32_t)left : sb->capacity;
    long got = sb->io.read_at(sb->io.context, offset, sb->data, want);
    sb->base = offset;
    sb->length = got > 0 ? (uint32_t)got : 0;
    if (got < 0)
        sb->failed = 1;
    return sb->length >= n ? sb->data : NULL;
}
