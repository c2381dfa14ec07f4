/*
 * test_capture_damage.c - the capture readers (src/capture/) on damaged files: small real
 * files (sample_captures.h, made by Wireshark's tools) cut at every byte, with bytes flipped
 * and with chosen fields broken. An open either fails with a status, or serves the frames
 * before the damage with capture_file.damage saying what stopped it, and every frame it
 * indexed reads back. Built natively (ASan, UBSan: tests/native/) and for Windows, run
 * under Wine (tests/CMakeLists.txt, with tests/fault/'s white-box objects).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture_file.h"
#include "sample_captures.h"

/* --- A capture file in memory ------------------------------------------------------------- */

struct mem_file {
    const uint8_t *data;
    uint64_t size;
    uint64_t fail_from;      /* reads from here fail (UINT64_MAX: none) */
};

static long mem_read(void *context, uint64_t offset, void *buf, uint32_t n)
{
    struct mem_file *m = context;
    if (offset >= m->fail_from)
        return -1;
    if (offset >= m->size)
        return 0;
    uint64_t end = m->size < m->fail_from ? m->size : m->fail_from;
    uint64_t k = end - offset < n ? end - offset : n;
    memcpy(buf, m->data + offset, (size_t)k);
    return (long)k;
}

/* The bytes in a heap block of exactly their size, so that ASan sees a read past the end. */
static uint8_t *copy_of(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    assert_non_null(c);
    if (n)
        memcpy(c, p, n);
    return c;
}

static enum cap_status open_with(struct capture_file *cf, struct mem_file *m,
                                 const uint8_t *data, uint64_t size, uint64_t fail_from,
                                 uint32_t max_frames)
{
    m->data = data;
    m->size = size;
    m->fail_from = fail_from;
    struct cap_io io = { mem_read, m, size };
    return capture_open(cf, &io, max_frames);
}

static enum cap_status open_bytes(struct capture_file *cf, struct mem_file *m,
                                  const uint8_t *data, uint64_t size)
{
    return open_with(cf, m, data, size, UINT64_MAX, 0);
}

/* --- The samples -------------------------------------------------------------------------- */

#define FRAMES 3

struct sample {
    const char *name;
    const unsigned char *bytes;
    unsigned size;
    enum cap_format format;
    unsigned recognised;      /* the shortest prefix whose format is recognised */
    unsigned usable;          /* the shortest prefix whose file header is usable */
    unsigned boundaries[8];   /* where records start and end, from `usable` on; 0 ends */
    unsigned frame_end[FRAMES];
    unsigned frame_data[FRAMES];   /* where each frame's bytes start */
    unsigned table;           /* Network Monitor: the frame table's offset */
};

/* The offsets are what the files hold (dumped with a few lines of Python, checked against
 * tshark -r; the frames are 60, 62 and 62 bytes). */
static const struct sample samples[] = {
    { "pcap", sample_pcap, sizeof sample_pcap, CAP_FORMAT_PCAP, 4, 24,
      { 24, 100, 178, 256 }, { 100, 178, 256 }, { 40, 116, 194 }, 0 },
    { "pcap big-endian", sample_pcap_be, sizeof sample_pcap_be, CAP_FORMAT_PCAP, 4, 24,
      { 24, 100, 178, 256 }, { 100, 178, 256 }, { 40, 116, 194 }, 0 },
    /* SHB 0..108, IDB 108..128, EPBs 128..220, 220..316, 316..412 */
    { "pcapng", sample_pcapng, sizeof sample_pcapng, CAP_FORMAT_PCAPNG, 12, 108,
      { 108, 128, 220, 316, 412 }, { 220, 316, 412 }, { 156, 248, 344 }, 0 },
    /* 128-byte header; records 128, 204, 282 (16-byte headers); the table at 360..372 */
    { "netmon2", sample_netmon2, sizeof sample_netmon2, CAP_FORMAT_NETMON2, 4, 372,
      { 0 }, { 204, 282, 360 }, { 144, 220, 298 }, 360 },
    /* records 128, 196, 266 (8-byte headers); the table at 336..348 */
    { "netmon1", sample_netmon1, sizeof sample_netmon1, CAP_FORMAT_NETMON1, 4, 348,
      { 0 }, { 196, 266, 336 }, { 136, 204, 274 }, 336 },
};
#define SAMPLES (sizeof samples / sizeof *samples)

static const struct sample *sample_of(enum cap_format f)
{
    for (size_t i = 0; i < SAMPLES; i++)
        if (samples[i].format == f)
            return &samples[i];
    fail();
    return NULL;
}

/* The frames of the whole, undamaged file. */
struct frames {
    struct cap_frame f[FRAMES];
    uint8_t data[FRAMES][64];
};

static void read_all(struct capture_file *cf, struct frames *out)
{
    for (uint32_t n = 0; n < cf->count && n < FRAMES; n++) {
        uint32_t copied = 0;
        assert_int_equal(capture_read_frame(cf, n, &out->f[n], out->data[n],
                                            sizeof out->data[n], &copied), CAP_OK);
        assert_int_equal(copied, out->f[n].stored);
    }
}

static void whole_frames(const struct sample *s, struct frames *out)
{
    struct capture_file cf;
    struct mem_file m;
    uint8_t *bytes = copy_of(s->bytes, s->size);
    assert_int_equal(open_bytes(&cf, &m, bytes, s->size), CAP_OK);
    assert_int_equal(cf.count, FRAMES);
    assert_int_equal(cf.damage, CAP_DAMAGE_NONE);
    read_all(&cf, out);
    capture_close(&cf);
    free(bytes);
}

/* The most frames a file of `size` bytes can index. */
static uint64_t most_frames(enum cap_format f, uint64_t size)
{
    switch (f) {
    case CAP_FORMAT_PCAP:   return size < 24 ? 0 : (size - 24) / 16;
    case CAP_FORMAT_PCAPNG: return size < 28 ? 0 : (size - 28) / 16;
    case CAP_FORMAT_NETMON1:
    case CAP_FORMAT_NETMON2: return size / 4;
    }
    return 0;
}

/* Whatever the bytes: a documented status; on CAP_OK, every indexed frame reads back (the
 * io is sound) inside the file. */
static enum cap_status open_and_read_everything(const uint8_t *bytes, uint64_t size,
                                                uint32_t *count, enum cap_damage *damage)
{
    struct capture_file cf;
    struct mem_file m;
    enum cap_status st = open_bytes(&cf, &m, bytes, size);
    assert_true(st == CAP_OK || st == CAP_UNKNOWN_FORMAT || st == CAP_CORRUPT);
    if (st != CAP_OK)
        return st;
    assert_in_range(cf.damage, CAP_DAMAGE_NONE, CAP_DAMAGE_TOO_MANY);
    assert_true(cf.damage != CAP_DAMAGE_READ_ERROR && cf.damage != CAP_DAMAGE_TOO_MANY);
    if (cf.format == CAP_FORMAT_PCAP || cf.format == CAP_FORMAT_PCAPNG)
        assert_true(cf.damage_offset <= size);  /* .cap: where a table entry points */
    assert_true(cf.count <= most_frames(cf.format, size));
    for (uint32_t n = 0; n < cf.count; n++) {
        struct cap_frame f;
        uint32_t copied = 0;
        assert_int_equal(capture_read_frame(&cf, n, &f, NULL, 0, NULL), CAP_OK);
        assert_true(f.stored <= size && f.stored <= cf.max_stored);
        assert_true(f.iface < cf.interface_count);
        uint8_t *data = malloc(f.stored ? f.stored : 1);
        assert_non_null(data);
        assert_int_equal(capture_read_frame(&cf, n, &f, data, f.stored, &copied), CAP_OK);
        assert_int_equal(copied, f.stored);
        free(data);
    }
    assert_int_equal(capture_read_frame(&cf, cf.count, &(struct cap_frame){ 0 }, NULL, 0, NULL),
                     CAP_NO_FRAME);
    *count = cf.count;
    *damage = cf.damage;
    capture_close(&cf);
    return CAP_OK;
}

/* --- Truncation --------------------------------------------------------------------------- */

static void check_cut(const struct sample *s, const struct frames *whole, unsigned cut)
{
    struct capture_file cf;
    struct mem_file m;
    uint8_t *bytes = copy_of(s->bytes, cut);
    enum cap_status st = open_bytes(&cf, &m, bytes, cut);
    if (cut < s->recognised) {
        assert_int_equal(st, CAP_UNKNOWN_FORMAT);
    } else if (s->table) {
        /* A .cap's frame table is at its end: cut before the table, the header points
         * past the file and the open fails; cut inside it, the frames whose entries are
         * whole are served. */
        if (cut < s->table) {
            assert_int_equal(st, CAP_CORRUPT);
        } else {
            assert_int_equal(st, CAP_OK);
            assert_int_equal(cf.format, s->format);
            unsigned entries = (cut - s->table) / 4;
            assert_int_equal(cf.count, entries < FRAMES ? entries : FRAMES);
            if (cut == s->usable) {
                assert_int_equal(cf.damage, CAP_DAMAGE_NONE);
            } else {
                assert_int_equal(cf.damage, CAP_DAMAGE_TRUNCATED);
                assert_int_equal(cf.damage_offset, s->table + 4 * entries);
            }
        }
    } else if (cut < s->usable) {
        assert_int_equal(st, CAP_CORRUPT);
    } else {
        assert_int_equal(st, CAP_OK);
        assert_int_equal(cf.format, s->format);
        unsigned count = 0, last = 0;
        for (unsigned i = 0; i < FRAMES; i++)
            count += s->frame_end[i] <= cut;
        int on_boundary = 0;
        for (unsigned i = 0; i < 8 && s->boundaries[i]; i++) {
            if (s->boundaries[i] <= cut)
                last = s->boundaries[i];
            on_boundary |= s->boundaries[i] == cut;
        }
        assert_int_equal(cf.count, count);
        if (on_boundary) {
            assert_int_equal(cf.damage, CAP_DAMAGE_NONE);
        } else {
            assert_int_equal(cf.damage, CAP_DAMAGE_TRUNCATED);
            assert_int_equal(cf.damage_offset, last);    /* the record the file ends inside */
        }
    }
    if (st == CAP_OK) {
        struct frames got;
        read_all(&cf, &got);
        for (uint32_t n = 0; n < cf.count; n++) {
            assert_memory_equal(&got.f[n], &whole->f[n], sizeof got.f[n]);
            assert_memory_equal(got.data[n], whole->data[n], got.f[n].stored);
        }
        assert_int_equal(capture_read_frame(&cf, cf.count, &got.f[0], NULL, 0, NULL),
                         CAP_NO_FRAME);
        capture_close(&cf);
    }
    free(bytes);
}

static void test_truncated_at_every_offset_serves_the_frames_before(void **state)
{
    (void)state;
    for (size_t i = 0; i < SAMPLES; i++) {
        struct frames whole;
        whole_frames(&samples[i], &whole);
        for (unsigned cut = 0; cut <= samples[i].size; cut++)
            check_cut(&samples[i], &whole, cut);
    }
}

static void test_empty_file_is_unknown_format(void **state)
{
    (void)state;
    struct capture_file cf;
    struct mem_file m;
    static const uint8_t nothing[1];
    assert_int_equal(open_bytes(&cf, &m, nothing, 0), CAP_UNKNOWN_FORMAT);
    static const uint8_t text[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(open_bytes(&cf, &m, text, sizeof text - 1), CAP_UNKNOWN_FORMAT);
    /* Each format's magic alone: recognised, and its header cut short. */
    static const uint8_t pcap_magic[] = { 0xd4, 0xc3, 0xb2, 0xa1 };
    assert_int_equal(open_bytes(&cf, &m, pcap_magic, 4), CAP_CORRUPT);
    assert_int_equal(open_bytes(&cf, &m, (const uint8_t *)"GMBU", 4), CAP_CORRUPT);
    assert_int_equal(open_bytes(&cf, &m, (const uint8_t *)"RTSS", 4), CAP_CORRUPT);
    /* pcapng is recognised by its byte-order magic too: its first 12 bytes. */
    assert_int_equal(open_bytes(&cf, &m, sample_pcapng, 11), CAP_UNKNOWN_FORMAT);
    assert_int_equal(open_bytes(&cf, &m, sample_pcapng, 12), CAP_CORRUPT);
}

/* --- Flipped bytes ------------------------------------------------------------------------ */

static uint32_t next_random(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void test_flipped_bytes_never_crash(void **state)
{
    (void)state;
    static const uint8_t masks[] = { 0x01, 0x10, 0x80, 0xFF };
    uint32_t rng = 1;
    unsigned variants = 0, opened = 0;
    for (size_t i = 0; i < SAMPLES; i++) {
        const struct sample *s = &samples[i];
        uint8_t *bytes = copy_of(s->bytes, s->size);
        uint32_t count;
        enum cap_damage damage;
        /* Every byte, a few masks each. */
        for (unsigned at = 0; at < s->size; at++)
            for (size_t k = 0; k < sizeof masks; k++) {
                bytes[at] ^= masks[k];
                opened += open_and_read_everything(bytes, s->size, &count, &damage) == CAP_OK;
                variants++;
                bytes[at] ^= masks[k];
            }
        /* Random bytes at random places, one to eight of them, and random cuts. */
        for (unsigned v = 0; v < 2000; v++) {
            memcpy(bytes, s->bytes, s->size);
            unsigned changes = 1 + next_random(&rng) % 8;
            for (unsigned c = 0; c < changes; c++)
                bytes[next_random(&rng) % s->size] = (uint8_t)next_random(&rng);
            uint64_t size = v % 2 ? s->size : next_random(&rng) % (s->size + 1);
            opened += open_and_read_everything(bytes, size, &count, &damage) == CAP_OK;
            variants++;
        }
        free(bytes);
    }
    assert_true(variants > 10000);
    assert_true(opened > variants / 4);      /* most damage is survivable */
}

static void test_flipped_frame_data_changes_only_the_data(void **state)
{
    (void)state;
    for (size_t i = 0; i < SAMPLES; i++) {
        const struct sample *s = &samples[i];
        struct frames whole;
        whole_frames(s, &whole);
        uint8_t *bytes = copy_of(s->bytes, s->size);
        for (unsigned n = 0; n < FRAMES; n++)
            for (unsigned at = s->frame_data[n]; at < s->frame_data[n] + whole.f[n].stored; at++) {
                bytes[at] ^= 0xFF;
                struct capture_file cf;
                struct mem_file m;
                assert_int_equal(open_bytes(&cf, &m, bytes, s->size), CAP_OK);
                assert_int_equal(cf.count, FRAMES);
                assert_int_equal(cf.damage, CAP_DAMAGE_NONE);
                struct frames got;
                read_all(&cf, &got);
                for (unsigned k = 0; k < FRAMES; k++) {
                    assert_memory_equal(&got.f[k], &whole.f[k], sizeof got.f[k]);
                    if (k != n)
                        assert_memory_equal(got.data[k], whole.data[k], got.f[k].stored);
                }
                assert_int_equal(got.data[n][at - s->frame_data[n]],
                                 whole.data[n][at - s->frame_data[n]] ^ 0xFF);
                capture_close(&cf);
                bytes[at] ^= 0xFF;
            }
        free(bytes);
    }
}

/* --- Chosen damage ------------------------------------------------------------------------ */

static void put32(uint8_t *p, uint32_t v, int big)
{
    for (int i = 0; i < 4; i++)
        p[big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Opens `bytes` (size s->size) and expects CAP_OK, `count` frames, `damage` at `offset`. */
static void expect_damage(const uint8_t *bytes, unsigned size, uint32_t count,
                          enum cap_damage damage, uint64_t offset)
{
    struct capture_file cf;
    struct mem_file m;
    uint8_t *copy = copy_of(bytes, size);
    assert_int_equal(open_bytes(&cf, &m, copy, size), CAP_OK);
    assert_int_equal(cf.count, count);
    assert_int_equal(cf.damage, damage);
    if (damage != CAP_DAMAGE_NONE)
        assert_int_equal(cf.damage_offset, offset);
    struct frames got;
    read_all(&cf, &got);
    capture_close(&cf);
    free(copy);
}

static enum cap_status open_status(const uint8_t *bytes, unsigned size)
{
    struct capture_file cf;
    struct mem_file m;
    uint8_t *copy = copy_of(bytes, size);
    enum cap_status st = open_bytes(&cf, &m, copy, size);
    if (st == CAP_OK)
        capture_close(&cf);
    free(copy);
    return st;
}

static void test_pcap_big_endian_header(void **state)
{
    (void)state;
    struct frames le, be;
    whole_frames(sample_of(CAP_FORMAT_PCAP), &le);
    whole_frames(&samples[1], &be);
    for (unsigned n = 0; n < FRAMES; n++) {
        assert_memory_equal(&le.f[n], &be.f[n], sizeof le.f[n]);
        assert_memory_equal(le.data[n], be.data[n], le.f[n].stored);
    }
    assert_int_equal(le.f[0].length, 60);
    assert_int_equal(le.f[1].time_ns - le.f[0].time_ns, 100000);
    /* A big-endian file's record lengths are big-endian: one read the other way round is
     * a record claiming too much. */
    uint8_t bytes[sizeof sample_pcap_be];
    memcpy(bytes, sample_pcap_be, sizeof bytes);
    put32(bytes + 100 + 8, 62, 0);          /* frame 2's stored length, little-endian */
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_RECORD, 100);
}

static void test_pcap_record_lengths(void **state)
{
    (void)state;
    uint8_t bytes[sizeof sample_pcap];
    /* More than the file holds: truncated there. */
    memcpy(bytes, sample_pcap, sizeof bytes);
    put32(bytes + 100 + 8, 256 - 116 + 1, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_TRUNCATED, 100);
    /* More than any frame may store: a bad record, whatever the file's size. */
    put32(bytes + 100 + 8, (256u << 20) + 1, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_RECORD, 100);
    /* Zero bytes stored is a frame: the next record is read right after its header, in the
     * first frame's bytes, where the stored length (0x55443322) is impossible. */
    memcpy(bytes, sample_pcap, sizeof bytes);
    put32(bytes + 24 + 8, 0, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_RECORD, 24 + 16);
    /* Only version 2 exists. */
    memcpy(bytes, sample_pcap, sizeof bytes);
    bytes[4] = 3;
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_CORRUPT);
}

static void test_block_length_zero_is_damage_not_a_loop(void **state)
{
    (void)state;
    uint8_t bytes[sizeof sample_pcapng];
    /* The second EPB's length (and its copy at the end): under 12, not a multiple of 4, too
     * short for an EPB. */
    static const uint32_t bad[] = { 0, 4, 8, 11, 13, 16, 30 };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        memcpy(bytes, sample_pcapng, sizeof bytes);
        put32(bytes + 220 + 4, bad[k], 0);
        put32(bytes + 316 - 4, bad[k], 0);
        expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_RECORD, 220);
    }
    /* Past the end of the file: truncated. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    put32(bytes + 220 + 4, 1024, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_TRUNCATED, 220);
    /* The trailing copy disagrees: a bad record. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    put32(bytes + 316 - 4, 92, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_RECORD, 220);
    /* The SHB's own length broken: the file header is unusable. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    put32(bytes + 4, 0, 0);
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_CORRUPT);
    put32(bytes + 4, 24, 0);                 /* shorter than an SHB */
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_CORRUPT);
    /* A captured length beyond the block: a bad record. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    put32(bytes + 220 + 20, 65, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_RECORD, 220);
    /* A major version other than 1. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    bytes[12] = 2;
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_CORRUPT);
    /* A first block that is not an SHB is not pcapng at all. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    bytes[0] = 0x0B;
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_UNKNOWN_FORMAT);
}

static void test_pcapng_packet_of_unknown_interface_stops_with_damage(void **state)
{
    (void)state;
    uint8_t bytes[sizeof sample_pcapng];
    memcpy(bytes, sample_pcapng, sizeof bytes);
    put32(bytes + 220 + 8, 1, 0);            /* the second EPB: interface 1 of 1 */
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_INTERFACE, 220);
    /* Before any IDB (the IDB made an unknown block, skipped): the first packet. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    put32(bytes + 108, 0x0BAD, 0);
    expect_damage(bytes, sizeof bytes, 0, CAP_DAMAGE_BAD_INTERFACE, 128);
    /* An IDB too short to be one. */
    memcpy(bytes, sample_pcapng, sizeof bytes);
    put32(bytes + 108 + 4, 12, 0);
    expect_damage(bytes, sizeof bytes, 0, CAP_DAMAGE_BAD_RECORD, 108);
}

static void test_netmon_frame_table_past_the_end(void **state)
{
    (void)state;
    const struct sample *s = sample_of(CAP_FORMAT_NETMON2);
    uint8_t bytes[sizeof sample_netmon2];
    /* The table's offset past the file: unusable. */
    memcpy(bytes, s->bytes, sizeof bytes);
    put32(bytes + 24, sizeof bytes + 1, 0);
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_CORRUPT);
    /* At the very end: no frames, no damage. */
    put32(bytes + 24, sizeof bytes, 0);
    put32(bytes + 28, 0, 0);
    expect_damage(bytes, sizeof bytes, 0, CAP_DAMAGE_NONE, 0);
    /* Its size running past the end: the entries in the file are served. */
    memcpy(bytes, s->bytes, sizeof bytes);
    put32(bytes + 28, 400, 0);
    expect_damage(bytes, sizeof bytes, 3, CAP_DAMAGE_TRUNCATED, 372);
    /* A size that is not whole entries: unusable. */
    put32(bytes + 28, 13, 0);
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_CORRUPT);
    /* An entry pointing past the end, or at a record running past it. */
    memcpy(bytes, s->bytes, sizeof bytes);
    put32(bytes + 360 + 4, 0x7FFFFFF0u, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_TRUNCATED, 0x7FFFFFF0u);
    memcpy(bytes, s->bytes, sizeof bytes);
    put32(bytes + 360 + 8, 360, 0);          /* the third record read in the table itself */
    expect_damage(bytes, sizeof bytes, 2, CAP_DAMAGE_TRUNCATED, 360);
    /* A stored length beyond any frame: a bad record. */
    memcpy(bytes, s->bytes, sizeof bytes);
    put32(bytes + 204 + 12, 0xFFFFFFFFu, 0);
    expect_damage(bytes, sizeof bytes, 1, CAP_DAMAGE_BAD_RECORD, 204);
    /* Entries may name the same record: each is a frame. */
    memcpy(bytes, s->bytes, sizeof bytes);
    put32(bytes + 360 + 4, 128, 0);
    put32(bytes + 360 + 8, 128, 0);
    expect_damage(bytes, sizeof bytes, 3, CAP_DAMAGE_NONE, 0);
    /* A major version the letters do not go with. */
    memcpy(bytes, s->bytes, sizeof bytes);
    bytes[5] = 1;
    assert_int_equal(open_status(bytes, sizeof bytes), CAP_CORRUPT);
}

static void test_read_errors_fail_the_header_or_stop_the_scan(void **state)
{
    (void)state;
    for (size_t i = 0; i < SAMPLES; i++) {
        const struct sample *s = &samples[i];
        struct capture_file cf;
        struct mem_file m;
        assert_int_equal(open_with(&cf, &m, s->bytes, s->size, 0, 0), CAP_READ_ERROR);
        /* Reads stop short at the last frame and fail from there. */
        uint64_t at = s->table ? s->table + 4 : s->frame_end[1];
        enum cap_status st = open_with(&cf, &m, s->bytes, s->size, at, 0);
        if (s->table) {
            /* The first entry read, the second's read fails. */
            assert_int_equal(st, CAP_OK);
            assert_int_equal(cf.count, 1);
            assert_int_equal(cf.damage, CAP_DAMAGE_READ_ERROR);
            assert_int_equal(cf.damage_offset, s->table + 4);
        } else {
            assert_int_equal(st, CAP_OK);
            assert_int_equal(cf.count, 2);
            assert_int_equal(cf.damage, CAP_DAMAGE_READ_ERROR);
            assert_int_equal(cf.damage_offset, s->frame_end[1]);
        }
        capture_close(&cf);
    }
}

static void test_frame_limit_stops_with_too_many(void **state)
{
    (void)state;
    for (size_t i = 0; i < SAMPLES; i++) {
        struct capture_file cf;
        struct mem_file m;
        assert_int_equal(open_with(&cf, &m, samples[i].bytes, samples[i].size, UINT64_MAX, 2),
                         CAP_OK);
        assert_int_equal(cf.count, 2);
        assert_int_equal(cf.damage, CAP_DAMAGE_TOO_MANY);
        capture_close(&cf);
        assert_int_equal(open_with(&cf, &m, samples[i].bytes, samples[i].size, UINT64_MAX, 3),
                         CAP_OK);
        assert_int_equal(cf.count, 3);
        assert_int_equal(cf.damage, CAP_DAMAGE_NONE);
        capture_close(&cf);
    }
}

/* Times are what a file says, however absurd: past the int64_t range of nanoseconds they
 * saturate (UBSan, natively, makes a signed overflow fatal). */
static void test_absurd_times_saturate_instead_of_overflowing(void **state)
{
    (void)state;
    struct capture_file cf;
    struct mem_file m;
    struct cap_frame f;
    uint8_t net2[sizeof sample_netmon2], net1[sizeof sample_netmon1], ng[sizeof sample_pcapng];
    memcpy(net2, sample_netmon2, sizeof net2);
    net2[8] = 0x60;                           /* the header's year: 60000 */
    net2[9] = 0xEA;
    assert_int_equal(open_bytes(&cf, &m, net2, sizeof net2), CAP_OK);
    assert_int_equal(cf.start_ns, INT64_MAX - INT64_MAX % 1000);   /* on a microsecond */
    assert_int_equal(capture_read_frame(&cf, 0, &f, NULL, 0, NULL), CAP_OK);
    assert_int_equal(f.time_ns, INT64_MAX);
    capture_close(&cf);
    memcpy(net2, sample_netmon2, sizeof net2);
    memset(net2 + 204, 0x7F, 8);              /* frame 2: microseconds since the start */
    assert_int_equal(open_bytes(&cf, &m, net2, sizeof net2), CAP_OK);
    assert_int_equal(capture_read_frame(&cf, 1, &f, NULL, 0, NULL), CAP_OK);
    assert_int_equal(f.time_ns, INT64_MAX);
    capture_close(&cf);
    /* Network Monitor 2.3: the frame's own FILETIME (bytes 6..13 of its 15-byte trailer). */
    memcpy(net2, sample_netmon2, sizeof net2);
    net2[4] = 3;
    put32(net2 + 24, 128 + 76 + 15, 0);       /* one frame, then its table */
    put32(net2 + 28, 4, 0);
    put32(net2 + 128 + 76 + 15, 128, 0);
    memset(net2 + 128 + 76, 0, 15);
    memset(net2 + 128 + 76 + 6, 0xFF, 8);
    assert_int_equal(open_bytes(&cf, &m, net2, 128 + 76 + 15 + 4), CAP_OK);
    assert_int_equal(cf.count, 1);
    assert_int_equal(capture_read_frame(&cf, 0, &f, NULL, 0, NULL), CAP_OK);
    assert_int_equal(f.time_ns, INT64_MAX);
    capture_close(&cf);
    memcpy(net1, sample_netmon1, sizeof net1);
    net1[9] = 0xFF;                           /* year 0xFFxx */
    assert_int_equal(open_bytes(&cf, &m, net1, sizeof net1), CAP_OK);
    assert_int_equal(capture_read_frame(&cf, 2, &f, NULL, 0, NULL), CAP_OK);
    assert_true(f.time_ns >= INT64_MAX - INT64_MAX % 1000);   /* the top of the range */
    capture_close(&cf);
    /* pcapng: a time stamp past the range, in microseconds. */
    memcpy(ng, sample_pcapng, sizeof ng);
    put32(ng + 128 + 12, 0x7FFFFFFFu, 0);
    assert_int_equal(open_bytes(&cf, &m, ng, sizeof ng), CAP_OK);
    assert_int_equal(cf.start_ns, INT64_MAX - INT64_MAX % 1000);
    capture_close(&cf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated_at_every_offset_serves_the_frames_before),
        cmocka_unit_test(test_empty_file_is_unknown_format),
        cmocka_unit_test(test_flipped_bytes_never_crash),
        cmocka_unit_test(test_flipped_frame_data_changes_only_the_data),
        cmocka_unit_test(test_pcap_big_endian_header),
        cmocka_unit_test(test_pcap_record_lengths),
        cmocka_unit_test(test_block_length_zero_is_damage_not_a_loop),
        cmocka_unit_test(test_pcapng_packet_of_unknown_interface_stops_with_damage),
        cmocka_unit_test(test_netmon_frame_table_past_the_end),
        cmocka_unit_test(test_read_errors_fail_the_header_or_stop_the_scan),
        cmocka_unit_test(test_frame_limit_stops_with_too_many),
        cmocka_unit_test(test_absurd_times_saturate_instead_of_overflowing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
