/*
 * A host kills an expert's thread with TerminateThread while it is busy in the DLL: allocating,
 * sizing, growing (moves and copies), indicating its status and freeing, in a loop, on its
 * own key. Where the thread dies is chance; rounds of varied lengths make it die in calls and
 * between them. After each kill, with the thread's handle still open: the host's queries
 * answer at once, the key's figures are those of a whole number of calls (the loop holds at
 * most its one block, on top of what it kept), destroy succeeds and reclaims that, new keys
 * can be made and used, and a bystander key with a block of its own never notices.
 * (Deaths at each allocator operation in turn, through the fault seam: the white-box
 * test_thread_terminated_inside_a_call.)
 */
#include "nmapi_test.h"

#define ROUNDS 24
#define KEPT_BLOCKS 5      /* allocated before the loop, never freed */
#define KEPT_BYTES 1000
#define WAIT_LIMIT_MS 30000

struct victim {
    HEXPERTKEY key;
    volatile LONG iterations;
};

static DWORD WINAPI busy_expert(LPVOID arg)
{
    struct victim *v = arg;
    DWORD error;
    for (int i = 0; i < KEPT_BLOCKS; i++)
        if (!ExpertAllocMemory(v->key, KEPT_BYTES, &error))
            return 1;
    for (SIZE_T i = 0;; i++) {
        void *p = ExpertAllocMemory(v->key, 16 + i % 40000, &error);
        if (!p || ExpertMemorySize(v->key, p) != 16 + i % 40000)
            return 2;
        if (!(p = ExpertReallocMemory(v->key, p, 16 + (i * 7919) % 90000, &error)))
            return 3;
        ExpertIndicateStatus(v->key, EXPERTSTATUS_RUNNING, 0, "busy", (LONG)(i % 100));
        if (ExpertFreeMemory(v->key, p) != NMERR_SUCCESS)
            return 4;
        InterlockedIncrement(&v->iterations);
    }
}

/* Ends the thread wherever it is, the way Windows does: Windows completes a system call
 * before it ends a thread, Wine does not (a thread it ends inside VirtualAlloc leaves Wine's
 * virtual-memory lock held, and the next VirtualAlloc of any thread waits for ever), but Wine
 * suspends a thread only outside its system calls; GetThreadContext returns once it is. */
static void kill_thread(HANDLE thread)
{
    CONTEXT context = { .ContextFlags = CONTEXT_CONTROL };
    assert_int_not_equal(SuspendThread(thread), (DWORD)-1);
    assert_true(GetThreadContext(thread, &context));
    assert_true(TerminateThread(thread, 0xDEAD));
}

/* A call that reports the key answered: success, or the sealed key's invalid handle. */
static void assert_key_answers_or_is_sealed(HEXPERTKEY key)
{
    DWORD error = POISON_ERROR;
    void *p = ExpertAllocMemory(key, 64, &error);
    if (p) {
        assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
        return;
    }
    assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
}

static void test_a_thread_killed_while_busy_in_the_dll_keeps_nothing(void **state)
{
    (void)state;
    HEXPERTKEY bystander = create_key_with_limit(0);
    DWORD error;
    unsigned char *kept = ExpertAllocMemory(bystander, 50000, &error);
    assert_non_null(kept);
    fill(kept, 0x5A, 50000);

    for (int round = 0; round < ROUNDS; round++) {
        struct victim v = { create_key_with_limit(0), 0 };
        HANDLE thread = CreateThread(NULL, 0, busy_expert, &v, 0, NULL);
        assert_non_null(thread);
        while (InterlockedCompareExchange(&v.iterations, 0, 0) < 1 + round * 5)
            SwitchToThread();
        kill_thread(thread);
        assert_int_equal(WaitForSingleObject(thread, WAIT_LIMIT_MS), WAIT_OBJECT_0);
        DWORD code = 0;
        assert_true(GetExitCodeThread(thread, &code));
        assert_int_equal(code, 0xDEAD);      /* killed, not ended by a failed check */

        EXPERTSTATUS status;
        assert_int_equal(ExpertHostGetStatus(v.key, &status), NMERR_SUCCESS);
        EXPERTHOSTMEMORYSTATS s = query(v.key);
        assert_true(s.LiveBlocks == KEPT_BLOCKS || s.LiveBlocks == KEPT_BLOCKS + 1);
        if (s.LiveBlocks == KEPT_BLOCKS)
            assert_int_equal(s.LiveBytes, KEPT_BLOCKS * KEPT_BYTES);
        assert_key_answers_or_is_sealed(v.key);

        HEXPERTKEY fresh = create_key_with_limit(0);
        assert_key_answers_or_is_sealed(fresh);
        assert_int_equal(ExpertHostDestroyKey(fresh, NULL), NMERR_SUCCESS);

        s = query(v.key);                    /* the check above may have added and freed one */
        EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
        assert_int_equal(ExpertHostDestroyKey(v.key, &r), NMERR_SUCCESS);
        assert_int_equal(r.LiveBlocks, s.LiveBlocks);
        assert_int_equal(r.LiveBytes, s.LiveBytes);
        CloseHandle(thread);
        assert_filled(kept, 0x5A, 50000);
    }
    assert_live(bystander, 1, 50000);
    assert_int_equal(ExpertHostDestroyKey(bystander, NULL), NMERR_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_thread_killed_while_busy_in_the_dll_keeps_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
