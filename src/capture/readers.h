/*
 * readers.h - what capture_file.c and the format readers (read_pcap.c, read_pcapng.c,
 * read_netmon.c) share. A reader recognises its format from the file's first bytes, scans
 * the file once adding every frame to the index, and decodes a frame's record header later.
 * A scan returns CAP_OK once the file header was usable, recording in cf->damage why it
 * stopped early, if it did; only an unusable file header, memory or a read error of the
 * header fail the open.
 */
#ifndef NMAPI_READERS_H
#define NMAPI_READERS_H

#include "capture_file.h"
#include "scan_buffer.h"

struct cap_reader {
    enum cap_format format;          /* for NETMON, the scan sets 1 or 2 itself */
    int (*recognise)(const uint8_t *head, uint32_t n);
    enum cap_status (*scan)(struct capture_file *cf, struct scan_buffer *sb);
    /* record: the e->header bytes at e->record, then e->stored bytes of data and
     * cf->trailer bytes more when cf->trailer is not 0 */
    void (*decode)(const struct capture_file *cf, const struct cap_index_entry *e,
                   const uint8_t *header, struct cap_frame *out);
};

extern const struct cap_reader cap_reader_pcap;
extern const struct cap_reader cap_reader_pcapng;
extern const struct cap_reader cap_reader_netmon;

/* Adds a frame to the index: CAP_OK, or CAP_NO_MEMORY; sets cf->damage to
 * CAP_DAMAGE_TOO_MANY and returns CAP_CORRUPT when the index is full (stop scanning). */
enum cap_status capture_index_add(struct capture_file *cf, uint64_t record, uint16_t header,
                                  uint32_t stored, uint32_t iface);
/* Adds an interface; its index, or -1 (out of memory, or CAP_DAMAGE_TOO_MANY set). */
long capture_add_interface(struct capture_file *cf, const struct cap_interface *i);
/* Records why and where the scan stopped. */
static inline void capture_damaged(struct capture_file *cf, enum cap_damage d, uint64_t at)
{
    cf->damage = d;
    cf->damage_offset = at;
}

/* Time arithmetic on what a file says, saturated to the int64_t range: absurd times in a
 * corrupt file give INT64_MIN or INT64_MAX, never a signed overflow. */
static inline int64_t cap_ns_add(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_add_overflow(a, b, &r) ? (b < 0 ? INT64_MIN : INT64_MAX) : r;
}
static inline int64_t cap_ns_mul(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_mul_overflow(a, b, &r) ? ((a < 0) != (b < 0) ? INT64_MIN : INT64_MAX) : r;
}

/* The largest frame a record may claim to store: bigger is a corrupt record. */
#define CAP_MAX_STORED (256u << 20)

#endif
