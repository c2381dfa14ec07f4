/* ExpertReallocMemory: contents kept, added bytes zero, NULL and 0 as decided, and on every
 * failure the original block untouched and live. */
#include "nmapi_test.h"

static void test_realloc_null_acts_as_alloc(void **state)
{
    DWORD error = POISON_ERROR;
    unsigned char *p = ExpertReallocMemory(*state, NULL, 300, &error);
    assert_non_null(p);
    assert_int_equal(error, NMERR_SUCCESS);
    assert_filled(p, 0, 300);
    assert_int_equal(ExpertMemorySize(*state, p), 300);
    EXPERTHOSTMEMORYSTATS s = query(*state);
    assert_int_equal(s.LiveBlocks, 1);
    assert_int_equal(s.TotalAllocations, 1);
}

static void test_realloc_grow_keeps_contents_and_zeroes_the_rest(void **state)
{
    unsigned char *p = ExpertAllocMemory(*state, 100, NULL);
    fill(p, 0xC3, 100);
    for (SIZE_T n = 101; n < 200000; n = n * 3 + 1) {
        DWORD error = POISON_ERROR;
        unsigned char *q = ExpertReallocMemory(*state, p, n, &error);
        assert_non_null(q);
        assert_int_equal(error, NMERR_SUCCESS);
        assert_filled(q, 0xC3, 100);
        assert_filled(q + 100, 0, n - 100);
        assert_int_equal((uintptr_t)q % MEMORY_ALLOCATION_ALIGNMENT, 0);
        assert_int_equal(ExpertMemorySize(*state, q), n);
        assert_live(*state, 1, n);
        if (q != p)   /* a moved block's old address is no longer live */
            assert_int_equal(ExpertMemorySize(*state, p), SIZE_FAILED);
        p = q;
    }
    assert_int_equal(query(*state).TotalAllocations, 1);
}

static void test_realloc_shrink_keeps_prefix(void **state)
{
    unsigned char *p = ExpertAllocMemory(*state, 1000, NULL);
    fill(p, 0x11, 1000);
    unsigned char *q = ExpertReallocMemory(*state, p, 10, NULL);
    assert_non_null(q);
    assert_filled(q, 0x11, 10);
    assert_live(*state, 1, 10);
    assert_int_equal(query(*state).PeakBytes, 1000);
}

static void test_realloc_grow_after_in_place_shrink_zeroes_old_bytes(void **state)
{
    /* A heap shrinking in place leaves the old bytes behind the new end; growing again must
     * not bring them back. */
    for (SIZE_T big = 64; big <= 65536; big *= 4) {
        unsigned char *p = ExpertAllocMemory(*state, big, NULL);
        fill(p, 0xEE, big);
        unsigned char *q = ExpertReallocMemory(*state, p, 8, NULL);
        assert_non_null(q);
        unsigned char *r = ExpertReallocMemory(*state, q, big, NULL);
        assert_non_null(r);
        assert_filled(r, 0xEE, 8);
        assert_filled(r + 8, 0, big - 8);
        assert_int_equal(ExpertFreeMemory(*state, r), NMERR_SUCCESS);
    }
    assert_live(*state, 0, 0);
}

static void test_realloc_to_zero_keeps_a_live_block(void **state)
{
    void *p = ExpertAllocMemory(*state, 50, NULL);
    DWORD error = POISON_ERROR;
    void *q = ExpertReallocMemory(*state, p, 0, &error);
    assert_non_null(q);
    assert_int_equal(error, NMERR_SUCCESS);
    assert_int_equal(ExpertMemorySize(*state, q), 0);
    assert_live(*state, 1, 0);
    assert_int_equal(ExpertFreeMemory(*state, q), NMERR_SUCCESS);
    assert_live(*state, 0, 0);
}

static void test_realloc_of_foreign_pointer_fails_and_changes_nothing(void **state)
{
    HEXPERTKEY key = *state, other_key;
    assert_int_equal(ExpertHostCreateKey(NULL, &other_key), NMERR_SUCCESS);
    char *other = ExpertAllocMemory(other_key, 32, NULL);
    fill(other, 0x42, 32);
    char *mine = ExpertAllocMemory(key, 32, NULL);
    fill(mine, 0x24, 32);
    char *freed = ExpertAllocMemory(key, 32, NULL);
    ExpertFreeMemory(key, freed);
    char on_stack[16];
    void *foreign[] = { other, freed, mine + 8, mine + 1, on_stack, (void *)(uintptr_t)0x10,
                        (void *)(uintptr_t)0xdead0000u, (void *)~(uintptr_t)0 };

    PFN_ExpertReallocMemory realloc_fn = ExpertReallocMemory;   /* misuse on purpose */
    EXPERTHOSTMEMORYSTATS before = query(key), other_before = query(other_key);
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
        DWORD error = POISON_ERROR;
        assert_null(realloc_fn(key, foreign[i], 64, &error));
        assert_int_equal(error, NMERR_INVALID_PARAMETER);
    }
    EXPERTHOSTMEMORYSTATS after = query(key), other_after = query(other_key);
    assert_stats_equal(&before, &after);
    assert_stats_equal(&other_before, &other_after);
    assert_filled(other, 0x42, 32);
    assert_filled(mine, 0x24, 32);
    assert_int_equal(ExpertHostDestroyKey(other_key, NULL), NMERR_SUCCESS);
}

static void test_realloc_past_limit_keeps_original(void **state)
{
    (void)state;
    HEXPERTKEY key = create_key_with_limit(100);
    unsigned char *p = ExpertAllocMemory(key, 50, NULL);
    fill(p, 0x99, 50);
    void *other = ExpertAllocMemory(key, 30, NULL);
    DWORD error = POISON_ERROR;
    assert_null(ExpertReallocMemory(key, p, 71, &error));     /* 30 + 71 = 101 */
    assert_int_equal(error, NMERR_OUT_OF_MEMORY);
    assert_filled(p, 0x99, 50);
    assert_int_equal(ExpertMemorySize(key, p), 50);
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBytes, 80);
    assert_int_equal(s.FailedAllocations, 1);
    unsigned char *q = ExpertReallocMemory(key, p, 70, &error); /* exactly the limit */
    assert_non_null(q);
    assert_filled(q, 0x99, 50);
    assert_live(key, 2, 100);
    (void)other;
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_realloc_absurd_size_keeps_original(void **state)
{
    unsigned char *p = ExpertAllocMemory(*state, 40, NULL);
    fill(p, 0x5E, 40);
    const SIZE_T absurd[] = { (SIZE_T)-1, (SIZE_T)-8, (SIZE_T)-1 / 2 + 1,
                              sizeof(void *) == 8 ? (SIZE_T)1 << 47 : (SIZE_T)0x7FFF0000u };
    for (size_t i = 0; i < sizeof absurd / sizeof absurd[0]; i++) {
        DWORD error = POISON_ERROR;
        assert_null(ExpertReallocMemory(*state, p, absurd[i], &error));
        assert_int_equal(error, NMERR_OUT_OF_MEMORY);
        assert_filled(p, 0x5E, 40);
        assert_int_equal(ExpertMemorySize(*state, p), 40);
    }
    assert_live(*state, 1, 40);
    assert_int_equal(query(*state).FailedAllocations, 4);
}

static void test_realloc_after_terminate_fails_and_keeps_block(void **state)
{
    unsigned char *p = ExpertAllocMemory(*state, 16, NULL);
    fill(p, 0x61, 16);
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    DWORD error = POISON_ERROR;
    assert_null(ExpertReallocMemory(*state, p, 32, &error));
    assert_int_equal(error, NMERR_EXPERT_TERMINATE);
    assert_null(ExpertReallocMemory(*state, NULL, 32, &error));
    assert_int_equal(error, NMERR_EXPERT_TERMINATE);
    assert_filled(p, 0x61, 16);
    assert_live(*state, 1, 16);
}

static void test_realloc_with_dead_or_forged_key_fails_invalid_handle(void **state)
{
    void *p = ExpertAllocMemory(*state, 16, NULL);
    HEXPERTKEY forged[MAX_FORGED_KEYS];
    size_t n = forged_keys(*state, forged);
    for (size_t i = 0; i < n; i++) {
        DWORD error = POISON_ERROR;
        assert_null(ExpertReallocMemory(forged[i], p, 32, &error));
        assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
        assert_null(ExpertReallocMemory(forged[i], NULL, 32, NULL));
    }
    assert_live(*state, 1, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_realloc_null_acts_as_alloc, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_grow_keeps_contents_and_zeroes_the_rest, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_shrink_keeps_prefix, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_grow_after_in_place_shrink_zeroes_old_bytes, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_to_zero_keeps_a_live_block, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_of_foreign_pointer_fails_and_changes_nothing, key_setup, key_teardown),
        cmocka_unit_test(test_realloc_past_limit_keeps_original),
        cmocka_unit_test_setup_teardown(test_realloc_absurd_size_keeps_original, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_after_terminate_fails_and_keeps_block, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_with_dead_or_forged_key_fails_invalid_handle, key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
