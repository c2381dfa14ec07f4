/*
 * read_pcapng.c - pcapng files: a sequence of sections, each a Section Header Block (whose
 * byte-order magic says how the section is written) followed by blocks of a type, a total
 * length (a multiple of 4, at least 12, repeated at the block's end) and a body. Interface
 * Description Blocks give each interface of the section its link type, snap length and
 * timestamp resolution and offset; Enhanced, Simple and (obsolete) Packet Blocks carry
 * frames; every other block is skipped. A new section starts its interface numbers afresh.
 */
#include "readers.h"

#include <string.h>

#include "platform.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_PB  0x00000002u
#define BT_SPB 0x00000003u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFFSET 14
#define SHB_MIN 28            /* type, length, magic, versions, section length, length */
#define IDB_MIN 20
#define EPB_HEADER 28         /* type, length, interface, time high, time low, stored, length */
#define PB_HEADER 28
#define SPB_HEADER 12
#define MAX_BLOCK (CAP_MAX_STORED + 4096u)

static int recognise(const uint8_t *head, uint32_t n)
{
    return n >= 12 && rd32(head, 0) == BT_SHB &&
           (rd32(head + 8, 0) == BYTE_ORDER_MAGIC || rd32(head + 8, 1) == BYTE_ORDER_MAGIC);
}

/* Reads an IDB's options for the timestamp resolution and offset. */
static void idb_options(const uint8_t *opt, uint32_t n, int big, struct cap_interface *i)
{
    uint32_t at = 0;
    while (n - at >= 4) {
        uint16_t code = rd16(opt + at, big), len = rd16(opt + at + 2, big);
        at += 4;
        if (code == 0 || len > n - at)
            return;
        if (code == OPT_IF_TSRESOL && len >= 1) {
            i->binary_units = opt[at] >> 7;
            i->units = opt[at] & 0x7Fu;
        } else if (code == OPT_IF_TSOFFSET && len >= 8) {
            int64_t seconds = (int64_t)rd64(opt + at, big);
            if (seconds > -9000000000LL && seconds < 9000000000LL)
                i->offset_ns = seconds * 1000000000;
        }
        at += (len + 3u) & ~3u;
        if (at > n)
            return;
    }
}

/* The first section's opt_comment (code 1, UTF-8), kept as the capture's comment. 0, or -1
 * when out of memory. */
static int shb_comment(struct capture_file *cf, const uint8_t *opt, uint32_t n, int big)
{
    uint32_t at = 0;
    while (n - at >= 4) {
        uint16_t code = rd16(opt + at, big), len = rd16(opt + at + 2, big);
        at += 4;
        if (code == 0 || len > n - at)
            return 0;
        if (code == 1) {
            char *text = plat_zalloc((size_t)len + 1);
            if (!text)
                return -1;
            memcpy(text, opt + at, len);
            cf->comment = text;
            cf->comment_length = (uint32_t)strlen(text);
            return 0;
        }
        at += (len + 3u) & ~3u;
        if (at > n)
            return 0;
    }
    return 0;
}

static enum cap_status scan(struct capture_file *cf, struct scan_buffer *sb)
{
    uint64_t at = 0;
    int big = 0, in_section = 0;
    uint32_t section_first = 0;          /* the section's interface 0 in cf->interfaces */
    while (at < cf->io.size) {
        const uint8_t *b = scan_get(sb, at, 12);
        if (!b) {
            if (!in_section)
                return sb->failed ? CAP_READ_ERROR : CAP_CORRUPT;
            capture_damaged(cf, sb->failed ? CAP_DAMAGE_READ_ERROR : CAP_DAMAGE_TRUNCATED, at);
            break;
        }
        uint32_t type = rd32(b, 0);      /* the SHB's type reads the same in both orders */
        if (type == BT_SHB) {
            if (rd32(b + 8, 0) == BYTE_ORDER_MAGIC)
                big = 0;
            else if (rd32(b + 8, 1) == BYTE_ORDER_MAGIC)
                big = 1;
            else if (!in_section)
                return CAP_CORRUPT;
            else {
                capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, at);
                break;
            }
        } else if (!in_section) {
            return CAP_CORRUPT;
        } else {
            type = rd32(b, big);
        }
        uint32_t length = rd32(b + 4, big);
        if (length < 12 || length % 4 || length > MAX_BLOCK ||
            (type == BT_SHB && length < SHB_MIN)) {
            if (!in_section)
                return CAP_CORRUPT;
            capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, at);
            break;
        }
        if (cf->io.size - at < length) {
            if (!in_section)
                return CAP_CORRUPT;
            capture_damaged(cf, CAP_DAMAGE_TRUNCATED, at);
            break;
        }
        /* Only the headers of packet blocks are needed; other blocks are read whole when
         * they are ours to parse (SHB, IDB), else skipped unread apart from their trailer. */
        uint32_t need = type == BT_IDB || type == BT_SHB ? length : 12;
        if (type == BT_EPB || type == BT_PB)
            need = length < EPB_HEADER + 4 ? length : EPB_HEADER;
        else if (type == BT_SPB)
            need = length < SPB_HEADER + 4 ? length : SPB_HEADER;
        b = scan_get(sb, at, need);
        const uint8_t *tail = b ? NULL : NULL;
        if (b) {
            uint32_t first = rd32(b + 4, big);
            tail = scan_get(sb, at + length - 4, 4);
            if (!tail || rd32(tail, big) != first) {
                capture_damaged(cf, tail ? CAP_DAMAGE_BAD_RECORD :
                                sb->failed ? CAP_DAMAGE_READ_ERROR : CAP_DAMAGE_TRUNCATED, at);
                break;
            }
            b = scan_get(sb, at, need);  /* the trailer read may have moved the window */
        }
        if (!b) {
            capture_damaged(cf, sb->failed ? CAP_DAMAGE_READ_ERROR : CAP_DAMAGE_TRUNCATED, at);
            break;
        }
        enum cap_status st = CAP_OK;
        if (type == BT_SHB) {
            if (rd16(b + 12, big) != 1) {        /* major version 1 is the only one */
                if (!in_section)
                    return CAP_CORRUPT;
                capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, at);
                break;
            }
            in_section = 1;
            section_first = cf->interface_count;
            if (!cf->sections++ && shb_comment(cf, b + 24, length - 28, big) != 0)
                return CAP_NO_MEMORY;
        } else if (type == BT_IDB) {
            if (length < IDB_MIN) {
                capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, at);
                break;
            }
            struct cap_interface i = {0};
            i.link = rd16(b + 8, big);
            i.snaplen = rd32(b + 12, big);
            i.units = 6;
            i.big_endian = (uint8_t)big;
            idb_options(b + 16, length - 20, big, &i);
            if (capture_add_interface(cf, &i) < 0) {
                if (cf->damage)
                    break;
                return CAP_NO_MEMORY;
            }
        } else if (type == BT_EPB || type == BT_PB || type == BT_SPB) {
            uint32_t header = type == BT_SPB ? SPB_HEADER : EPB_HEADER;
            if (length < header + 4) {
                capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, at);
                break;
            }
            uint32_t id = type == BT_EPB ? rd32(b + 8, big)
                        : type == BT_PB  ? rd16(b + 8, big) : 0;
            if (id >= cf->interface_count - section_first) {
                capture_damaged(cf, CAP_DAMAGE_BAD_INTERFACE, at);
                break;
            }
            uint32_t room = length - header - 4, stored;
            if (type == BT_SPB) {
                uint32_t snap = cf->interfaces[section_first].snaplen;
                stored = rd32(b + 8, big);
                if (snap && stored > snap)
                    stored = snap;
                if (stored > room)
                    stored = room;
            } else {
                stored = rd32(b + 20, big);
                if (stored > room) {
                    capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, at);
                    break;
                }
            }
            st = capture_index_add(cf, at, (uint16_t)header, stored, section_first + id);
            if (st == CAP_NO_MEMORY)
                return st;
            if (st != CAP_OK)
                break;
        }
        at += length;
    }
    return CAP_OK;
}

/* ts in the interface's units, to nanoseconds (saturating far outside the 64-bit range). */
static int64_t units_to_ns(uint64_t ts, const struct cap_interface *i)
{
    if (!i->binary_units) {
        if (i->units <= 9) {
            static const uint64_t scale[10] = { 1000000000, 100000000, 10000000, 1000000,
                                                100000, 10000, 1000, 100, 10, 1 };
            uint64_t k = scale[i->units];
            return ts > (uint64_t)INT64_MAX / k ? INT64_MAX : (int64_t)(ts * k);
        }
        uint64_t d = 1;
        for (uint32_t u = 9; u < i->units && d < UINT64_MAX / 10; u++)
            d *= 10;
        return (int64_t)(ts / d);
    }
    uint32_t shift = i->units > 63 ? 63 : i->units;
    uint64_t whole = ts >> shift, part = ts & ((1ull << shift) - 1);
    if (whole > (uint64_t)INT64_MAX / 1000000000)
        return INT64_MAX;
    /* part < 2^shift: part * 1e9 overflows for shift > 34, so scale the fraction down. */
    uint32_t drop = shift > 34 ? shift - 34 : 0;
    return (int64_t)(whole * 1000000000 + (((part >> drop) * 1000000000) >> (shift - drop)));
}

static void decode(const struct capture_file *cf, const struct cap_index_entry *e,
                   const uint8_t *b, struct cap_frame *out)
{
    const struct cap_interface *i = &cf->interfaces[e->iface];
    int big = i->big_endian;
    out->iface = e->iface;
    out->link = i->link;
    out->stored = e->stored;
    if (e->header == SPB_HEADER) {       /* a Simple Packet Block has no time stamp */
        out->length = rd32(b + 8, big);
        out->time_ns = 0;
        return;
    }
    uint64_t ts = (uint64_t)rd32(b + 12, big) << 32 | rd32(b + 16, big);
    out->time_ns = cap_ns_add(units_to_ns(ts, i), i->offset_ns);
    out->length = rd32(b + 24, big);
}

const struct cap_reader cap_reader_pcapng = { CAP_FORMAT_PCAPNG, recognise, scan, decode };
