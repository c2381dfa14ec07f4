/*
 * scan_buffer.h - bounded buffered reads of a capture file (cap_io), for the readers' scan
 * and for frame reads. A window of the file is kept in memory; scan_get returns a pointer to
 * n bytes at an offset, refilling the window when needed, or NULL when those bytes are not
 * all in the file (or cannot be read: scan_buffer.failed says which). Sequential scans cost
 * one read per window, whatever the record sizes.
 */
#ifndef NMAPI_SCAN_BUFFER_H
#define NMAPI_SCAN_BUFFER_H

#include <stdint.h>

#include "capture_file.h"

#define SCAN_WINDOW (1u << 20)        /* the usual window */
#define SCAN_MAX_GET (64u << 20)      /* the most one scan_get may ask for */

struct scan_buffer {
    struct cap_io io;
    uint8_t *data;
    uint32_t capacity;
    uint64_t base;       /* file offset of data[0] */
    uint32_t length;     /* valid bytes in data */
    int failed;          /* a read error happened */
};

struct scan_buffer *scan_create(const struct cap_io *io);
void scan_destroy(struct scan_buffer *sb);
/* n bytes at offset, valid until the next scan_get; NULL past the end, on a read error or
 * for n > SCAN_MAX_GET. */
const uint8_t *scan_get(struct scan_buffer *sb, uint64_t offset, uint32_t n);

static inline uint16_t rd16(const uint8_t *p, int big)
{
    return big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}
static inline uint32_t rd32(const uint8_t *p, int big)
{
    return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
               : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static inline uint64_t rd64(const uint8_t *p, int big)
{
    return big ? (uint64_t)rd32(p, 1) << 32 | rd32(p + 4, 1)
               : (uint64_t)rd32(p + 4, 0) << 32 | rd32(p, 0);
}

#endif
