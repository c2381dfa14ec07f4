/*
 * A thread terminated inside a call does not keep its key. A victim thread runs a script of
 * allocator calls on a key of its own (small, medium and large blocks, growth that moves,
 * shrinks, frees); the fault seam makes the victim call TerminateThread on itself at the
 * 1st, 2nd, ... Nth operation the allocator makes on pages or records, so it dies inside the
 * DLL with the key's gate held, at every point the script reaches, until a run ends without
 * reaching N.
 *
 * After each death, with the thread's handle still open: the key's allocator calls fail with
 * NMERR_INVALID_EXPERT_HANDLE at once (the gate is sealed, nobody waits for ever), the host's
 * query answers with the figures before or after the cut-off call, destroy succeeds and
 * reports those same figures, every arena is released, and a bystander key with its own
 * block never notices.
 */
#include "nmapi_test.h"
#include "fault_seam.h"

static const SIZE_T script_sizes[] = { 24, 24, 4000, 30000, 200000, 24, 3u << 20, 100 };
#define SCRIPT_BLOCKS (sizeof script_sizes / sizeof script_sizes[0])

struct victim {
    HEXPERTKEY key;
    long n;                            /* the seam operation to die at */
    volatile LONG blocks_live;         /* blocks live after the last finished call */
};

static void end_this_thread(void)
{
    TerminateThread(GetCurrentThread(), 0xDEAD);
}

static DWORD WINAPI victim_main(LPVOID arg)
{
    struct victim *v = arg;
    void *blocks[SCRIPT_BLOCKS];
    DWORD error;
    fault_act_at_nth(FAULT_HEAP_ALLOC | FAULT_HEAP_REALLOC | FAULT_HEAP_FREE |
                     FAULT_RECORD_ALLOC | FAULT_RECORD_FREE, v->n, end_this_thread);
    for (size_t i = 0; i < SCRIPT_BLOCKS; i++) {
        blocks[i] = ExpertAllocMemory(v->key, script_sizes[i], &error);
        if (!blocks[i])
            return 1;
        InterlockedIncrement(&v->blocks_live);
    }
    for (size_t i = 0; i < SCRIPT_BLOCKS; i += 2) {   /* grow (moves), then shrink */
        void *grown = ExpertReallocMemory(v->key, blocks[i], script_sizes[i] * 3 + 70000, &error);
        if (!grown)
            return 1;
        blocks[i] = ExpertReallocMemory(v->key, grown, 8, &error);
        if (!blocks[i])
            return 1;
    }
    for (size_t i = 1; i < SCRIPT_BLOCKS; i += 2) {
        if (ExpertFreeMemory(v->key, blocks[i]) != NMERR_SUCCESS)
            return 1;
        InterlockedDecrement(&v->blocks_live);
    }
    fault_off();
    return 0;
}

static void test_a_key_whose_caller_died_inside_is_sealed_and_destroyed_whole(void **state)
{
    (void)state;
    long arenas_before = fault_live_heaps();
    HEXPERTKEY bystander = create_key_with_limit(0);
    DWORD error;
    unsigned char *kept = ExpertAllocMemory(bystander, 50000, &error);
    assert_non_null(kept);
    fill(kept, 0x5A, 50000);

    long deaths = 0;
    for (long n = 1;; n++) {
        struct victim v = { create_key_with_limit(0), n, 0 };
        assert_non_null(v.key);
        HANDLE thread = CreateThread(NULL, 0, victim_main, &v, 0, NULL);
        assert_non_null(thread);
        assert_int_equal(WaitForSingleObject(thread, 60000), WAIT_OBJECT_0);
        DWORD code = 0;
        GetExitCodeThread(thread, &code);
        fault_off();

        if (code == 0xDEAD) {
            deaths++;
            DWORD started = GetTickCount();
            assert_null(ExpertAllocMemory(v.key, 16, &error));
            assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
            assert_int_equal(ExpertMemorySize(v.key, kept), SIZE_FAILED);
            assert_true(GetTickCount() - started < 10000);

            EXPERTHOSTMEMORYSTATS seen = query(v.key);
            assert_true(seen.LiveBlocks == (SIZE_T)v.blocks_live ||
                        seen.LiveBlocks == (SIZE_T)v.blocks_live + 1 ||
                        seen.LiveBlocks + 1 == (SIZE_T)v.blocks_live);
            EXPERTHOSTMEMORYSTATS reclaimed = { .cbSize = sizeof reclaimed };
            assert_int_equal(ExpertHostDestroyKey(v.key, &reclaimed), NMERR_SUCCESS);
            assert_int_equal(reclaimed.LiveBlocks, seen.LiveBlocks);
            assert_int_equal(reclaimed.LiveBytes, seen.LiveBytes);
        } else {
            assert_int_equal(code, 0);   /* the script ran to its end: every point was tried */
            assert_live(v.key, SCRIPT_BLOCKS - SCRIPT_BLOCKS / 2, (SCRIPT_BLOCKS + 1) / 2 * 8);
            assert_int_equal(ExpertHostDestroyKey(v.key, NULL), NMERR_SUCCESS);
        }
        CloseHandle(thread);
        assert_int_equal(fault_live_heaps(), arenas_before + 1);   /* the bystander's */
        assert_int_equal(ExpertMemorySize(bystander, kept), 50000);
        assert_filled(kept, 0x5A, 50000);
        if (code != 0xDEAD)
            break;
    }
    print_message("victim terminated at %ld points inside the allocator\n", deaths);
    assert_true(deaths >= 10);
    assert_int_equal(ExpertHostDestroyKey(bystander, NULL), NMERR_SUCCESS);
    assert_int_equal(fault_live_heaps(), arenas_before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_key_whose_caller_died_inside_is_sealed_and_destroyed_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
