/* One key's allocator on its own: exact figures, the limit to the byte, zero-fill (also of the
 * part a reallocation adds after an in-place shrink), ownership, and every failure of the
 * heap below it (through the fault seam) leaving blocks, contents and figures as they were. */
#include "core_test.h"

#include "keyheap_direct.h"
#include "size_class.h"

static int heap_setup(void **state)
{
    static struct keyheap kh;
    if (keyheap_init(&kh, 0, 0) != KEYHEAP_OK)
        return -1;
    *state = &kh;
    return 0;
}

static int heap_teardown(void **state)
{
    keyheap_destroy(*state, NULL);
    fault_off();
    return fault_live_heaps() == 0 ? 0 : -1;
}

static struct keyheap_stats stats_of(struct keyheap *kh)
{
    struct keyheap_stats s;
    keyheap_query(kh, &s);
    return s;
}

static void assert_same_stats(const struct keyheap_stats *a, const struct keyheap_stats *b)
{
    assert_memory_equal(a, b, sizeof *a);
}

static void test_figures_are_exact(void **state)
{
    struct keyheap *kh = *state;
    void *a, *b, *c;
    assert_int_equal(direct_alloc(kh, 100, &a), KEYHEAP_OK);
    assert_int_equal(direct_alloc(kh, 0, &b), KEYHEAP_OK);
    assert_ptr_not_equal(a, b);
    assert_int_equal(direct_realloc(kh, a, 300, &a), KEYHEAP_OK);
    assert_int_equal(direct_realloc(kh, NULL, 7, &c), KEYHEAP_OK);
    assert_int_equal(direct_free(kh, b), KEYHEAP_OK);
    struct keyheap_stats s = stats_of(kh);
    assert_int_equal(s.live_blocks, 2);
    assert_int_equal(s.live_bytes, 307);
    assert_int_equal(s.peak_bytes, 307);
    assert_int_equal(s.total_allocations, 3);
    assert_int_equal(s.failed_allocations, 0);
    size_t size;
    assert_int_equal(keyheap_size(kh, a, &size), KEYHEAP_OK);
    assert_int_equal(size, 300);
    assert_int_equal(direct_free(kh, NULL), KEYHEAP_OK);
}

static void test_limit_is_exact_to_the_byte(void **state)
{
    (void)state;
    struct keyheap kh;
    assert_int_equal(keyheap_init(&kh, 1000, 0), KEYHEAP_OK);
    void *a, *b, *none = (void *)0x1;
    assert_int_equal(direct_alloc(&kh, 600, &a), KEYHEAP_OK);
    assert_int_equal(direct_alloc(&kh, 401, &none), KEYHEAP_NO_MEMORY);
    assert_ptr_equal(none, (void *)0x1);
    assert_int_equal(direct_alloc(&kh, 400, &b), KEYHEAP_OK);
    assert_int_equal(direct_realloc(&kh, a, 601, &none), KEYHEAP_NO_MEMORY);
    assert_int_equal(direct_realloc(&kh, a, 100, &a), KEYHEAP_OK);
    assert_int_equal(direct_realloc(&kh, b, 900, &b), KEYHEAP_OK);
    struct keyheap_stats s = stats_of(&kh);
    assert_int_equal(s.live_bytes, 1000);
    assert_int_equal(s.failed_allocations, 2);
    keyheap_destroy(&kh, &s);
    assert_int_equal(s.live_blocks, 2);
    assert_int_equal(s.live_bytes, 1000);
    assert_int_equal(s.limit, 1000);
}

static void test_grown_bytes_are_zero_even_after_an_in_place_shrink(void **state)
{
    struct keyheap *kh = *state;
    unsigned char *p;
    assert_int_equal(direct_alloc(kh, 4096, (void **)&p), KEYHEAP_OK);
    assert_bytes(p, 0, 4096);
    memset(p, 0xEE, 4096);
    assert_int_equal(direct_realloc(kh, p, 16, (void **)&p), KEYHEAP_OK);
    assert_int_equal(direct_realloc(kh, p, 4096, (void **)&p), KEYHEAP_OK);
    assert_bytes(p, 0xEE, 16);
    assert_bytes(p + 16, 0, 4096 - 16);
}

static void test_only_live_blocks_of_this_heap_are_owned(void **state)
{
    struct keyheap *kh = *state, other;
    assert_int_equal(keyheap_init(&other, 0, 0), KEYHEAP_OK);
    char *mine, *theirs, *freed;
    assert_int_equal(direct_alloc(kh, 64, (void **)&mine), KEYHEAP_OK);
    assert_int_equal(direct_alloc(&other, 64, (void **)&theirs), KEYHEAP_OK);
    assert_int_equal(direct_alloc(kh, 64, (void **)&freed), KEYHEAP_OK);
    assert_int_equal(direct_free(kh, freed), KEYHEAP_OK);
    memset(theirs, 0x77, 64);
    struct keyheap_stats before = stats_of(kh);
    void *bad[] = { theirs, freed, mine + 8, mine + 1, &before, (void *)(uintptr_t)0x10 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t size;
        void *out = NULL;
        assert_int_equal(direct_free(kh, bad[i]), KEYHEAP_NOT_OWNED);
        assert_int_equal(keyheap_size(kh, bad[i], &size), KEYHEAP_NOT_OWNED);
        assert_int_equal(direct_realloc(kh, bad[i], 8, &out), KEYHEAP_NOT_OWNED);
        assert_null(out);
    }
    struct keyheap_stats after = stats_of(kh);
    assert_same_stats(&before, &after);
    assert_bytes(theirs, 0x77, 64);
    keyheap_destroy(&other, NULL);
}

static void test_absurd_sizes_never_reach_the_heap(void **state)
{
    struct keyheap *kh = *state;
    void *p, *out;
    assert_int_equal(direct_alloc(kh, 8, &p), KEYHEAP_OK);
    fault_fail_nth(FAULT_ANY, 1000);
    const size_t sizes[] = { (size_t)-1, (size_t)-1 - 15, KEYHEAP_MAX_REQUEST + 1, (size_t)-1 / 2 + 1 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_int_equal(direct_alloc(kh, sizes[i], &out), KEYHEAP_NO_MEMORY);
        assert_int_equal(direct_realloc(kh, p, sizes[i], &out), KEYHEAP_NO_MEMORY);
    }
    assert_int_equal(fault_ops_seen(), 0);
    assert_int_equal(stats_of(kh).failed_allocations, 8);
}

/* Each operation of the heap below failing in turn leaves everything as it was. Large blocks
 * (beyond the slab classes) are the ones that reach the heap and the large-block table. */
#define LARGE(i) (SIZE_CLASS_MAX + 1 + (size_t)(i) * 10)
static void test_heap_failures_change_nothing_but_the_failure_count(void **state)
{
    struct keyheap *kh = *state;
    /* 48 large blocks fill their table to 3/4 of 64 slots: one more needs a bigger table (a
     * record). */
    unsigned char *blocks[48];
    for (int i = 0; i < 48; i++) {
        assert_int_equal(direct_alloc(kh, LARGE(i), (void **)&blocks[i]), KEYHEAP_OK);
        memset(blocks[i], i, LARGE(i));
    }
    /* Records first: a failed heap allocation comes after the table has grown. */
    const unsigned ops[] = { FAULT_RECORD_ALLOC, FAULT_HEAP_ALLOC, FAULT_HEAP_REALLOC };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        for (int round = 0; round < 30; round++) {
            struct keyheap_stats before = stats_of(kh);
            void *out = (void *)0x1;
            /* A large block that cannot grow where it lies (the next block follows it)
             * moves: its resize is refused by the arena, and the move's new span fails. */
            if (ops[k] == FAULT_HEAP_REALLOC)
                fault_fail_nth(FAULT_HEAP_REALLOC | FAULT_HEAP_ALLOC, 2);
            else
                fault_fail_nth(ops[k], 1);
            enum keyheap_status st = ops[k] == FAULT_HEAP_REALLOC
                ? direct_realloc(kh, blocks[round], 3 * SIZE_CLASS_MAX, &out)
                : direct_alloc(kh, LARGE(100), &out);
            assert_true(fault_fired());
            fault_off();
            assert_int_equal(st, KEYHEAP_NO_MEMORY);
            assert_ptr_equal(out, (void *)0x1);
            before.failed_allocations++;
            struct keyheap_stats after = stats_of(kh);
            assert_same_stats(&before, &after);
        }
    }
    for (int i = 0; i < 48; i++) {
        size_t size;
        assert_int_equal(keyheap_size(kh, blocks[i], &size), KEYHEAP_OK);
        assert_int_equal(size, LARGE(i));
        assert_bytes(blocks[i], (unsigned char)i, size);
    }
}

/* A session that makes slabs for many classes, records, large blocks, and moves blocks
 * between slabs and the heap; every failure must be NO_MEMORY and change nothing but the
 * failure count. Returns how many calls failed. */
static unsigned failing_session(struct keyheap *kh)
{
    enum { N = 64 };
    static unsigned char *blocks[N];
    static size_t sizes[N];
    unsigned failures = 0;
    size_t made = 0;
    for (size_t i = 0; i < 2 * N; i++) {
        struct keyheap_stats before = stats_of(kh);
        unsigned fired_before = fault_fired();
        void *out = (void *)0x1;
        enum keyheap_status st;
        size_t size, slot = i % N;
        if (i < N) {                       /* new blocks: many classes, every 8th large */
            size = i % 8 == 7 ? 20000 + i * 100 : (i * 37) % 700;
            st = direct_alloc(kh, size, &out);
        } else if (slot < made) {          /* grow into or within the heap, or shrink to a slab */
            size = slot % 3 == 0 ? sizes[slot] * 2 + 17000 : sizes[slot] / 3;
            st = direct_realloc(kh, blocks[slot], size, &out);
        } else {
            continue;
        }
        if (st != KEYHEAP_OK) {
            assert_int_equal(st, KEYHEAP_NO_MEMORY);
            assert_true(fault_fired() && !fired_before);
            assert_ptr_equal(out, (void *)0x1);
            before.failed_allocations++;
            struct keyheap_stats after = stats_of(kh);
            assert_same_stats(&before, &after);
            failures++;
            continue;
        }
        if (i >= N) {
            size_t kept = size < sizes[slot] ? size : sizes[slot];
            assert_bytes(out, (unsigned char)slot, kept);
            assert_bytes((unsigned char *)out + kept, 0, size - kept);
        } else {
            assert_bytes(out, 0, size);
            made = slot + 1;
        }
        blocks[slot] = out;
        sizes[slot] = size;
        memset(out, (int)slot, size);
    }
    for (size_t i = 0; i < made; i++) {
        if (!blocks[i])
            continue;
        size_t size;
        assert_int_equal(keyheap_size(kh, blocks[i], &size), KEYHEAP_OK);
        assert_int_equal(size, sizes[i]);
        assert_bytes(blocks[i], (unsigned char)i, size);
    }
    memset(blocks, 0, sizeof blocks);
    memset(sizes, 0, sizeof sizes);
    return failures;
}

/* Each operation of the heap below and of the records beside it failing in turn, the 1st,
 * 2nd, ... of a session that also makes slabs, lends slots and moves blocks between slabs
 * and the heap, leaves everything as it was; and on a key that checks for corruption, whose
 * blocks all come from the heap with a guard. */
static void test_each_failure_in_a_slab_session_changes_nothing(void **state)
{
    (void)state;
    const unsigned ops[] = { FAULT_RECORD_ALLOC, FAULT_HEAP_ALLOC, FAULT_HEAP_REALLOC };
    for (size_t k = 0; k < 2 * sizeof ops / sizeof ops[0]; k++) {
        int checks = k % 2;                /* also on a key that checks for corruption */
        long n;
        for (n = 1;; n++) {
            struct keyheap kh;
            long records = fault_live_records();
            assert_int_equal(keyheap_init(&kh, 0, checks), KEYHEAP_OK);
            fault_fail_nth(ops[k / 2], n);
            unsigned failures = failing_session(&kh);
            unsigned fired = fault_fired();
            fault_off();
            keyheap_destroy(&kh, NULL);
            assert_int_equal(fault_live_records(), records);
            if (!fired) {
                assert_int_equal(failures, 0);
                break;
            }
            /* A refused resize is no failure: the block moves instead, contents kept. */
            assert_int_equal(failures, fired == FAULT_HEAP_REALLOC ? 0 : 1);
        }
        /* Every kind of operation happened several times; a checking key never resizes. */
        /* Every kind of operation happened several times (a checking key never resizes). */
        assert_true(n > 2 || (checks && ops[k / 2] == FAULT_HEAP_REALLOC));
    }
}

/* The slot of a pointer is found with a reciprocal, never a division: it must agree with the
 * division for every class and every offset a slab can have (slabs span at most 64 KiB). */
static void test_slot_arithmetic_is_exact_for_every_class(void **state)
{
    (void)state;
    for (unsigned c = 0; c < SIZE_CLASS_COUNT; c++) {
        uint32_t size = size_class_bytes(c);
        uint32_t reciprocal = (uint32_t)((((uint64_t)1 << 32) + size - 1) / size);
        assert_int_equal(size % SIZE_CLASS_ALIGN, 0);
        assert_int_equal(size_class_of(size), c);
        assert_int_equal(size_class_of(size - SIZE_CLASS_ALIGN + 1), c);
        for (uint32_t offset = 0; offset < 65536; offset++) {
            uint32_t slot = (uint32_t)(((uint64_t)offset * reciprocal) >> 32);
            if (slot != offset / size)
                fail_msg("class %u (%u bytes): offset %u gives slot %u", c, size, offset, slot);
        }
    }
}

static void test_failed_heap_creation_is_reported(void **state)
{
    (void)state;
    struct keyheap kh;
    fault_fail_nth(FAULT_HEAP_CREATE, 1);
    assert_int_equal(keyheap_init(&kh, 0, 0), KEYHEAP_NO_MEMORY);
    fault_off();
    assert_int_equal(fault_live_heaps(), 0);
}

static void test_failed_creation_with_corruption_checks_leaves_nothing(void **state)
{
    (void)state;
    const unsigned ops[] = { FAULT_RECORD_ALLOC, FAULT_HEAP_CREATE };
    long records = fault_live_records();
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        struct keyheap kh;
        fault_fail_nth(ops[i], 1);
        assert_int_equal(keyheap_init(&kh, 0, 1), KEYHEAP_NO_MEMORY);
        assert_true(fault_fired());
        fault_off();
        assert_int_equal(fault_live_heaps(), 0);
        assert_int_equal(fault_live_records(), records);
    }
}

static void test_destroy_reports_and_frees_everything(void **state)
{
    (void)state;
    struct keyheap kh;
    long records = fault_live_records();
    assert_int_equal(keyheap_init(&kh, 0, 0), KEYHEAP_OK);
    size_t bytes = 0;
    for (size_t i = 0; i < 3000; i++) {
        void *p;
        assert_int_equal(direct_alloc(&kh, i % 300, &p), KEYHEAP_OK);
        bytes += i % 300;
    }
    struct keyheap_stats r;
    keyheap_destroy(&kh, &r);
    assert_int_equal(r.live_blocks, 3000);
    assert_int_equal(r.live_bytes, bytes);
    assert_int_equal(fault_live_heaps(), 0);
    assert_int_equal(fault_live_records(), records);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_figures_are_exact, heap_setup, heap_teardown),
        cmocka_unit_test(test_limit_is_exact_to_the_byte),
        cmocka_unit_test_setup_teardown(test_grown_bytes_are_zero_even_after_an_in_place_shrink, heap_setup, heap_teardown),
        cmocka_unit_test_setup_teardown(test_only_live_blocks_of_this_heap_are_owned, heap_setup, heap_teardown),
        cmocka_unit_test_setup_teardown(test_absurd_sizes_never_reach_the_heap, heap_setup, heap_teardown),
        cmocka_unit_test_setup_teardown(test_heap_failures_change_nothing_but_the_failure_count, heap_setup, heap_teardown),
        cmocka_unit_test(test_each_failure_in_a_slab_session_changes_nothing),
        cmocka_unit_test(test_slot_arithmetic_is_exact_for_every_class),
        cmocka_unit_test(test_failed_heap_creation_is_reported),
        cmocka_unit_test(test_failed_creation_with_corruption_checks_leaves_nothing),
        cmocka_unit_test(test_destroy_reports_and_frees_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
