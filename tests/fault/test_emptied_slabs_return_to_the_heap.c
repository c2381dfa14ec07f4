/*
 * Slabs are given back: small blocks come from slabs taken from the key's page arena, and a
 * slab whose blocks are all freed goes back to the arena, except one kept per size class and
 * further ones within an eighth of the slab memory (slabs.h: SLABS_KEEP_DIVISOR), for the next
 * allocations. Counted at the arena seam (fault_seam.c counts the spans the core holds), so
 * the figure is the allocator's own.
 */
#include "nmapi_test.h"
#include "fault_seam.h"
#include "size_class.h"
#include "slabs.h"

enum { N = 20000, SMALLEST = 1, LARGEST = 200 };

static void *blocks[N];

static SIZE_T size_of_block(int i) { return SMALLEST + i % (LARGEST - SMALLEST + 1); }

static unsigned classes_in_use(void)
{
    unsigned n = 0, last = ~0u;
    for (size_t s = SMALLEST; s <= LARGEST; s++)
        if (size_class_of(s) != last) {
            last = size_class_of(s);
            n++;
        }
    return n;
}

static void test_emptied_slabs_return_to_the_arena_but_a_bounded_few(void **state)
{
    (void)state;
    long heaps_before = fault_live_heaps();
    HEXPERTKEY key = create_key_with_limit(0);
    long before = fault_live_heap_blocks();
    long first_full = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            blocks[i] = ExpertAllocMemory(key, size_of_block(i), NULL);
            assert_non_null(blocks[i]);
        }
        long full = fault_live_heap_blocks() - before;
        for (int i = 0; i < N; i++)   /* in an order unrelated to the slabs' */
            assert_int_equal(ExpertFreeMemory(key, blocks[(i * 7919) % N]), NMERR_SUCCESS);
        long kept = fault_live_heap_blocks() - before;
        print_message("round %d: %ld slabs held for %d blocks of %d-%d bytes; %ld kept once all "
                      "are freed (%u size classes in use)\n", round, full, N, SMALLEST, LARGEST,
                      kept, classes_in_use());
        assert_true(full > 0 && full < N / 4);            /* many blocks per slab */
        /* every slab here is one page: the kept ones beyond one per class are at most an
         * eighth of the slabs there were */
        assert_in_range(kept, 0, classes_in_use() + full / SLABS_KEEP_DIVISOR);
        if (round == 0)
            first_full = full;
        else   /* the same workload again: at most the kept slabs' worth of difference */
            assert_in_range(full, first_full - (long)classes_in_use(),
                            first_full + (long)classes_in_use());
    }
    assert_live(key, 0, 0);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
    assert_int_equal(fault_live_heaps(), heaps_before);
}

static void test_a_large_block_is_its_own_heap_block_and_goes_back_when_freed(void **state)
{
    (void)state;
    HEXPERTKEY key = create_key_with_limit(0);
    long before = fault_live_heap_blocks();
    void *p = ExpertAllocMemory(key, SIZE_CLASS_MAX + 1, NULL);
    assert_non_null(p);
    assert_int_equal(fault_live_heap_blocks(), before + 1);
    p = ExpertReallocMemory(key, p, 4 * SIZE_CLASS_MAX, NULL);
    assert_non_null(p);
    assert_int_equal(fault_live_heap_blocks(), before + 1);
    assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
    assert_int_equal(fault_live_heap_blocks(), before);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emptied_slabs_return_to_the_arena_but_a_bounded_few),
        cmocka_unit_test(test_a_large_block_is_its_own_heap_block_and_goes_back_when_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
