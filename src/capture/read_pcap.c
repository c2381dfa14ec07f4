/*
 * read_pcap.c - libpcap files: a 24-byte file header, then records of a 16-byte header
 * (seconds, microseconds or nanoseconds, stored length, length on the wire) and the stored
 * bytes. Either byte order, told by the magic number; nanosecond files by their own magic.
 */
#include "readers.h"

#define PCAP_MAGIC_US 0xA1B2C3D4u
#define PCAP_MAGIC_NS 0xA1B23C4Du
#define PCAP_HEADER 24
#define PCAP_RECORD 16

static int recognise(const uint8_t *head, uint32_t n)
{
    if (n < 4)
        return 0;
    uint32_t le = rd32(head, 0), be = rd32(head, 1);
    return le == PCAP_MAGIC_US || le == PCAP_MAGIC_NS || be == PCAP_MAGIC_US ||
           be == PCAP_MAGIC_NS;
}

static enum cap_status scan(struct capture_file *cf, struct scan_buffer *sb)
{
    const uint8_t *h = scan_get(sb, 0, PCAP_HEADER);
    if (!h)
        return sb->failed ? CAP_READ_ERROR : CAP_CORRUPT;
    struct cap_interface i = {0};
    i.big_endian = rd32(h, 1) == PCAP_MAGIC_US || rd32(h, 1) == PCAP_MAGIC_NS;
    i.nanoseconds = rd32(h, i.big_endian) == PCAP_MAGIC_NS;
    if (rd16(h + 4, i.big_endian) != 2)
        return CAP_CORRUPT;                 /* only version 2.x exists */
    i.snaplen = rd32(h + 16, i.big_endian);
    i.link = rd32(h + 20, i.big_endian) & 0xFFFFu;   /* the upper bits carry FCS details */
    if (capture_add_interface(cf, &i) < 0)
        return CAP_NO_MEMORY;

    uint64_t at = PCAP_HEADER;
    while (at < cf->io.size) {
        const uint8_t *r = scan_get(sb, at, PCAP_RECORD);
        if (!r) {
            capture_damaged(cf, sb->failed ? CAP_DAMAGE_READ_ERROR : CAP_DAMAGE_TRUNCATED, at);
            break;
        }
        uint32_t stored = rd32(r + 8, i.big_endian);
        if (stored > CAP_MAX_STORED) {
            capture_damaged(cf, CAP_DAMAGE_BAD_RECORD, at);
            break;
        }
        if (cf->io.size - at - PCAP_RECORD < stored) {
            capture_damaged(cf, CAP_DAMAGE_TRUNCATED, at);
            break;
        }
        enum cap_status st = capture_index_add(cf, at, PCAP_RECORD, stored, 0);
        if (st == CAP_NO_MEMORY)
            return st;
        if (st != CAP_OK)
            break;
        at += PCAP_RECORD + (uint64_t)stored;
    }
    return CAP_OK;
}

static void decode(const struct capture_file *cf, const struct cap_index_entry *e,
                   const uint8_t *r, struct cap_frame *out)
{
    const struct cap_interface *i = &cf->interfaces[0];
    int64_t seconds = rd32(r, i->big_endian);
    int64_t fraction = rd32(r + 4, i->big_endian);
    out->time_ns = seconds * 1000000000 + fraction * (i->nanoseconds ? 1 : 1000);
    out->length = rd32(r + 12, i->big_endian);
    out->stored = e->stored;
    out->link = i->link;
    out->iface = 0;
}

const struct cap_reader cap_reader_pcap = { CAP_FORMAT_PCAP, recognise, scan, decode };
