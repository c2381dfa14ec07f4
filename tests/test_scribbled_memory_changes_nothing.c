/*
 * test_scribbled_memory_changes_nothing.c - whatever an expert writes into the memory it was
 * given - over its blocks, before and after them, into freed ones, every committed byte of
 * its key - and whatever protection it puts on those pages, the allocator's answers and the
 * key's figures stay exact and the key is destroyed whole: nmapi.dll keeps no record there.
 * Also: a freed large block goes back to the OS at once, and sizes the address space cannot
 * hold are refused at once.
 */
#include "nmapi_test.h"

#include <windows.h>

#define SMALL 240
#define LARGE 8

static const SIZE_T large_sizes[LARGE] = { 16385, 20000, 30000, 100000, 250000,
                                           (SIZE_T)3 << 19, (SIZE_T)8 << 20, 70000 };

struct block {
    char *p;
    SIZE_T size;
    int live;
};

static struct block blocks[SMALL + LARGE];

/* The reservation p lies in, or NULL when p is in no reserved memory. */
static void *region_of(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(p, &mbi, sizeof mbi) != sizeof mbi || mbi.State == MEM_FREE)
        return NULL;
    return mbi.AllocationBase;
}

/* Fills every committed, writable page of the reservation at base with garbage. */
static void trash_region(void *base)
{
    MEMORY_BASIC_INFORMATION mbi;
    for (char *p = base; VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi &&
                         mbi.AllocationBase == base;
         p += mbi.RegionSize)
        if (mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE)
            memset(mbi.BaseAddress, 0xA5, mbi.RegionSize);
}

static void trash_every_region_of_the_key(void)
{
    for (int i = 0; i < SMALL + LARGE; i++)
        if (blocks[i].live)
            trash_region(region_of(blocks[i].p));
}

static HEXPERTKEY key_with(DWORD flags)
{
    EXPERTHOSTKEYINFO info = key_info();
    info.Flags = flags;
    return create_key_from(&info);
}

static void allocate_a_mix(HEXPERTKEY key)
{
    for (int i = 0; i < SMALL + LARGE; i++) {
        SIZE_T size = i < SMALL ? (SIZE_T)(i * 67 % 4000) : large_sizes[i - SMALL];
        blocks[i].p = ExpertAllocMemory(key, size, NULL);
        assert_non_null(blocks[i].p);
        blocks[i].size = size;
        blocks[i].live = 1;
    }
    for (int i = 0; i < SMALL + LARGE; i += 3) {      /* a third freed: garbage goes there too */
        assert_int_equal(ExpertFreeMemory(key, blocks[i].p), NMERR_SUCCESS);
        blocks[i].live = 0;
    }
}

/* Every answer the allocator gives about the blocks, and the figures, are what they were. */
static void assert_everything_known(HEXPERTKEY key, DWORD flags)
{
    SIZE_T live_blocks = 0, live_bytes = 0;
    for (int i = 0; i < SMALL + LARGE; i++) {
        /* A freed block's address may have been handed out again to a later block of the
         * mix; only the live ones are asked about. */
        if (!blocks[i].live)
            continue;
        assert_int_equal(ExpertMemorySize(key, blocks[i].p), blocks[i].size);
        live_blocks++;
        live_bytes += blocks[i].size;
    }
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBlocks, live_blocks);
    assert_int_equal(s.LiveBytes, live_bytes);
    (void)flags;
}

static void scribble_then_use_then_destroy(DWORD flags)
{
    HEXPERTKEY key = key_with(flags);
    allocate_a_mix(key);
    trash_every_region_of_the_key();
    assert_everything_known(key, flags);

    /* More calls on the trashed key: allocations of every kind, frees, reallocations. */
    for (int i = 0; i < SMALL + LARGE; i += 3) {
        SIZE_T size = i < SMALL ? (SIZE_T)(i * 31 % 3000) : large_sizes[(i + 3) % LARGE];
        char *p = ExpertAllocMemory(key, size, NULL);
        assert_non_null(p);
        for (SIZE_T b = 0; b < size; b += 997)
            assert_int_equal(p[b], 0);                     /* zero-filled all the same */
        blocks[i] = (struct block){ p, size, 1 };
    }
    for (int i = 1; i < SMALL + LARGE; i += 3) {
        SIZE_T size = blocks[i].size / 2 + 40000 * (i % 2);
        char *p = ExpertReallocMemory(key, blocks[i].p, size, NULL);
        assert_non_null(p);
        blocks[i].p = p;
        blocks[i].size = size;
    }
    trash_every_region_of_the_key();
    assert_everything_known(key, flags);

    EXPERTHOSTMEMORYSTATS before = query(key), reclaimed = { .cbSize = sizeof reclaimed };
    static void *regions[SMALL + LARGE];
    for (int i = 0; i < SMALL + LARGE; i++)
        regions[i] = blocks[i].live ? region_of(blocks[i].p) : NULL;
    assert_int_equal(ExpertHostDestroyKey(key, &reclaimed), NMERR_SUCCESS);
    assert_int_equal(reclaimed.LiveBlocks, before.LiveBlocks);
    assert_int_equal(reclaimed.LiveBytes, before.LiveBytes);
    if (flags & EXPERTHOST_FLAG_CHECK_CORRUPTION)
        assert_true(reclaimed.OverrunsDetected > 0);       /* the garbage covered the guards */
    for (int i = 0; i < SMALL + LARGE; i++)
        if (regions[i])
            assert_null(region_of(blocks[i].p));           /* every region released */
}

static void test_garbage_over_every_byte_of_a_key_changes_nothing(void **state)
{
    (void)state;
    scribble_then_use_then_destroy(0);
}

static void test_garbage_over_a_checking_key_changes_nothing_but_the_counts(void **state)
{
    (void)state;
    scribble_then_use_then_destroy(EXPERTHOST_FLAG_CHECK_CORRUPTION);
}

/* A freed large block's pages are decommitted: a write after free faults in the expert's own
 * code instead of reaching anything, and the next allocation is unaffected. */
static void test_a_freed_large_block_goes_back_to_the_os(void **state)
{
    HEXPERTKEY key = *state;
    char *p = ExpertAllocMemory(key, 30000, NULL);
    assert_non_null(p);
    memset(p, 0x5A, 30000);
    assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
    MEMORY_BASIC_INFORMATION mbi;
    assert_int_equal(VirtualQuery(p, &mbi, sizeof mbi), sizeof mbi);
    assert_int_not_equal(mbi.State, MEM_COMMIT);
    char *q = ExpertAllocMemory(key, 30000, NULL);
    assert_non_null(q);
    for (SIZE_T b = 0; b < 30000; b++)
        assert_int_equal(q[b], 0);
    assert_int_equal(query(key).LiveBlocks, 1);
}

/* Pages the expert made read-only or inaccessible are released with the key all the same. */
static void test_pages_protected_by_the_expert_do_not_stop_destroy(void **state)
{
    (void)state;
    HEXPERTKEY key = create_key_with_limit(0);
    char *small = ExpertAllocMemory(key, 100, NULL);
    char *large = ExpertAllocMemory(key, 100000, NULL);
    char *huge = ExpertAllocMemory(key, (SIZE_T)2 << 20, NULL);
    assert_non_null(small);
    assert_non_null(large);
    assert_non_null(huge);
    DWORD old;
    assert_true(VirtualProtect(small, 100, PAGE_READONLY, &old));
    assert_true(VirtualProtect(large, 100000, PAGE_NOACCESS, &old));
    assert_true(VirtualProtect(huge, 4096, PAGE_READONLY | PAGE_GUARD, &old));
    EXPERTHOSTMEMORYSTATS reclaimed = { .cbSize = sizeof reclaimed };
    assert_int_equal(ExpertHostDestroyKey(key, &reclaimed), NMERR_SUCCESS);
    assert_int_equal(reclaimed.LiveBlocks, 3);
    assert_int_equal(reclaimed.LiveBytes, 100 + 100000 + ((SIZE_T)2 << 20));
    assert_null(region_of(small));
    assert_null(region_of(large));
    assert_null(region_of(huge));
}

/* Every size from 2^31 up, and the last sizes below SIZE_MAX: granted (and then freed) or
 * refused with NMERR_OUT_OF_MEMORY, each within a bound far below what a committing refusal
 * took (seconds); the key's figures change only by the refusals counted. */
static void test_sizes_beyond_the_address_space_are_refused_at_once(void **state)
{
    HEXPERTKEY key = *state;
    static SIZE_T sizes[64];
    unsigned n = 0;
    for (unsigned shift = 31; shift < sizeof(SIZE_T) * 8; shift++)
        sizes[n++] = (SIZE_T)1 << shift;
    const SIZE_T below_max[] = { 0, 1, 4095, 65535, 65536, 1u << 20 };
    for (unsigned i = 0; i < sizeof below_max / sizeof *below_max; i++)
        sizes[n++] = (SIZE_T)-1 - below_max[i];
    unsigned long long refused = 0;
    LARGE_INTEGER frequency;
    QueryPerformanceFrequency(&frequency);
    for (unsigned i = 0; i < n; i++) {
        DWORD error = 0;
        LARGE_INTEGER t0, t1;
        QueryPerformanceCounter(&t0);
        void *p = ExpertAllocMemory(key, sizes[i], &error);
        QueryPerformanceCounter(&t1);
        double ms = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / (double)frequency.QuadPart;
        print_message("ExpertAllocMemory(%llu): %s in %.3f ms\n", (unsigned long long)sizes[i],
                      p ? "granted" : "refused", ms);
        if (ms > 1000.0)
            fail_msg("ExpertAllocMemory(%llu) took %.1f ms", (unsigned long long)sizes[i], ms);
        if (p) {
            assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
        } else {
            assert_int_equal(error, NMERR_OUT_OF_MEMORY);
            refused++;
        }
    }
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBlocks, 0);
    assert_int_equal(s.FailedAllocations, refused);
    assert_true(refused >= 6);                    /* at least the sizes next to SIZE_MAX */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbage_over_every_byte_of_a_key_changes_nothing),
        cmocka_unit_test(test_garbage_over_a_checking_key_changes_nothing_but_the_counts),
        cmocka_unit_test_setup_teardown(test_a_freed_large_block_goes_back_to_the_os,
                                        key_setup, key_teardown),
        cmocka_unit_test(test_pages_protected_by_the_expert_do_not_stop_destroy),
        cmocka_unit_test_setup_teardown(test_sizes_beyond_the_address_space_are_refused_at_once,
                                        key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
