/* Small blocks (up to 16 KiB) come from slabs carved out of the key's private heap: exact
 * sizes at every size-class boundary, disjoint blocks, ownership decided slot by slot, an
 * expert's stray writes unable to reach the allocator's records, and reallocation across
 * classes and to and from the heap. (That emptied slabs go back to the heap is counted at the
 * heap seam, in tests/fault/test_emptied_slabs_return_to_the_heap.c.) */
#include "nmapi_test.h"

#define SMALL_MAX 16384

/* Sizes on both sides of every class boundary: every size up to 300, then around each
 * quarter-octave step up to 16 KiB, then just past it. */
static size_t boundary_sizes(SIZE_T *out)
{
    size_t n = 0;
    for (SIZE_T s = 0; s <= 300; s++)
        out[n++] = s;
    for (SIZE_T octave = 256; octave < SMALL_MAX; octave *= 2)
        for (SIZE_T step = 1; step <= 4; step++) {
            SIZE_T edge = octave + step * (octave / 4);
            out[n++] = edge - 1;
            out[n++] = edge;
            if (edge + 1 <= SMALL_MAX + 1)
                out[n++] = edge + 1;
        }
    return n;
}

static unsigned char stamp_of(size_t i) { return (unsigned char)(0x21 + i % 200); }

static void test_class_boundaries_give_exact_disjoint_zeroed_blocks(void **state)
{
    HEXPERTKEY key = *state;
    static SIZE_T sizes[400];
    static unsigned char *blocks[3 * 400];
    size_t count = boundary_sizes(sizes), made = 0;
    SIZE_T total = 0;
    for (int copy = 0; copy < 3; copy++)
        for (size_t i = 0; i < count; i++, made++) {
            unsigned char *p = ExpertAllocMemory(key, sizes[i], NULL);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % MEMORY_ALLOCATION_ALIGNMENT, 0);
            assert_int_equal(ExpertMemorySize(key, p), sizes[i]);
            assert_filled(p, 0, sizes[i]);
            fill(p, stamp_of(made), sizes[i]);
            blocks[made] = p;
            total += sizes[i];
        }
    assert_live(key, made, total);
    for (size_t j = 0; j < made; j++)   /* no block overlaps another */
        assert_filled(blocks[j], stamp_of(j), sizes[j % count]);
    for (size_t j = 0; j < made; j++) {   /* scrambled order */
        size_t k = (j * 7919) % made;
        assert_int_equal(ExpertFreeMemory(key, blocks[k]), NMERR_SUCCESS);
    }
    assert_live(key, 0, 0);
}

static void test_pointers_into_slabs_that_are_not_live_blocks_are_refused(void **state)
{
    HEXPERTKEY key = *state;
    unsigned char *blocks[64];
    unsigned char *highest = NULL;
    for (int i = 0; i < 64; i++) {
        blocks[i] = ExpertAllocMemory(key, 40, NULL);
        fill(blocks[i], 0x5C, 40);
        if (blocks[i] > highest)
            highest = blocks[i];
    }
    for (int i = 0; i < 64; i += 2)
        assert_int_equal(ExpertFreeMemory(key, blocks[i]), NMERR_SUCCESS);
    EXPERTHOSTMEMORYSTATS before = query(key);

    const SIZE_T offsets[] = { 1, 4, 8, 16, 39, 40 - 1 + MEMORY_ALLOCATION_ALIGNMENT };
    for (int i = 0; i < 64; i++) {
        if (i % 2 == 0) {   /* freed slots */
            assert_int_equal(ExpertFreeMemory(key, blocks[i]), NMERR_INVALID_PARAMETER);
            assert_int_equal(ExpertMemorySize(key, blocks[i]), SIZE_FAILED);
            assert_null(ExpertReallocMemory(key, blocks[i], 8, NULL));
        }
        for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {   /* interiors */
            assert_int_equal(ExpertFreeMemory(key, blocks[i] + offsets[o]), NMERR_INVALID_PARAMETER);
            assert_int_equal(ExpertMemorySize(key, blocks[i] + offsets[o]), SIZE_FAILED);
        }
    }
    const SIZE_T slot = (40 + MEMORY_ALLOCATION_ALIGNMENT - 1) / MEMORY_ALLOCATION_ALIGNMENT *
                        MEMORY_ALLOCATION_ALIGNMENT;
    for (SIZE_T k = 1; k <= 8; k++) {   /* slots past the last one handed out */
        unsigned char *beyond = highest + k * slot;
        int live = 0;
        for (int i = 1; i < 64; i += 2)
            live |= blocks[i] == beyond;
        if (!live)
            assert_int_equal(ExpertFreeMemory(key, beyond), NMERR_INVALID_PARAMETER);
    }
    EXPERTHOSTMEMORYSTATS after = query(key);
    assert_stats_equal(&before, &after);
    for (int i = 1; i < 64; i += 2)
        assert_filled(blocks[i], 0x5C, 40);
}

static void test_stray_writes_cannot_corrupt_the_allocator(void **state)
{
    HEXPERTKEY key = *state;
    enum { N = 300, SIZE = 40 };
    unsigned char *blocks[N];
    for (int i = 0; i < N; i++)
        blocks[i] = ExpertAllocMemory(key, SIZE, NULL);
    for (int i = 0; i < N; i += 2)
        assert_int_equal(ExpertFreeMemory(key, blocks[i]), NMERR_SUCCESS);
    /* Writes after free, and past each live block's end into its slot's slack: an allocator
     * that kept its free list or sizes inside the slots would now hand out garbage. */
    SIZE_T slack = (SIZE + MEMORY_ALLOCATION_ALIGNMENT - 1) / MEMORY_ALLOCATION_ALIGNMENT *
                   MEMORY_ALLOCATION_ALIGNMENT - SIZE;
    for (int i = 0; i < N; i++) {
        if (i % 2 == 0)
            fill(blocks[i], 0xFF, SIZE);
        else
            fill(blocks[i], 0x77, SIZE + slack);
    }
    for (int round = 0; round < 4; round++) {
        unsigned char *fresh[N / 2];
        for (int i = 0; i < N / 2; i++) {
            fresh[i] = ExpertAllocMemory(key, SIZE, NULL);
            assert_non_null(fresh[i]);
            assert_filled(fresh[i], 0, SIZE);
            assert_int_equal(ExpertMemorySize(key, fresh[i]), SIZE);
            for (int j = 1; j < N; j += 2)
                assert_ptr_not_equal(fresh[i], blocks[j]);
            fill(fresh[i], 0xFF, SIZE);
        }
        assert_live(key, N, (SIZE_T)N * SIZE);
        for (int i = 0; i < N / 2; i++)
            assert_int_equal(ExpertFreeMemory(key, fresh[i]), NMERR_SUCCESS);
    }
    for (int i = 1; i < N; i += 2) {
        assert_filled(blocks[i], 0x77, SIZE);
        assert_int_equal(ExpertFreeMemory(key, blocks[i]), NMERR_SUCCESS);
    }
    assert_live(key, 0, 0);
}

static void test_realloc_crosses_classes_and_the_heap_keeping_contents(void **state)
{
    HEXPERTKEY key = *state;
    const SIZE_T steps[] = { 10, 12, 16, 17, 100, 3000, SMALL_MAX, SMALL_MAX + 1, 20000, 50,
                             0, 7, SMALL_MAX, 100000, 16, 300, 1 };
    unsigned char *p = ExpertAllocMemory(key, 5, NULL);
    SIZE_T size = 5;
    fill(p, 0x42, size);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        SIZE_T n = steps[i];
        unsigned char *q = ExpertReallocMemory(key, p, n, NULL);
        assert_non_null(q);
        SIZE_T kept = n < size ? n : size;
        assert_filled(q, 0x42, kept);
        assert_filled(q + kept, 0, n - kept);
        assert_int_equal((uintptr_t)q % MEMORY_ALLOCATION_ALIGNMENT, 0);
        assert_int_equal(ExpertMemorySize(key, q), n);
        assert_live(key, 1, n);
        if (q != p)
            assert_int_equal(ExpertFreeMemory(key, p), NMERR_INVALID_PARAMETER);
        fill(q, 0x42, n);
        p = q;
        size = n;
    }
    assert_int_equal(query(key).TotalAllocations, 1);
    assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
    assert_live(key, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_class_boundaries_give_exact_disjoint_zeroed_blocks, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_pointers_into_slabs_that_are_not_live_blocks_are_refused, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_stray_writes_cannot_corrupt_the_allocator, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_crosses_classes_and_the_heap_keeping_contents, key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
