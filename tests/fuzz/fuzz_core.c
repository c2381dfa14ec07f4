/*
 * fuzz_core.c - libFuzzer target for the native core (registry, key heap, slabs) under
 * ASan and UBSan.
 *
 * The input is a program: each operation is one byte (what), one byte (which key slot / which
 * block) and, where needed, a size or limit drawn from the following bytes. It runs over
 * KEYS key slots; every result is checked against a simple model of what must be true - which
 * keys are live, which blocks each holds with what size and what bytes, and the exact
 * statistics (live blocks and bytes, peak, allocations, refusals, limit). A mismatch aborts,
 * which libFuzzer reports with the input that caused it. Keys destroyed stay in a list and must
 * stay dead. Every key is destroyed at the end of an input, and the reclaimed figures checked.
 * Keys created with corruption checks (guard.h) also take deliberate overruns into a block's
 * guard bytes, which the model expects to be counted exactly once: at that block's free or
 * (successful) reallocation, or at destroy; and no write after free is ever reported. Keys
 * without checks take garbage wherever an expert can write without touching a live block:
 * the slack after each live slab block and every slot of its slab that is not live (freed or
 * never handed out); nothing the allocator believes may change.
 *
 * Sizes stay below 64 KiB or beyond KEYHEAP_MAX_REQUEST (refused before any heap is asked),
 * so that libFuzzer's malloc limit is never what decides.
 *
 * Run open-ended: scripts/fuzz.sh [seconds] (see the README).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyheap_direct.h"
#include "registry.h"
#include "slabs.h"

#define KEYS 4
#define BLOCKS 48
#define DEAD_KEYS 32

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_core: model mismatch at line %d: %s\n", __LINE__, #cond); abort(); } } while (0)

struct model_block { unsigned char *p; size_t size; unsigned char stamp; int overrun; };

struct model_key {
    uintptr_t key;           /* 0: slot empty */
    int terminated;
    int checks;              /* created with corruption checks */
    struct model_block blocks[BLOCKS];
    size_t count;
    struct keyheap_stats stats;
    void *last_freed;        /* for double frees */
};

static struct model_key keys[KEYS];
static uintptr_t dead[DEAD_KEYS];
static size_t dead_count;

struct input { const uint8_t *data; size_t size, at; };

static uint8_t next_byte(struct input *in) { return in->at < in->size ? in->data[in->at++] : 0; }

/* A size: mostly small, some up to 64 KiB, some at the key's limit, some absurd. */
static size_t next_size(struct input *in, const struct model_key *mk)
{
    uint8_t b = next_byte(in), c = next_byte(in);
    if (b < 160)
        return (size_t)b * 8 + c % 8;
    if (b < 200)
        return ((size_t)(b - 160) << 8 | c) * 64 % 65536;
    if (b < 232 && mk->stats.limit) {          /* around what the limit leaves room for */
        size_t room = mk->stats.limit - mk->stats.live_bytes;
        return room + c % 3 - (room ? 1 : 0);
    }
    if (b < 244)
        return (size_t)-1 - c;
    return KEYHEAP_MAX_REQUEST + 1 + c;
}

static int fits(const struct model_key *mk, size_t released, size_t wanted)
{
    if (wanted > KEYHEAP_MAX_REQUEST)
        return 0;
    return !mk->stats.limit || wanted <= mk->stats.limit - (mk->stats.live_bytes - released);
}

static void note_bytes(struct model_key *mk, size_t released, size_t acquired)
{
    mk->stats.live_bytes = mk->stats.live_bytes - released + acquired;
    if (mk->stats.live_bytes > mk->stats.peak_bytes)
        mk->stats.peak_bytes = mk->stats.live_bytes;
}

/* Not instrumented for coverage: comparing every byte of a block tells the fuzzer nothing
 * about the core, and traced it would cost most of the run time. */
__attribute__((no_sanitize("coverage")))
static void check_bytes(const unsigned char *p, unsigned char stamp, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        REQUIRE(p[i] == stamp);
}

static int is_live_block(const struct model_key *mk, const void *p)
{
    for (size_t i = 0; i < mk->count; i++)
        if (mk->blocks[i].p == p)
            return 1;
    return 0;
}

/* The key with its gate held, as an allocating call holds it. */
static struct expert_key *acquire(const struct model_key *mk)
{
    struct expert_key *k = registry_enter(mk->key);
    REQUIRE(k != NULL);
    return k;
}

/* Figures, sizes and contents: all as the model says. */
static void check_key(const struct model_key *mk)
{
    struct expert_key *k = acquire(mk);
    struct keyheap_stats s;
    keyheap_query(&k->heap, &s);
    REQUIRE(memcmp(&s, &mk->stats, sizeof s) == 0);
    REQUIRE(registry_is_terminated(k) == mk->terminated);
    for (size_t i = 0; i < mk->count; i++) {
        size_t size = 0;
        REQUIRE(keyheap_size(&k->heap, mk->blocks[i].p, &size) == KEYHEAP_OK);
        REQUIRE(size == mk->blocks[i].size);
        check_bytes(mk->blocks[i].p, mk->blocks[i].stamp, 0, size);
    }
    registry_leave(k);
}

static void create_key(struct model_key *mk, struct input *in)
{
    uint8_t b = next_byte(in);
    size_t limit = (b & 0x7f) < 64 ? 0 : (size_t)((b & 0x7f) - 63) * 1024;
    memset(mk, 0, sizeof *mk);
    mk->checks = b >> 7;
    REQUIRE(registry_create(limit, mk->checks, NULL, &mk->key) == REGISTRY_OK);
    mk->stats.limit = limit;
}

static void destroy_key(struct model_key *mk)
{
    check_key(mk);
    for (size_t i = 0; i < mk->count; i++)
        mk->stats.overruns_detected += (unsigned)mk->blocks[i].overrun;
    struct keyheap_stats r;
    void *session = (void *)1;
    REQUIRE(registry_destroy(mk->key, &r, &session) == REGISTRY_OK);
    REQUIRE(session == NULL);
    REQUIRE(memcmp(&r, &mk->stats, sizeof r) == 0);
    REQUIRE(registry_acquire(mk->key) == NULL);
    dead[dead_count++ % DEAD_KEYS] = mk->key;
    mk->key = 0;
}

static void alloc_block(struct model_key *mk, struct input *in, int through_realloc)
{
    if (mk->count == BLOCKS)
        return;
    size_t size = next_size(in, mk);
    struct expert_key *k = acquire(mk);
    void *p = (void *)1;
    enum keyheap_status st = through_realloc ? direct_realloc(&k->heap, NULL, size, &p)
                                             : direct_alloc(&k->heap, size, &p);
    registry_leave(k);
    if (!fits(mk, 0, size)) {
        REQUIRE(st == KEYHEAP_NO_MEMORY && p == (void *)1);
        mk->stats.failed_allocations++;
        return;
    }
    REQUIRE(st == KEYHEAP_OK && p != NULL && !is_live_block(mk, p));
    check_bytes(p, 0, 0, size);
    struct model_block *b = &mk->blocks[mk->count++];
    b->p = p;
    b->size = size;
    b->stamp = (unsigned char)(size * 7 + mk->count);
    b->overrun = 0;
    memset(p, b->stamp, size);
    mk->stats.live_blocks++;
    mk->stats.total_allocations++;
    note_bytes(mk, 0, size);
}

static void realloc_block(struct model_key *mk, struct model_block *b, struct input *in)
{
    size_t size = next_size(in, mk);
    struct expert_key *k = acquire(mk);
    void *p = (void *)1;
    enum keyheap_status st = direct_realloc(&k->heap, b->p, size, &p);
    registry_leave(k);
    if (!fits(mk, b->size, size)) {   /* refused: the block, and its guard, as they were */
        REQUIRE(st == KEYHEAP_NO_MEMORY && p == (void *)1);
        mk->stats.failed_allocations++;
        check_bytes(b->p, b->stamp, 0, b->size);
        return;
    }
    mk->stats.overruns_detected += (unsigned)b->overrun;   /* found, and the guard re-armed */
    b->overrun = 0;
    REQUIRE(st == KEYHEAP_OK && p != NULL);
    size_t kept = size < b->size ? size : b->size;
    check_bytes(p, b->stamp, 0, kept);
    check_bytes(p, 0, kept, size);
    if (p != b->p)
        mk->last_freed = b->p;
    note_bytes(mk, b->size, size);
    b->p = p;
    b->size = size;
    b->stamp++;
    memset(p, b->stamp, size);
}

static void free_block(struct model_key *mk, size_t i)
{
    struct model_block *b = &mk->blocks[i];
    check_bytes(b->p, b->stamp, 0, b->size);
    struct expert_key *k = acquire(mk);
    REQUIRE(direct_free(&k->heap, b->p) == KEYHEAP_OK);
    registry_leave(k);
    mk->last_freed = b->p;
    mk->stats.overruns_detected += (unsigned)b->overrun;
    mk->stats.live_blocks--;
    note_bytes(mk, b->size, 0);
    *b = mk->blocks[--mk->count];
}

/* A pointer that is not a live block of this key: refused by free, size and realloc, and
 * nothing changes. */
static void throw_wild_pointer(struct model_key *mk, struct input *in)
{
    uint8_t b = next_byte(in);
    const struct model_key *other = &keys[(size_t)(mk - keys + 1 + b % (KEYS - 1)) % KEYS];
    unsigned char *live = mk->count ? mk->blocks[b % mk->count].p : NULL;
    void *p;
    switch ((b >> 4) % 5) {
    case 0:  p = other->key && other->count ? other->blocks[0].p : NULL; break;
    case 1:  p = mk->last_freed; break;
    case 2:  p = live ? live + 8 : NULL; break;
    case 3:  p = live ? live + 1 : NULL; break;
    default: p = (void *)&b; break;
    }
    if (!p || is_live_block(mk, p))
        return;
    struct expert_key *k = acquire(mk);
    size_t size = 12345;
    void *out = (void *)1;
    REQUIRE(direct_free(&k->heap, p) == KEYHEAP_NOT_OWNED);
    REQUIRE(keyheap_size(&k->heap, p, &size) == KEYHEAP_NOT_OWNED && size == 12345);
    REQUIRE(direct_realloc(&k->heap, p, 16, &out) == KEYHEAP_NOT_OWNED && out == (void *)1);
    registry_leave(k);
    check_key(mk);
}

/* Keys that are not live: every dead one, and forgeries of a live one. */
static void throw_dead_keys(struct input *in)
{
    for (size_t i = 0; i < dead_count && i < DEAD_KEYS; i++) {
        REQUIRE(registry_acquire(dead[i]) == NULL);
        REQUIRE(registry_enter(dead[i]) == NULL);
        REQUIRE(registry_terminate(dead[i]) == REGISTRY_INVALID_KEY);
    }
    uint8_t b = next_byte(in);
    uintptr_t forged = ((uintptr_t)b << 24 | (uintptr_t)next_byte(in) << 8) ^ (uintptr_t)b;
    int live = 0;
    for (size_t i = 0; i < KEYS; i++)
        live |= keys[i].key && forged == keys[i].key;
    struct expert_key *k = registry_acquire(forged);
    REQUIRE((k != NULL) == live);
    if (k)
        registry_release(k);
    k = registry_enter(forged);
    REQUIRE((k != NULL) == live);
    if (k)
        registry_leave(k);
}

/* A live block of mk that starts at p, or NULL. */
static const struct model_block *live_block_at(const struct model_key *mk, uintptr_t p)
{
    for (size_t i = 0; i < mk->count; i++)
        if ((uintptr_t)mk->blocks[i].p == p)
            return &mk->blocks[i];
    return NULL;
}

/* Writes garbage into every byte of the slabs of mk's live blocks that no live block holds:
 * what a write after free, or past the end of a block into its slot's slack, leaves. Only
 * for keys without checks, whose slack holds no guard. */
static void scribble_around(struct model_key *mk, uint8_t garbage)
{
    if (mk->checks)
        return;
    struct expert_key *k = acquire(mk);   /* to read the slabs' records, as a test may */
    struct slab *seen[BLOCKS];
    size_t slabs = 0;
    for (size_t i = 0; i < mk->count; i++) {
        struct slab *sl = slabs_holding(&k->heap.small, (uintptr_t)mk->blocks[i].p);
        int known = !sl;
        for (size_t j = 0; j < slabs && !known; j++)
            known = seen[j] == sl;
        if (!known)
            seen[slabs++] = sl;
    }
    for (size_t j = 0; j < slabs; j++) {
        struct slab *sl = seen[j];
        for (uintptr_t at = sl->base; at < sl->base + sl->span; at += sl->slot_size) {
            const struct model_block *b = live_block_at(mk, at);
            size_t from = b ? b->size : 0;
            memset((unsigned char *)at + from, garbage, sl->slot_size - from);
        }
    }
    registry_leave(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = { data, size, 0 };
    while (in.at < in.size) {
        uint8_t op = next_byte(&in), which = next_byte(&in);
        struct model_key *mk = &keys[which % KEYS];
        if (!mk->key) {
            create_key(mk, &in);
            continue;
        }
        struct model_block *b = mk->count ? &mk->blocks[(which >> 2) % mk->count] : NULL;
        switch (op % 14) {
        case 0:  destroy_key(mk); break;
        case 1:
        case 2:  alloc_block(mk, &in, 0); break;
        case 3:  alloc_block(mk, &in, 1); break;
        case 4:
        case 5:  if (b) realloc_block(mk, b, &in); break;
        case 6:  if (b) free_block(mk, (size_t)(b - mk->blocks)); break;
        case 7:  throw_wild_pointer(mk, &in); break;
        case 8:  throw_dead_keys(&in); break;
        case 9:
            REQUIRE(registry_terminate(mk->key) == REGISTRY_OK);
            mk->terminated = 1;
            break;
        case 10:
            if (b) {
                check_bytes(b->p, b->stamp, 0, b->size);
                memset(b->p, ++b->stamp, b->size);
            }
            break;
        case 11: check_key(mk); break;
        case 12: scribble_around(mk, (uint8_t)(which | 1)); break;
        default:                                   /* an overrun into the guard, on purpose */
            if (b && mk->checks) {
                b->p[b->size + which % GUARD_BYTES] = (unsigned char)~GUARD_FILL;
                b->overrun = 1;
            }
            break;
        }
    }
    for (size_t i = 0; i < KEYS; i++)
        if (keys[i].key)
            destroy_key(&keys[i]);
    return 0;
}
