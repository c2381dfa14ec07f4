/* ExpertFreeMemory and ExpertMemorySize: only live blocks of this key are accepted; anything
 * else is reported and changes nothing. Pointers are probed, never dereferenced. */
#include "nmapi_test.h"

/* Pointers that are not live blocks of `key`; `other` is a live block of another key. */
static size_t foreign_pointers(HEXPERTKEY key, void *other, void **out)
{
    static char static_byte;
    size_t n = 0;
    char *live = ExpertAllocMemory(key, 64, NULL);
    char *freed = ExpertAllocMemory(key, 64, NULL);
    ExpertFreeMemory(key, freed);
    out[n++] = other;                       /* another key's block */
    out[n++] = freed;                       /* already freed */
    out[n++] = live + 16;                   /* interior, aligned */
    out[n++] = live + 1;                    /* misaligned */
    out[n++] = live - MEMORY_ALLOCATION_ALIGNMENT;   /* just before a block */
    out[n++] = &n;                          /* the stack */
    out[n++] = &static_byte;                /* the image */
    out[n++] = (void *)(uintptr_t)0x10;     /* unmapped */
    out[n++] = (void *)(uintptr_t)0xdead0000u;
    out[n++] = (void *)~(uintptr_t)0;
    out[n++] = (void *)GetProcessHeap();    /* a heap handle */
    return n;
}
#define MAX_FOREIGN 16

static void test_free_returns_block_and_accounting(void **state)
{
    HEXPERTKEY key = *state;
    void *p = ExpertAllocMemory(key, 100, NULL);
    assert_live(key, 1, 100);
    assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
    assert_live(key, 0, 0);
}

static void test_free_null_is_a_successful_no_op(void **state)
{
    EXPERTHOSTMEMORYSTATS before = query(*state);
    assert_int_equal(ExpertFreeMemory(*state, NULL), NMERR_SUCCESS);
    EXPERTHOSTMEMORYSTATS after = query(*state);
    assert_stats_equal(&before, &after);
}

static void test_free_twice_fails_invalid_parameter(void **state)
{
    void *p = ExpertAllocMemory(*state, 8, NULL);
    assert_int_equal(ExpertFreeMemory(*state, p), NMERR_SUCCESS);
    assert_int_equal(ExpertFreeMemory(*state, p), NMERR_INVALID_PARAMETER);
    assert_live(*state, 0, 0);
}

static void test_free_and_size_refuse_foreign_pointers_and_change_nothing(void **state)
{
    HEXPERTKEY key = *state, other_key;
    assert_int_equal(ExpertHostCreateKey(NULL, &other_key), NMERR_SUCCESS);
    char *other = ExpertAllocMemory(other_key, 64, NULL);
    fill(other, 0x77, 64);
    void *foreign[MAX_FOREIGN];
    size_t n = foreign_pointers(key, other, foreign);

    PFN_ExpertFreeMemory free_fn = ExpertFreeMemory;      /* misuse on purpose */
    PFN_ExpertMemorySize size_fn = ExpertMemorySize;
    EXPERTHOSTMEMORYSTATS before = query(key), other_before = query(other_key);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(free_fn(key, foreign[i]), NMERR_INVALID_PARAMETER);
        assert_int_equal(size_fn(key, foreign[i]), SIZE_FAILED);
    }
    EXPERTHOSTMEMORYSTATS after = query(key), other_after = query(other_key);
    assert_stats_equal(&before, &after);
    assert_stats_equal(&other_before, &other_after);
    assert_filled(other, 0x77, 64);
    assert_int_equal(ExpertMemorySize(other_key, other), 64);
    assert_int_equal(ExpertHostDestroyKey(other_key, NULL), NMERR_SUCCESS);
}

static void test_free_after_terminate_still_works(void **state)
{
    void *p = ExpertAllocMemory(*state, 24, NULL);
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    assert_int_equal(ExpertMemorySize(*state, p), 24);
    assert_int_equal(ExpertFreeMemory(*state, p), NMERR_SUCCESS);
    assert_live(*state, 0, 0);
}

static void test_free_and_size_with_dead_or_forged_key_fail(void **state)
{
    void *p = ExpertAllocMemory(*state, 24, NULL);
    HEXPERTKEY forged[MAX_FORGED_KEYS];
    size_t n = forged_keys(*state, forged);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ExpertFreeMemory(forged[i], p), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertFreeMemory(forged[i], NULL), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertMemorySize(forged[i], p), SIZE_FAILED);
    }
    assert_live(*state, 1, 24);
}

static void test_size_reports_requested_size(void **state)
{
    const SIZE_T sizes[] = { 0, 1, 7, 8, 9, 100, 4095, 4097, 100000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = ExpertAllocMemory(*state, sizes[i], NULL);
        assert_int_equal(ExpertMemorySize(*state, p), sizes[i]);
    }
    assert_int_equal(ExpertMemorySize(*state, NULL), SIZE_FAILED);
}

static void test_free_many_blocks_in_any_order_keeps_table_exact(void **state)
{
    /* Enough blocks to grow the ownership table several times, freed in a scrambled order. */
    enum { N = 5000 };
    static void *blocks[N];
    SIZE_T bytes = 0;
    for (SIZE_T i = 0; i < N; i++) {
        blocks[i] = ExpertAllocMemory(*state, i % 97, NULL);
        assert_non_null(blocks[i]);
        bytes += i % 97;
    }
    assert_live(*state, N, bytes);
    for (SIZE_T step = 0; step < N; step++) {
        SIZE_T i = (step * 7919) % N;
        assert_int_equal(ExpertMemorySize(*state, blocks[i]), i % 97);
        assert_int_equal(ExpertFreeMemory(*state, blocks[i]), NMERR_SUCCESS);
        assert_int_equal(ExpertFreeMemory(*state, blocks[i]), NMERR_INVALID_PARAMETER);
        bytes -= i % 97;
    }
    assert_live(*state, 0, 0);
    assert_int_equal(bytes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_free_returns_block_and_accounting, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_free_null_is_a_successful_no_op, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_free_twice_fails_invalid_parameter, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_free_and_size_refuse_foreign_pointers_and_change_nothing, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_free_after_terminate_still_works, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_free_and_size_with_dead_or_forged_key_fail, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_size_reports_requested_size, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_free_many_blocks_in_any_order_keeps_table_exact, key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
