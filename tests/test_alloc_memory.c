/* ExpertAllocMemory: zero-filled, aligned, exact accounting, and every documented refusal. */
#include "nmapi_test.h"

static void test_alloc_returns_zero_filled_block(void **state)
{
    HEXPERTKEY key = *state;
    DWORD error = POISON_ERROR;
    unsigned char *p = ExpertAllocMemory(key, 4096, &error);
    assert_non_null(p);
    assert_int_equal(error, NMERR_SUCCESS);
    assert_filled(p, 0, 4096);
    /* Dirty memory handed back and asked for again comes zeroed too. */
    fill(p, 0xA5, 4096);
    assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
    for (int i = 0; i < 64; i++) {
        unsigned char *q = ExpertAllocMemory(key, 4096, NULL);
        assert_non_null(q);
        assert_filled(q, 0, 4096);
        fill(q, 0x5A, 4096);
        assert_int_equal(ExpertFreeMemory(key, q), NMERR_SUCCESS);
    }
}

/* Every size up to 300, then both sides of every power of two up to 1 MiB: small blocks from
 * slabs and the large ones above the slab range alike, all held at once, on a plain key and on
 * one that checks for corruption (whose blocks carry guard bytes). */
static void check_alignment_of_every_size(HEXPERTKEY key)
{
    static void *held[300 + 3 * 12];   /* 2^9 ... 2^20 */
    size_t n = 0;
    for (SIZE_T size = 0; size < 300; size++)
        held[n++] = ExpertAllocMemory(key, size, NULL);
    for (SIZE_T power = 512; power <= (SIZE_T)1 << 20; power *= 2)
        for (SIZE_T size = power - 1; size <= power + 1; size++)
            held[n++] = ExpertAllocMemory(key, size, NULL);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(held[i]);
        assert_int_equal((uintptr_t)held[i] % MEMORY_ALLOCATION_ALIGNMENT, 0);
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ExpertFreeMemory(key, held[i]), NMERR_SUCCESS);
    assert_live(key, 0, 0);
}

static void test_alloc_is_aligned_at_every_size(void **state)
{
    check_alignment_of_every_size(*state);
    EXPERTHOSTKEYINFO info = key_info();
    info.Flags = EXPERTHOST_FLAG_CHECK_CORRUPTION;
    HEXPERTKEY checked = create_key_from(&info);
    check_alignment_of_every_size(checked);
    assert_int_equal(ExpertHostDestroyKey(checked, NULL), NMERR_SUCCESS);
    assert_int_equal(MEMORY_ALLOCATION_ALIGNMENT, sizeof(void *) == 8 ? 16 : 8);
}

static void test_alloc_zero_bytes_gives_unique_live_blocks(void **state)
{
    HEXPERTKEY key = *state;
    DWORD error = POISON_ERROR;
    void *a = ExpertAllocMemory(key, 0, &error);
    assert_int_equal(error, NMERR_SUCCESS);
    void *b = ExpertAllocMemory(key, 0, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(ExpertMemorySize(key, a), 0);
    assert_live(key, 2, 0);
    assert_int_equal(ExpertFreeMemory(key, a), NMERR_SUCCESS);
    assert_int_equal(ExpertFreeMemory(key, b), NMERR_SUCCESS);
    assert_live(key, 0, 0);
}

static void test_alloc_accepts_null_perror(void **state)
{
    void *p = ExpertAllocMemory(*state, 10, NULL);
    assert_non_null(p);
    assert_null(ExpertAllocMemory(NULL, 10, NULL));   /* failure with no pError: no crash */
}

static void test_alloc_counts_exactly(void **state)
{
    HEXPERTKEY key = *state;
    SIZE_T sizes[] = { 1, 7, 8, 100, 4096, 65536, 1 << 20 };
    SIZE_T total = 0;
    void *blocks[sizeof sizes / sizeof sizes[0]];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        blocks[i] = ExpertAllocMemory(key, sizes[i], NULL);
        assert_non_null(blocks[i]);
        total += sizes[i];
        assert_live(key, i + 1, total);
    }
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.PeakBytes, total);
    assert_int_equal(s.TotalAllocations, 7);
    assert_int_equal(s.FailedAllocations, 0);
    assert_int_equal(ExpertFreeMemory(key, blocks[6]), NMERR_SUCCESS);
    s = query(key);
    assert_int_equal(s.LiveBytes, total - (1 << 20));
    assert_int_equal(s.PeakBytes, total);
}

static void test_alloc_with_dead_or_forged_key_fails_invalid_handle(void **state)
{
    HEXPERTKEY forged[MAX_FORGED_KEYS];
    size_t n = forged_keys(*state, forged);
    EXPERTHOSTMEMORYSTATS before = query(*state);
    for (size_t i = 0; i < n; i++) {
        DWORD error = POISON_ERROR;
        assert_null(ExpertAllocMemory(forged[i], 16, &error));
        assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
    }
    EXPERTHOSTMEMORYSTATS after = query(*state);
    assert_stats_equal(&before, &after);
}

static void test_alloc_after_terminate_fails_terminate(void **state)
{
    HEXPERTKEY key = *state;
    void *kept = ExpertAllocMemory(key, 32, NULL);
    assert_int_equal(ExpertHostTerminate(key), NMERR_SUCCESS);
    DWORD error = POISON_ERROR;
    assert_null(ExpertAllocMemory(key, 16, &error));
    assert_int_equal(error, NMERR_EXPERT_TERMINATE);
    assert_null(ExpertAllocMemory(key, 0, NULL));
    assert_live(key, 1, 32);
    assert_int_equal(query(key).FailedAllocations, 0);
    assert_int_equal(ExpertFreeMemory(key, kept), NMERR_SUCCESS);   /* clean-up still works */
}

static void test_alloc_stops_exactly_at_memory_limit(void **state)
{
    (void)state;
    HEXPERTKEY key = create_key_with_limit(100);
    DWORD error = POISON_ERROR;
    void *a = ExpertAllocMemory(key, 60, &error);
    assert_non_null(a);
    assert_null(ExpertAllocMemory(key, 41, &error));   /* one byte past the limit */
    assert_int_equal(error, NMERR_OUT_OF_MEMORY);
    void *b = ExpertAllocMemory(key, 40, &error);       /* exactly the limit */
    assert_non_null(b);
    assert_int_equal(error, NMERR_SUCCESS);
    assert_non_null(ExpertAllocMemory(key, 0, NULL));   /* size 0 still fits */
    assert_null(ExpertAllocMemory(key, 1, &error));
    assert_int_equal(error, NMERR_OUT_OF_MEMORY);
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBytes, 100);
    assert_int_equal(s.LiveBlocks, 3);
    assert_int_equal(s.MemoryLimit, 100);
    assert_int_equal(s.FailedAllocations, 2);
    assert_int_equal(ExpertFreeMemory(key, a), NMERR_SUCCESS);
    assert_non_null(ExpertAllocMemory(key, 60, NULL));  /* room again */
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_alloc_absurd_sizes_fail_out_of_memory(void **state)
{
    HEXPERTKEY key = *state;
    void *kept = ExpertAllocMemory(key, 48, NULL);
    fill(kept, 0x3C, 48);
    EXPERTHOSTMEMORYSTATS before = query(key);
    const SIZE_T absurd[] = {
        (SIZE_T)-1, (SIZE_T)-2, (SIZE_T)-16, (SIZE_T)-4096, (SIZE_T)-1 / 2 + 1, (SIZE_T)-1 / 2,
        /* Below the up-front bound, beyond what the address space can hold: the heap refuses. */
        sizeof(void *) == 8 ? (SIZE_T)1 << 47 : (SIZE_T)0x7FFF0000u,
    };
    for (size_t i = 0; i < sizeof absurd / sizeof absurd[0]; i++) {
        DWORD error = POISON_ERROR;
        assert_null(ExpertAllocMemory(key, absurd[i], &error));
        assert_int_equal(error, NMERR_OUT_OF_MEMORY);
    }
    EXPERTHOSTMEMORYSTATS after = query(key);
    before.FailedAllocations += sizeof absurd / sizeof absurd[0];
    assert_stats_equal(&before, &after);
    assert_filled(kept, 0x3C, 48);
    assert_non_null(ExpertAllocMemory(key, 16, NULL));   /* the key still works */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alloc_returns_zero_filled_block, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_is_aligned_at_every_size, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_zero_bytes_gives_unique_live_blocks, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_accepts_null_perror, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_counts_exactly, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_with_dead_or_forged_key_fails_invalid_handle, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_after_terminate_fails_terminate, key_setup, key_teardown),
        cmocka_unit_test(test_alloc_stops_exactly_at_memory_limit),
        cmocka_unit_test_setup_teardown(test_alloc_absurd_sizes_fail_out_of_memory, key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
