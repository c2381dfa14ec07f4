/*
 * read_netmon.c - Microsoft Network Monitor captures: "RTSS" (1.x) and "GMBU" (2.x). A
 * header (little-endian) gives the media type, the start as a SYSTEMTIME and where the frame
 * table is: one 32-bit file offset per frame, in frame order (frames need not be in file
 * order). A 1.x record is 8 bytes (milliseconds since the start, 16-bit lengths) then the
 * data; a 2.x record is 16 bytes - Network Monitor's FRAME header: microseconds since the
 * start, length on the wire, bytes stored - then the data, then from 2.1 on a trailer whose
 * size the minor version fixes: 2.1 the frame's media type (2 bytes), 2.2 also a process
 * index (6), 2.3 also the frame's UTC time as a FILETIME and a time-zone index (15).
 * Pseudo-frames of Network Monitor 3 (adapter lists, DNS cache, reassembly headers) are not
 * frames and are skipped, as tshark does.
 *
 * The header's SYSTEMTIME is the capturing host's local time, with no zone; it is read as
 * UTC (2.3 frames carry their UTC time and use it).
 */
#include "readers.h"

#include <string.h>

#define NETMON_HEADER 32          /* what the reader needs of the 128-byte header */
#define MEDIA_ATM 4
#define MEDIA_802_11 6
#define MEDIA_PCAP_BASE 0xE000u
#define FILETIME_TO_UNIX_SECONDS 11644473600LL

static int recognise(const uint8_t *head, uint32_t n)
{
    return n >= 4 && (memcmp(head, "RTSS", 4) == 0 || memcmp(head, "GMBU", 4) == 0);
}

/* The link type of a Network Monitor media type; CAP_LINK_UNKNOWN for none, 0 to skip. */
static uint32_t link_of(uint32_t media)
{
    switch (media) {
    case 0:
    case 1: return CAP_LINK_ETHERNET;
    case 2: return CAP_LINK_TOKEN_RING;
    case 3: return CAP_LINK_FDDI;
    case MEDIA_ATM: return CAP_LINK_NETMON_ATM;
    case MEDIA_802_11: return CAP_LINK_NETMON_802_11;
    case 7: case 8: case 9: return CAP_LINK_RAW;
    case 0xE080: return CAP_LINK_IEEE802_11;
    case 0xFFFC: case 0xFFFD: case 0xFFFE: return 0;
    }
    if ((media & 0xF000u) == MEDIA_PCAP_BASE && media < 0xE080)
        return media & 0x0FFFu;
    return CAP_LINK_UNKNOWN;
}

static long interface_for(struct capture_file *cf, uint32_t link)
{
    for (uint32_t i = 0; i < cf->interface_count; i++)
        if (cf->interfaces[i].link == link)
            return i;
    struct cap_interface i = { .link = link };
    return capture_add_interface(cf, &i);
}

static enum cap_status scan(struct capture_file *cf, struct scan_buffer *sb)
{
    const uint8_t *h = scan_get(sb, 0, NETMON_HEADER);
    if (!h)
        return sb->failed ? CAP_READ_ERROR : CAP_CORRUPT;
    int v1 = memcmp(h, "RTSS", 4) == 0;
    uint8_t minor = h[4], major = h[5];
    if (major != (v1 ? 1 : 2))
        return CAP_CORRUPT;
    cf->format = v1 ? CAP_FORMAT_NETMON1 : CAP_FORMAT_NETMON2;
    cf->netmon_mac_type = rd16(h + 6, 0);
    struct cap_calendar *c = &cf->calendar;
    const uint8_t *t = h + 8;
    c->year = rd16(t, 0); c->month = rd16(t + 2, 0); c->day_of_week = rd16(t + 4, 0);
    c->day = rd16(t + 6, 0); c->hour = rd16(t + 8, 0); c->minute = rd16(t + 10, 0);
    c->second = rd16(t + 12, 0); c->milliseconds = rd16(t + 14, 0);
    cf->has_calendar = 1;
    cf->start_ns = cap_calendar_to_ns(c);
    uint32_t table = rd32(h + 24, 0), table_bytes = rd32(h + 28, 0);
    uint32_t header = v1 ? 8 : 16;
    uint32_t trailer = v1 || minor == 0 ? 0 : minor == 1 ? 2 : minor == 2 ? 6 : 15;
    cf->trailer = minor >= 3 && !v1 ? trailer : 0;   /* only 2.3 decoding reads it */
    if (table > cf->io.size || table_bytes % 4)
        return CAP_CORRUPT;
    uint32_t entries = table_bytes / 4;
    uint32_t header_media = cf->netmon_mac_type;
    for (uint32_t n = 0; n < entries; n++) {
        uint64_t at = (uint64_t)table + 4 * (uint64_t)n;
        const uint8_t *entry = scan_get(sb, at, 4);
        if (!entry) {
            capture_damaged(cf, sb->failed ? CAP_DAMAGE_READ_ERROR : CAP_DAMAGE_TRUNCATED, at);
            break;
        }
        uint64_t record = rd32(entry, 0);
        const uint8_t *r = scan_get(sb, record, header);
        if (!r) {
            capture_damaged(cf, sb->failed ? CAP_DAMAGE_READ_ERROR : CAP_DAMAGE_TRUNCATED, record);
            break;
        }
        uint32_t stored = v1 ? rd16(r + 6, 0) : rd32(r + 12, 0);
        if (stored > CAP_MAX_STORED) {
            capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, record);
            break;
        }
        if (cf->io.size - record < (uint64_t)header + stored + trailer) {
            capture_damaged(cf, CAP_DAMAGE_TRUNCATED, record);
            break;
        }
        uint32_t media = header_media;
        if (trailer) {
            const uint8_t *tr = scan_get(sb, record + header + stored, 2);
            if (!tr) {
                capture_damaged(cf, sb->failed ? CAP_DAMAGE_READ_ERROR : CAP_DAMAGE_TRUNCATED,
                                record);
                break;
            }
            media = rd16(tr, 0);
        }
        uint32_t link = link_of(media);
        if (!link)
            continue;                      /* a pseudo-frame */
        uint32_t skip = 0;
        if (link == CAP_LINK_NETMON_ATM) {
            if (stored < 16) {
                capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, record);
                break;
            }
            skip = 16;                     /* the ATM pseudo-header */
        }
        long iface = interface_for(cf, link);
        if (iface < 0) {
            if (cf->damage)
                break;
            return CAP_NO_MEMORY;
        }
        enum cap_status st = capture_index_add(cf, record, (uint16_t)(header + skip),
                                               stored - skip, (uint32_t)iface);
        if (st == CAP_NO_MEMORY)
            return st;
        if (st != CAP_OK)
            break;
    }
    return CAP_OK;
}

static void decode(const struct capture_file *cf, const struct cap_index_entry *e,
                   const uint8_t *r, struct cap_frame *out)
{
    uint32_t skip = cf->interfaces[e->iface].link == CAP_LINK_NETMON_ATM ? 16 : 0;
    out->iface = e->iface;
    out->link = cf->interfaces[e->iface].link;
    out->stored = e->stored;
    if (cf->format == CAP_FORMAT_NETMON1) {
        out->time_ns = cap_ns_add(cf->start_ns, (int64_t)rd32(r, 0) * 1000000);
        out->length = rd16(r + 4, 0) - skip;
        return;
    }
    uint32_t length = rd32(r + 8, 0);
    out->length = length >= skip ? length - skip : 0;
    if (cf->trailer) {                  /* 2.3: the frame's own UTC time */
        const uint8_t *t = r + e->header + e->stored + 6;
        uint64_t ft = rd64(t, 0);
        int64_t seconds = (int64_t)(ft / 10000000) - FILETIME_TO_UNIX_SECONDS;
        out->time_ns = cap_ns_add(cap_ns_mul(seconds, 1000000000), (int64_t)(ft % 10000000) * 100);
        return;
    }
    out->time_ns = cap_ns_add(cf->start_ns, cap_ns_mul((int64_t)rd64(r, 0), 1000));
}

const struct cap_reader cap_reader_netmon = { CAP_FORMAT_NETMON2, recognise, scan, decode };
