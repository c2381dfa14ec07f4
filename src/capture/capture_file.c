/*
 * capture_file.c - see capture_file.h. Format detection, the frame index and the interface
 * table, frame reads, and the time conversions the readers share.
 */
#include "readers.h"

#include <string.h>

#include "platform.h"

static const struct cap_reader *const readers[] = {
    &cap_reader_netmon, &cap_reader_pcap, &cap_reader_pcapng,
};

#define INTERFACE_MAX 0xFFFFu        /* cap_index_entry.iface is 16 bits */

enum cap_status capture_index_add(struct capture_file *cf, uint64_t record, uint16_t header,
                                  uint32_t stored, uint32_t iface)
{
    if (cf->count >= cf->frame_limit ||
        (cf->count == cf->index_capacity &&
         (uint64_t)cf->count * 2 + 64 > SIZE_MAX / sizeof *cf->index)) {
        capture_damaged(cf, CAP_DAMAGE_TOO_MANY, record);
        return CAP_CORRUPT;
    }
    if (cf->count == cf->index_capacity) {
        uint64_t grown = (uint64_t)cf->count * 2 + 64;
        if (grown > cf->frame_limit)
            grown = cf->frame_limit;
        struct cap_index_entry *bigger = plat_zalloc((size_t)grown * sizeof *bigger);
        if (!bigger)
            return CAP_NO_MEMORY;
        if (cf->count)
            memcpy(bigger, cf->index, (size_t)cf->count * sizeof *bigger);
        plat_free(cf->index);
        cf->index = bigger;
        cf->index_capacity = (uint32_t)grown;
    }
    struct cap_index_entry *e = &cf->index[cf->count++];
    e->record = record;
    e->stored = stored;
    e->iface = (uint16_t)iface;
    e->header = header;
    if (stored > cf->max_stored)
        cf->max_stored = stored;
    return CAP_OK;
}

long capture_add_interface(struct capture_file *cf, const struct cap_interface *i)
{
    if (cf->interface_count == INTERFACE_MAX) {
        capture_damaged(cf, CAP_DAMAGE_TOO_MANY, 0);
        return -1;
    }
    if (cf->interface_count == cf->interface_capacity) {
        uint32_t grown = cf->interface_capacity ? cf->interface_capacity * 2 : 4;
        if (grown > INTERFACE_MAX)
            grown = INTERFACE_MAX;
        struct cap_interface *bigger = plat_zalloc(grown * sizeof *bigger);
        if (!bigger)
            return -1;
        if (cf->interface_count)
            memcpy(bigger, cf->interfaces, cf->interface_count * sizeof *bigger);
        plat_free(cf->interfaces);
        cf->interfaces = bigger;
        cf->interface_capacity = grown;
    }
    cf->interfaces[cf->interface_count] = *i;
    return cf->interface_count++;
}

/* After the scan: the index at its exact size, so that it holds CAP_INDEX_ENTRY_BYTES per
 * frame and no more (it grew by doubling). Kept as it is when no memory is left for a copy. */
static void shrink_index(struct capture_file *cf)
{
    if (cf->index_capacity - cf->count <= cf->count / 64)
        return;
    struct cap_index_entry *exact = plat_zalloc((cf->count ? cf->count : 1) * sizeof *exact);
    if (!exact)
        return;
    memcpy(exact, cf->index, (size_t)cf->count * sizeof *exact);
    plat_free(cf->index);
    cf->index = exact;
    cf->index_capacity = cf->count ? cf->count : 1;
}

static const struct cap_reader *reader_of(enum cap_format f)
{
    return f == CAP_FORMAT_PCAP ? &cap_reader_pcap
         : f == CAP_FORMAT_PCAPNG ? &cap_reader_pcapng : &cap_reader_netmon;
}

enum cap_status capture_open(struct capture_file *cf, const struct cap_io *io,
                             uint32_t max_frames)
{
    memset(cf, 0, sizeof *cf);
    cf->io = *io;
    cf->frame_limit = max_frames && max_frames < UINT32_MAX ? max_frames : UINT32_MAX - 1;
    struct scan_buffer *sb = scan_create(io);
    if (!sb)
        return CAP_NO_MEMORY;
    const uint8_t *head = scan_get(sb, 0, io->size < 16 ? (uint32_t)io->size : 16);
    enum cap_status st = CAP_UNKNOWN_FORMAT;
    if (!head)
        st = sb->failed ? CAP_READ_ERROR : CAP_UNKNOWN_FORMAT;
    else
        for (size_t r = 0; r < sizeof readers / sizeof *readers; r++)
            if (readers[r]->recognise(head, io->size < 16 ? (uint32_t)io->size : 16)) {
                cf->format = readers[r]->format;
                st = readers[r]->scan(cf, sb);
                break;
            }
    if (st != CAP_OK) {
        scan_destroy(sb);
        capture_close(cf);
        return st;
    }
    cf->buffer = sb;
    shrink_index(cf);
    if (cf->format != CAP_FORMAT_NETMON1 && cf->format != CAP_FORMAT_NETMON2) {
        struct cap_frame first;
        cf->start_ns = 0;
        if (cf->count && capture_read_frame(cf, 0, &first, NULL, 0, NULL) == CAP_OK)
            cf->start_ns = first.time_ns;
    }
    /* Times are served in microseconds: the start on a microsecond too, so that start + a
     * frame's TimeStamp is the frame's own time, truncated, never one microsecond short. */
    int64_t below = cf->start_ns % 1000;
    if (below < 0 && cf->start_ns >= INT64_MIN + 1000)
        below += 1000;             /* floor; the very bottom of the range rounds up instead */
    cf->start_ns -= below;
    return CAP_OK;
}

void capture_close(struct capture_file *cf)
{
    scan_destroy(cf->buffer);
    plat_free(cf->index);
    plat_free(cf->interfaces);
    plat_free(cf->comment);
    memset(cf, 0, sizeof *cf);
}

enum cap_status capture_read_frame(struct capture_file *cf, uint32_t n, struct cap_frame *out,
                                   void *data, uint32_t capacity, uint32_t *copied)
{
    if (n >= cf->count)
        return CAP_NO_FRAME;
    const struct cap_index_entry *e = &cf->index[n];
    uint32_t want = e->header + (data || cf->trailer ? e->stored + cf->trailer : 0);
    const uint8_t *r = scan_get(cf->buffer, e->record, want);
    if (!r)
        return cf->buffer->failed ? CAP_READ_ERROR : CAP_CORRUPT;
    reader_of(cf->format)->decode(cf, e, r, out);
    if (data) {
        uint32_t k = e->stored < capacity ? e->stored : capacity;
        memcpy(data, r + e->header, k);
        if (copied)
            *copied = k;
    }
    return CAP_OK;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, counted in 400-year eras (146,097
 * days each) from a year that starts in March, so that February's length does not matter. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int64_t cap_calendar_to_ns(const struct cap_calendar *c)
{
    unsigned month = c->month >= 1 && c->month <= 12 ? c->month : 1;
    unsigned day = c->day >= 1 && c->day <= 31 ? c->day : 1;
    int64_t days = days_from_civil(c->year, month, day);
    int64_t seconds = days * 86400 + c->hour * 3600 + c->minute * 60 + c->second;
    return cap_ns_add(cap_ns_mul(seconds, 1000000000), (int64_t)c->milliseconds * 1000000);
}

void cap_ns_to_calendar(int64_t ns, struct cap_calendar *c)
{
    int64_t seconds = ns / 1000000000, rest = ns % 1000000000;
    if (rest < 0) {
        rest += 1000000000;
        seconds--;
    }
    int64_t z = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
    int64_t secs = seconds - z * 86400;
    c->day_of_week = (uint16_t)(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    c->year = (uint16_t)(yoe + era * 400 + (m <= 2));
    c->month = (uint16_t)m;
    c->day = (uint16_t)d;
    c->hour = (uint16_t)(secs / 3600);
    c->minute = (uint16_t)(secs / 60 % 60);
    c->second = (uint16_t)(secs % 60);
    c->milliseconds = (uint16_t)(rest / 1000000);
}

const char *cap_format_name(enum cap_format f)
{
    switch (f) {
    case CAP_FORMAT_NETMON1: return "netmon1";
    case CAP_FORMAT_NETMON2: return "netmon2";
    case CAP_FORMAT_PCAP:    return "pcap";
    case CAP_FORMAT_PCAPNG:  return "pcapng";
    }
    return "unknown";
}

const char *cap_link_name(uint32_t link)
{
    switch (link) {
    case CAP_LINK_NULL:       return "null";
    case CAP_LINK_ETHERNET:   return "ethernet";
    case CAP_LINK_TOKEN_RING: return "token-ring";
    case CAP_LINK_FDDI:       return "fddi";
    case CAP_LINK_RAW:
    case CAP_LINK_IPV4:
    case CAP_LINK_IPV6:       return "raw-ip";
    case CAP_LINK_IEEE802_11: return "ieee802.11";
    case CAP_LINK_LOOP:       return "loop";
    case CAP_LINK_LINUX_SLL:  return "linux-sll";
    case CAP_LINK_RADIOTAP:   return "ieee802.11-radiotap";
    case CAP_LINK_LINUX_SLL2: return "linux-sll2";
    }
    return "other";
}

const char *cap_damage_text(enum cap_damage d)
{
    switch (d) {
    case CAP_DAMAGE_NONE:          return "none";
    case CAP_DAMAGE_TRUNCATED:     return "the file ends inside a record";
    case CAP_DAMAGE_BAD_RECORD:    return "a record with impossible lengths";
    case CAP_DAMAGE_BAD_INTERFACE: return "a packet of an undescribed interface";
    case CAP_DAMAGE_TOO_MANY:      return "more frames or interfaces than the index holds";
    case CAP_DAMAGE_READ_ERROR:    return "a read error";
    }
    return "unknown";
}
_Static_assert(sizeof(struct cap_index_entry) == CAP_INDEX_ENTRY_BYTES, "an index entry is CAP_INDEX_ENTRY_BYTES");
