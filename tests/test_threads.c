/* Threads: terminate from another thread, destroy under calls in flight, many keys at once,
 * one key shared. Every wait is bounded; a hang fails the test instead of the suite. */
#include "nmapi_test.h"

#define WAIT_LIMIT_MS 60000

static void start_threads(HANDLE *threads, int n, LPTHREAD_START_ROUTINE fn, void *args, size_t arg_size)
{
    for (int i = 0; i < n; i++) {
        threads[i] = CreateThread(NULL, 0, fn, (char *)args + i * arg_size, 0, NULL);
        assert_non_null(threads[i]);
    }
}

/* Waits until *value reaches at_least, for at most WAIT_LIMIT_MS; returns whether it did. Used
 * by the test thread (which then fails) and by workers (which then return an error code). */
static int wait_until_at_least(LONG volatile *value, LONG at_least)
{
    DWORD start = GetTickCount();
    while (InterlockedCompareExchange(value, 0, 0) < at_least) {
        if (GetTickCount() - start > WAIT_LIMIT_MS)
            return 0;
        SwitchToThread();
    }
    return 1;
}

static void join_threads(HANDLE *threads, int n)
{
    assert_int_equal(WaitForMultipleObjects((DWORD)n, threads, TRUE, WAIT_LIMIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < n; i++) {
        DWORD code = 1;
        GetExitCodeThread(threads[i], &code);
        assert_int_equal(code, 0);
        CloseHandle(threads[i]);
    }
}

/* --- terminate while the expert allocates ------------------------------------------------ */
struct expert_loop {
    HEXPERTKEY key;
    LONG volatile allocations;
    DWORD final_error;
};

static DWORD WINAPI allocate_until_terminated(LPVOID arg)
{
    struct expert_loop *e = arg;
    void *held[64] = { 0 };
    for (unsigned i = 0;; i++) {
        DWORD error = POISON_ERROR;
        void *p = ExpertAllocMemory(e->key, 1 + i % 512, &error);
        if (!p) {
            e->final_error = error;
            break;
        }
        InterlockedIncrement(&e->allocations);
        if (held[i % 64] && ExpertFreeMemory(e->key, held[i % 64]) != NMERR_SUCCESS)
            return 1;
        held[i % 64] = p;
    }
    for (int i = 0; i < 64; i++)   /* the documented clean-up after terminate */
        if (held[i] && ExpertFreeMemory(e->key, held[i]) != NMERR_SUCCESS)
            return 2;
    return 0;
}

static void test_terminate_from_another_thread_stops_allocating_expert(void **state)
{
    struct expert_loop e = { *state, 0, 0 };
    HANDLE thread;
    start_threads(&thread, 1, allocate_until_terminated, &e, sizeof e);
    assert_true(wait_until_at_least(&e.allocations, 1000));
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    join_threads(&thread, 1);
    assert_int_equal(e.final_error, NMERR_EXPERT_TERMINATE);
    assert_live(*state, 0, 0);
}

/* --- destroy while calls are in flight ----------------------------------------------------- */
struct caller {
    HEXPERTKEY volatile *key;
    LONG volatile *go;
    unsigned calls_after_death;
    unsigned seed;
};

static DWORD WINAPI call_until_key_dies(LPVOID arg)
{
    struct caller *c = arg;
    if (!wait_until_at_least(c->go, 1))
        return 3;
    HEXPERTKEY key = *c->key;
    void *held[16] = { 0 };
    for (unsigned i = 0; c->calls_after_death < 200; i++) {
        c->seed = c->seed * 1103515245u + 12345u;
        unsigned slot = (c->seed >> 16) % 16;
        DWORD error = POISON_ERROR;
        switch ((c->seed >> 8) % 4) {
        case 0: {
            void *p = ExpertAllocMemory(key, (c->seed >> 4) % 256, &error);
            if (p) {   /* never written: the key may be destroyed the moment the call returns */
                held[slot] = held[slot] ? (ExpertFreeMemory(key, held[slot]), p) : p;
            } else if (error != NMERR_INVALID_EXPERT_HANDLE) {
                return 1;
            }
            break;
        }
        case 1:
            if (held[slot]) {
                void *p = ExpertReallocMemory(key, held[slot], (c->seed >> 4) % 300, &error);
                if (p)
                    held[slot] = p;
                else if (error != NMERR_INVALID_EXPERT_HANDLE)
                    return 2;
            }
            break;
        case 2:
            error = ExpertFreeMemory(key, held[slot]);
            if (error == NMERR_SUCCESS)
                held[slot] = NULL;
            else if (error != NMERR_INVALID_EXPERT_HANDLE)
                return 3;
            break;
        default:
            if (ExpertMemorySize(key, held[slot]) == SIZE_FAILED && held[slot])
                error = NMERR_INVALID_EXPERT_HANDLE;
            break;
        }
        if (error == NMERR_INVALID_EXPERT_HANDLE)
            c->calls_after_death++;
    }
    return 0;
}

static void test_destroy_while_calls_are_in_flight(void **state)
{
    (void)state;
    enum { THREADS = 4, ROUNDS = 20 };
    for (int round = 0; round < ROUNDS; round++) {
        HEXPERTKEY volatile key;
        HEXPERTKEY k;
        assert_int_equal(ExpertHostCreateKey(NULL, &k), NMERR_SUCCESS);
        key = k;
        LONG volatile go = 0;
        struct caller callers[THREADS];
        HANDLE threads[THREADS];
        for (int i = 0; i < THREADS; i++)
            callers[i] = (struct caller){ &key, &go, 0, (unsigned)(round * 31 + i) };
        start_threads(threads, THREADS, call_until_key_dies, callers, sizeof callers[0]);
        InterlockedExchange(&go, 1);
        Sleep(round % 5);
        EXPERTHOSTMEMORYSTATS reclaimed = { .cbSize = sizeof reclaimed };
        assert_int_equal(ExpertHostDestroyKey(k, &reclaimed), NMERR_SUCCESS);
        join_threads(threads, THREADS);
        assert_true(reclaimed.LiveBlocks <= THREADS * 16);
        assert_int_equal(ExpertHostDestroyKey(k, NULL), NMERR_INVALID_EXPERT_HANDLE);
    }
}

/* --- several keys, several threads; one key, several threads --------------------------------- */
struct churner {
    HEXPERTKEY key;
    unsigned seed;
    SIZE_T final_blocks, final_bytes;
};

static DWORD WINAPI churn_pattern_stamped_blocks(LPVOID arg)
{
    struct churner *c = arg;
    enum { SLOTS = 128 };
    unsigned char *blocks[SLOTS] = { 0 };
    SIZE_T sizes[SLOTS] = { 0 };
    for (int i = 0; i < 20000; i++) {
        c->seed = c->seed * 1103515245u + 12345u;
        unsigned s = (c->seed >> 16) % SLOTS;
        if (blocks[s]) {
            unsigned char stamp = (unsigned char)((uintptr_t)blocks[s] >> 4);
            for (SIZE_T b = 0; b < sizes[s]; b++)
                if (blocks[s][b] != stamp)
                    return 1;   /* another thread wrote into this block */
            if (ExpertMemorySize(c->key, blocks[s]) != sizes[s])
                return 2;
            if (ExpertFreeMemory(c->key, blocks[s]) != NMERR_SUCCESS)
                return 3;
        }
        sizes[s] = (c->seed >> 3) % 700;
        blocks[s] = ExpertAllocMemory(c->key, sizes[s], NULL);
        if (!blocks[s])
            return 4;
        memset(blocks[s], (unsigned char)((uintptr_t)blocks[s] >> 4), sizes[s]);
    }
    c->final_blocks = SLOTS;
    for (int s = 0; s < SLOTS; s++)
        c->final_bytes += sizes[s];
    return 0;
}

static void test_threads_on_their_own_keys_keep_exact_accounts(void **state)
{
    (void)state;
    enum { THREADS = 4 };
    struct churner c[THREADS];
    HANDLE threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        c[i] = (struct churner){ NULL, 1000u + (unsigned)i, 0, 0 };
        assert_int_equal(ExpertHostCreateKey(NULL, &c[i].key), NMERR_SUCCESS);
    }
    start_threads(threads, THREADS, churn_pattern_stamped_blocks, c, sizeof c[0]);
    join_threads(threads, THREADS);
    for (int i = 0; i < THREADS; i++) {
        EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
        assert_int_equal(ExpertHostDestroyKey(c[i].key, &r), NMERR_SUCCESS);
        assert_int_equal(r.LiveBlocks, c[i].final_blocks);
        assert_int_equal(r.LiveBytes, c[i].final_bytes);
    }
}

static void test_threads_sharing_one_key_keep_exact_accounts(void **state)
{
    enum { THREADS = 4 };
    struct churner c[THREADS];
    HANDLE threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        c[i] = (struct churner){ *state, 7u * (unsigned)i + 1u, 0, 0 };
    start_threads(threads, THREADS, churn_pattern_stamped_blocks, c, sizeof c[0]);
    join_threads(threads, THREADS);
    SIZE_T blocks = 0, bytes = 0;
    for (int i = 0; i < THREADS; i++) {
        blocks += c[i].final_blocks;
        bytes += c[i].final_bytes;
    }
    assert_live(*state, blocks, bytes);
    assert_int_equal(query(*state).TotalAllocations, THREADS * 20000);
}

/* --- racing destroyers ------------------------------------------------------------------------ */
struct destroyer { HEXPERTKEY key; LONG volatile *go; DWORD result; };

static DWORD WINAPI destroy_when_told(LPVOID arg)
{
    struct destroyer *d = arg;
    if (!wait_until_at_least(d->go, 1))
        return 3;
    d->result = ExpertHostDestroyKey(d->key, NULL);
    return 0;
}

static void test_only_one_of_racing_destroyers_succeeds(void **state)
{
    (void)state;
    enum { THREADS = 4 };
    for (int round = 0; round < 50; round++) {
        HEXPERTKEY key;
        assert_int_equal(ExpertHostCreateKey(NULL, &key), NMERR_SUCCESS);
        ExpertAllocMemory(key, 100, NULL);
        LONG volatile go = 0;
        struct destroyer d[THREADS];
        HANDLE threads[THREADS];
        for (int i = 0; i < THREADS; i++)
            d[i] = (struct destroyer){ key, &go, POISON_ERROR };
        start_threads(threads, THREADS, destroy_when_told, d, sizeof d[0]);
        InterlockedExchange(&go, 1);
        join_threads(threads, THREADS);
        int successes = 0;
        for (int i = 0; i < THREADS; i++) {
            if (d[i].result == NMERR_SUCCESS)
                successes++;
            else
                assert_int_equal(d[i].result, NMERR_INVALID_EXPERT_HANDLE);
        }
        assert_int_equal(successes, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_terminate_from_another_thread_stops_allocating_expert, key_setup, key_teardown),
        cmocka_unit_test(test_destroy_while_calls_are_in_flight),
        cmocka_unit_test(test_threads_on_their_own_keys_keep_exact_accounts),
        cmocka_unit_test_setup_teardown(test_threads_sharing_one_key_keep_exact_accounts, key_setup, key_teardown),
        cmocka_unit_test(test_only_one_of_racing_destroyers_succeeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
