/*
 * fuzz_captures.c - libFuzzer target for the capture readers (src/capture/) under ASan and
 * UBSan: the input is a capture file in memory, of any format or none.
 *
 * Each input is opened whole, then once more in a variant its last byte picks: with the
 * cap_io's size cut short (the last byte, half, a length the first byte picks), whole behind
 * a cap_io that stops short at the middle and fails every read from there, or whole with an
 * index of 1 to 4 frames. For each open that succeeds, every frame is read without and
 * with its data (the data into a heap block of exactly the frame's stored bytes, so that ASan
 * sees any read past them), recognised by dissect() with its link type and tested against
 * small fixed display-filter programs. What must hold, else abort():
 *   - an open returns one of its documented statuses; CAP_OK leaves a known damage, a damage
 *     offset inside the file (a .cap's may be where its table points) and no more frames
 *     than the file has room for records;
 *   - over a cap_io that reads as asked, every indexed frame reads back (CAP_OK), stores no
 *     more than the file's largest frame, names an interface the file described, and
 *     copies min(stored, capacity) bytes; a frame past the count is CAP_NO_FRAME;
 *   - dissect() puts every protocol it found, and the IP addresses, inside the frame;
 *   - filter_matches() of A AND NOT-B, NOT(A AND B) agree with A and B evaluated alone, and a
 *     frame's own IPv4 / MAC source address matches FOP_FROM.
 * Corpus: tests/fuzz/captures_corpus/ (seeds cut from the files tests/captures/ makes with
 * Wireshark's tools). Open-ended: build/native/tests/native/fuzz_captures DIR corpus_dir.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_file.h"
#include "dissect.h"
#include "filter.h"

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_captures: violated at line %d: %s\n", __LINE__, #cond); abort(); } } while (0)

struct mem_file {
    const uint8_t *data;
    uint64_t size;          /* what read_at serves (the cap_io's size) */
    uint64_t fail_from;     /* reads from here fail, reads before stop here (UINT64_MAX: none) */
    unsigned reads;
};

static long mem_read(void *context, uint64_t offset, void *buf, uint32_t n)
{
    struct mem_file *m = context;
    m->reads++;
    if (offset >= m->fail_from)
        return -1;
    if (offset >= m->size)
        return 0;
    uint64_t end = m->size < m->fail_from ? m->size : m->fail_from;
    uint64_t k = end - offset < n ? end - offset : n;
    memcpy(buf, m->data + offset, (size_t)k);
    return (long)k;
}

static struct filter_program prog_a, prog_b, prog_a_and_not_b, prog_not_a_and_b;

static void append(struct filter_program *p, const struct filter_object *o)
{
    REQUIRE(filter_append(p, o) == FILTER_OK);
}

static void build_programs(void)
{
    struct filter_object tcp = { .op = FOP_PROTOCOL, .protocols = 1u << PROTO_TCP };
    struct filter_object host = { .op = FOP_ADDRESS, .a = { .type = FA_IP4, .bytes = { 10, 1, 0, 1 } } };
    struct filter_object and = { .op = FOP_AND }, not = { .op = FOP_NOT };
    append(&prog_a, &tcp);
    append(&prog_b, &host);
    append(&prog_a_and_not_b, &tcp);         /* tcp && !(ip.addr == 10.1.0.1) */
    append(&prog_a_and_not_b, &host);
    append(&prog_a_and_not_b, &not);
    append(&prog_a_and_not_b, &and);
    append(&prog_not_a_and_b, &tcp);         /* !(tcp && ip.addr == 10.1.0.1) */
    append(&prog_not_a_and_b, &host);
    append(&prog_not_a_and_b, &and);
    append(&prog_not_a_and_b, &not);
    /* An operator without its operands is refused and changes nothing. */
    struct filter_program empty = { 0 };
    REQUIRE(filter_append(&empty, &and) == FILTER_STACK_EMPTY && empty.count == 0);
}

/* A frame's own source address, as an FOP_FROM operand, must match it. */
static void check_own_source(const struct dissection *d, const uint8_t *frame, uint32_t n,
                             enum filter_address_type type)
{
    uint32_t src, dst, length;
    if (!filter_address_at(d, type, &src, &dst, &length) || !src || src - 1 + length > n)
        return;
    struct filter_program p = { 0 };
    struct filter_object from = { .op = FOP_FROM, .a = { .type = (uint8_t)type } };
    memcpy(from.a.bytes, frame + src - 1, length);
    append(&p, &from);
    REQUIRE(filter_matches(&p, d, frame, n) == 1);
}

static void check_frame(uint32_t link, const uint8_t *frame, uint32_t n)
{
    struct dissection d;
    dissect(link, frame, n, &d);
    for (int p = 0; p < PROTO_COUNT; p++)
        if (dissect_has(&d, (enum proto)p))
            REQUIRE(d.offset[p] <= n);
    REQUIRE((d.present >> PROTO_COUNT) == 0);
    if (d.ip_version == 4)
        REQUIRE(d.ip_src + 4u <= n && d.ip_dst + 4u <= n);
    else if (d.ip_version == 6)
        REQUIRE(d.ip_src + 16u <= n && d.ip_dst + 16u <= n);
    else
        REQUIRE(d.ip_version == 0);
    int a = filter_matches(&prog_a, &d, frame, n), b = filter_matches(&prog_b, &d, frame, n);
    REQUIRE(a == dissect_has(&d, PROTO_TCP));
    REQUIRE(filter_matches(&prog_a_and_not_b, &d, frame, n) == (a && !b));
    REQUIRE(filter_matches(&prog_not_a_and_b, &d, frame, n) == !(a && b));
    check_own_source(&d, frame, n, FA_IP4);
    check_own_source(&d, frame, n, FA_IP6);
    check_own_source(&d, frame, n, FA_MAC);
}

/* The most frames a file of `size` bytes can index: a record's smallest size per frame
 * (a .cap frame table entry is 4 bytes, and entries may share a record). */
static uint64_t most_frames(enum cap_format f, uint64_t size)
{
    switch (f) {
    case CAP_FORMAT_PCAP:   return size < 24 ? 0 : (size - 24) / 16;
    case CAP_FORMAT_PCAPNG: return size < 28 ? 0 : (size - 28) / 16;   /* SPB: 16 bytes */
    case CAP_FORMAT_NETMON1:
    case CAP_FORMAT_NETMON2: return size < 32 ? 0 : size / 4;   /* the table may start at 0 */
    }
    return 0;
}

static void one_open(const uint8_t *data, uint64_t size, uint64_t fail_from, uint32_t max_frames)
{
    struct mem_file m = { data, size, fail_from, 0 };
    struct cap_io io = { mem_read, &m, size };
    struct capture_file cf;
    enum cap_status st = capture_open(&cf, &io, max_frames);
    REQUIRE(st == CAP_OK || st == CAP_UNKNOWN_FORMAT || st == CAP_CORRUPT ||
            st == CAP_NO_MEMORY || st == CAP_READ_ERROR);
    if (st != CAP_OK)
        return;                                  /* nothing to close */
    int healthy = fail_from == UINT64_MAX;
    REQUIRE(cf.format >= CAP_FORMAT_NETMON1 && cf.format <= CAP_FORMAT_PCAPNG);
    REQUIRE(cf.damage <= CAP_DAMAGE_READ_ERROR);
    if (cf.format == CAP_FORMAT_PCAP || cf.format == CAP_FORMAT_PCAPNG)
        REQUIRE(cf.damage_offset <= size);     /* .cap: a table entry may point anywhere */
    REQUIRE(cf.count <= most_frames(cf.format, size));
    if (max_frames)
        REQUIRE(cf.count <= max_frames);
    if (healthy)
        REQUIRE(cf.damage != CAP_DAMAGE_READ_ERROR);
    REQUIRE(cf.count == 0 || cf.interface_count > 0);

    for (uint32_t n = 0; n < cf.count; n++) {
        struct cap_frame f;
        enum cap_status fs = capture_read_frame(&cf, n, &f, NULL, 0, NULL);
        REQUIRE(fs == CAP_OK || fs == CAP_READ_ERROR || fs == CAP_CORRUPT);
        if (healthy)
            REQUIRE(fs == CAP_OK);
        if (fs != CAP_OK)
            continue;
        REQUIRE(f.iface < cf.interface_count);
        REQUIRE(f.link == cf.interfaces[f.iface].link);
        REQUIRE(f.stored <= cf.max_stored && f.stored <= size);
        uint8_t *frame = malloc(f.stored ? f.stored : 1);
        REQUIRE(frame);
        uint32_t copied = 0xFFFFFFFFu;
        struct cap_frame g;
        fs = capture_read_frame(&cf, n, &g, frame, f.stored, &copied);
        if (healthy)
            REQUIRE(fs == CAP_OK);
        if (fs == CAP_OK) {
            REQUIRE(copied == f.stored);
            REQUIRE(memcmp(&f, &g, sizeof f) == 0);
            check_frame(g.link, frame, copied);
            if (copied) {                         /* a smaller capacity copies that much */
                uint32_t half = copied / 2, got = 0xFFFFFFFFu;
                REQUIRE(capture_read_frame(&cf, n, &g, frame, half, &got) == fs && got == half);
            }
        }
        free(frame);
    }
    struct cap_frame past;
    REQUIRE(capture_read_frame(&cf, cf.count, &past, NULL, 0, NULL) == CAP_NO_FRAME);
    REQUIRE(capture_read_frame(&cf, UINT32_MAX, &past, NULL, 0, NULL) == CAP_NO_FRAME);
    capture_close(&cf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int built;
    if (!built) {
        build_programs();
        built = 1;
    }
    /* The bytes in a block of their own size, so that a read past the end is ASan's. */
    uint8_t *copy = malloc(size ? size : 1);
    REQUIRE(copy);
    if (size)
        memcpy(copy, data, size);
    one_open(copy, size, UINT64_MAX, 0);
    if (size) {                 /* and one variant, which the last byte picks */
        uint8_t pick = copy[size - 1];
        switch (pick % 5) {
        case 0: one_open(copy, size - 1, UINT64_MAX, 0); break;
        case 1: one_open(copy, size / 2, UINT64_MAX, 0); break;
        case 2: one_open(copy, size - 1 - copy[0] % size, UINT64_MAX, 0); break;
        case 3: one_open(copy, size, size / 2, 0); break;               /* reads fail from the middle */
        default: one_open(copy, size, UINT64_MAX, 1u + pick / 5 % 4); break;   /* a capped index */
        }
    }
    free(copy);
    return 0;
}
