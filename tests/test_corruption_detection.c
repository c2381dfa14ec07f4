/*
 * Corruption detection (EXPERTHOST_FLAG_CHECK_CORRUPTION): overruns into the guard bytes are
 * found when the block is freed or reallocated or the key destroyed; writes to a freed block
 * are found at the next free or reallocation on the key, or at destroy; each is counted once.
 * Nothing is found when nothing was damaged, with the flag on or off, and the calls behave
 * exactly as without it. Memory is only ever damaged on keys that check for it, and only
 * within the guard bytes or a held freed block.
 */
#include "nmapi_test.h"

#define GUARD 16   /* the documented guard size */

static HEXPERTKEY checking_key(SIZE_T limit)
{
    EXPERTHOSTKEYINFO info = key_info();
    info.Flags = EXPERTHOST_FLAG_CHECK_CORRUPTION;
    info.MemoryLimit = limit;
    return create_key_from(&info);
}

static int checking_setup(void **state)
{
    *state = checking_key(0);
    return 0;
}

static void assert_detected(HEXPERTKEY key, ULONGLONG overruns, ULONGLONG writes_after_free)
{
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.OverrunsDetected, overruns);
    assert_int_equal(s.WritesAfterFreeDetected, writes_after_free);
}

static void test_overrun_of_each_guard_byte_is_detected_at_free(void **state)
{
    HEXPERTKEY key = *state;
    const SIZE_T sizes[] = { 0, 1, 7, 8, 15, 16, 100, 4096, 70000 };
    ULONGLONG expected = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (SIZE_T past = 0; past < GUARD; past += 5) {
            unsigned char *p = ExpertAllocMemory(key, sizes[i], NULL);
            assert_non_null(p);
            fill(p, 0x33, sizes[i]);
            p[sizes[i] + past] ^= 0x01;              /* one byte past the end, on purpose */
            assert_detected(key, expected, 0);       /* not yet: found at free */
            assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
            assert_detected(key, ++expected, 0);
        }
    }
    assert_live(key, 0, 0);
}

static void test_overrun_is_detected_at_realloc_and_counted_once(void **state)
{
    HEXPERTKEY key = *state;
    unsigned char *p = ExpertAllocMemory(key, 40, NULL);
    fill(p, 0x44, 40);
    p[40] = 0;
    unsigned char *q = ExpertReallocMemory(key, p, 4000, NULL);   /* grows: may move */
    assert_non_null(q);
    assert_detected(key, 1, 0);
    assert_filled(q, 0x44, 40);
    assert_filled(q + 40, 0, 4000 - 40);                          /* the guard is not kept */
    q = ExpertReallocMemory(key, q, 10, NULL);
    assert_int_equal(ExpertFreeMemory(key, q), NMERR_SUCCESS);
    assert_detected(key, 1, 0);                                    /* once, not again */
}

static void test_overruns_of_live_blocks_are_detected_at_destroy(void **state)
{
    (void)state;
    HEXPERTKEY key = checking_key(0);
    for (int i = 0; i < 10; i++) {
        unsigned char *p = ExpertAllocMemory(key, (SIZE_T)i * 10, NULL);
        if (i % 3 == 0)
            p[i * 10 + GUARD - 1] = 0x5A;
    }
    assert_detected(key, 0, 0);
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    assert_int_equal(ExpertHostDestroyKey(key, &r), NMERR_SUCCESS);
    assert_int_equal(r.OverrunsDetected, 4);
    assert_int_equal(r.WritesAfterFreeDetected, 0);
    assert_int_equal(r.LiveBlocks, 10);
}

static void test_write_after_free_is_detected_at_the_next_free(void **state)
{
    HEXPERTKEY key = *state;
    unsigned char *a = ExpertAllocMemory(key, 64, NULL);
    unsigned char *b = ExpertAllocMemory(key, 64, NULL);
    assert_int_equal(ExpertFreeMemory(key, a), NMERR_SUCCESS);
    a[10] = 0x11;                                                  /* after free, on purpose */
    assert_detected(key, 0, 0);
    assert_int_equal(ExpertFreeMemory(key, b), NMERR_SUCCESS);
    assert_detected(key, 0, 1);
    assert_int_equal(ExpertFreeMemory(key, NULL), NMERR_SUCCESS);
    void *c = ExpertAllocMemory(key, 8, NULL);
    assert_int_equal(ExpertFreeMemory(key, c), NMERR_SUCCESS);
    assert_detected(key, 0, 1);                                    /* once, not again */
}

static void test_write_after_free_is_detected_at_the_next_realloc(void **state)
{
    HEXPERTKEY key = *state;
    unsigned char *a = ExpertAllocMemory(key, 300, NULL);
    unsigned char *b = ExpertAllocMemory(key, 30, NULL);
    assert_int_equal(ExpertFreeMemory(key, a), NMERR_SUCCESS);
    a[299 + GUARD] = 0;                                            /* its guard, after free */
    b = ExpertReallocMemory(key, b, 20, NULL);
    assert_non_null(b);
    assert_detected(key, 0, 1);
}

static void test_write_after_free_is_detected_at_destroy(void **state)
{
    (void)state;
    HEXPERTKEY key = checking_key(0);
    for (int i = 0; i < 5; i++) {
        unsigned char *p = ExpertAllocMemory(key, 128, NULL);
        assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
        if (i % 2 == 0)
            p[0] = 0;
    }
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    assert_int_equal(ExpertHostDestroyKey(key, &r), NMERR_SUCCESS);
    assert_int_equal(r.WritesAfterFreeDetected, 3);
    assert_int_equal(r.OverrunsDetected, 0);
}

static void test_a_freed_block_is_not_handed_out_again_while_watched(void **state)
{
    HEXPERTKEY key = *state;
    void *freed[16];
    for (int i = 0; i < 16; i++) {
        freed[i] = ExpertAllocMemory(key, 48, NULL);
        assert_int_equal(ExpertFreeMemory(key, freed[i]), NMERR_SUCCESS);
        assert_int_equal(ExpertFreeMemory(key, freed[i]), NMERR_INVALID_PARAMETER);   /* held, not live */
    }
    for (int i = 0; i < 16; i++) {
        void *p = ExpertAllocMemory(key, 48, NULL);
        for (int j = i; j < 16; j++)   /* the ones still held (16 most recent frees) */
            assert_ptr_not_equal(p, freed[j]);
        assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
    }
    assert_detected(key, 0, 0);
}

/* Churn with everything a careful expert does: nothing is detected, every byte and figure is
 * as without the flag, zero-fill holds (also where a guard used to be). */
static void churn_and_expect_nothing(HEXPERTKEY key)
{
    enum { SLOTS = 64 };
    unsigned char *blocks[SLOTS] = { 0 };
    SIZE_T sizes[SLOTS] = { 0 }, live = 0, bytes = 0;
    unsigned seed = 2024;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned s = (seed >> 16) % SLOTS;
        SIZE_T size = (seed >> 4) % (i % 50 == 0 ? 80000 : 600);
        if (blocks[s]) {
            assert_filled(blocks[s], (unsigned char)s, sizes[s]);
            if (seed & 0x8) {
                unsigned char *q = ExpertReallocMemory(key, blocks[s], size, NULL);
                assert_non_null(q);
                SIZE_T kept = size < sizes[s] ? size : sizes[s];
                assert_filled(q, (unsigned char)s, kept);
                assert_filled(q + kept, 0, size - kept);
                bytes = bytes - sizes[s] + size;
                blocks[s] = q;
                sizes[s] = size;
                fill(q, (unsigned char)s, size);
                continue;
            }
            assert_int_equal(ExpertFreeMemory(key, blocks[s]), NMERR_SUCCESS);
            live--;
            bytes -= sizes[s];
        }
        blocks[s] = ExpertAllocMemory(key, size, NULL);
        assert_non_null(blocks[s]);
        assert_filled(blocks[s], 0, size);
        fill(blocks[s], (unsigned char)s, size);
        sizes[s] = size;
        live++;
        bytes += size;
    }
    assert_live(key, live, bytes);
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    assert_int_equal(ExpertHostDestroyKey(key, &r), NMERR_SUCCESS);
    assert_int_equal(r.OverrunsDetected, 0);
    assert_int_equal(r.WritesAfterFreeDetected, 0);
    assert_int_equal(r.LiveBytes, bytes);
}

static void test_nothing_is_detected_when_nothing_is_damaged(void **state)
{
    (void)state;
    churn_and_expect_nothing(checking_key(0));
    churn_and_expect_nothing(create_key_with_limit(0));   /* the flag off */
}

static void test_regrown_block_is_zero_where_its_guard_was(void **state)
{
    HEXPERTKEY key = *state;
    unsigned char *p = ExpertAllocMemory(key, 64, NULL);
    fill(p, 0x77, 64);
    p = ExpertReallocMemory(key, p, 32, NULL);      /* the guard moves to 32..47 */
    p = ExpertReallocMemory(key, p, 64, NULL);
    assert_filled(p, 0x77, 32);
    assert_filled(p + 32, 0, 32);
    assert_detected(key, 0, 0);
}

static void test_limit_and_figures_count_requested_bytes_only(void **state)
{
    (void)state;
    HEXPERTKEY key = checking_key(1000);
    void *a = ExpertAllocMemory(key, 600, NULL);
    void *b = ExpertAllocMemory(key, 400, NULL);
    assert_non_null(a);
    assert_non_null(b);
    DWORD error = POISON_ERROR;
    assert_null(ExpertAllocMemory(key, 1, &error));
    assert_int_equal(error, NMERR_OUT_OF_MEMORY);
    assert_int_equal(ExpertMemorySize(key, a), 600);
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBytes, 1000);
    assert_int_equal(s.PeakBytes, 1000);
    assert_int_equal(s.FailedAllocations, 1);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_unknown_flags_are_still_rejected(void **state)
{
    (void)state;
    EXPERTHOSTKEYINFO info = key_info();
    HEXPERTKEY key;
    info.Flags = EXPERTHOST_FLAG_CHECK_CORRUPTION | 2;
    assert_int_equal(ExpertHostCreateKey(&info, &key), NMERR_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overrun_of_each_guard_byte_is_detected_at_free, checking_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_overrun_is_detected_at_realloc_and_counted_once, checking_setup, key_teardown),
        cmocka_unit_test(test_overruns_of_live_blocks_are_detected_at_destroy),
        cmocka_unit_test_setup_teardown(test_write_after_free_is_detected_at_the_next_free, checking_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_write_after_free_is_detected_at_the_next_realloc, checking_setup, key_teardown),
        cmocka_unit_test(test_write_after_free_is_detected_at_destroy),
        cmocka_unit_test_setup_teardown(test_a_freed_block_is_not_handed_out_again_while_watched, checking_setup, key_teardown),
        cmocka_unit_test(test_nothing_is_detected_when_nothing_is_damaged),
        cmocka_unit_test_setup_teardown(test_regrown_block_is_zero_where_its_guard_was, checking_setup, key_teardown),
        cmocka_unit_test(test_limit_and_figures_count_requested_bytes_only),
        cmocka_unit_test(test_unknown_flags_are_still_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
