/* The host API's key life cycle: creation arguments, opaque keys, terminate, exact statistics,
 * destroy-and-reclaim, and dead keys (destroyed, reused slot, forged) recognised everywhere. */
#include "nmapi_test.h"

static DWORD heap_count(void) { return GetProcessHeaps(0, NULL); }

/* The reservation (VirtualAlloc region) p lies in, or NULL when p is in no reserved memory. */
static void *region_of(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(p, &mbi, sizeof mbi) != sizeof mbi || mbi.State == MEM_FREE)
        return NULL;
    return mbi.AllocationBase;
}

/* Is p in private memory that no Win32 heap of the process owns? */
static int outside_every_heap(const void *p)
{
    HANDLE heaps[256];
    DWORD n = GetProcessHeaps(256, heaps);
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(p, &mbi, sizeof mbi) != sizeof mbi || mbi.Type != MEM_PRIVATE)
        return 0;
    for (DWORD i = 0; i < n && i < 256; i++)
        if (mbi.AllocationBase == (void *)heaps[i])
            return 0;
    return 1;
}

static void test_create_without_info_gives_defaults(void **state)
{
    (void)state;
    HEXPERTKEY key = NULL;
    assert_int_equal(ExpertHostCreateKey(NULL, &key), NMERR_SUCCESS);
    assert_non_null(key);
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBlocks, 0);
    assert_int_equal(s.MemoryLimit, 0);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_create_rejects_bad_arguments(void **state)
{
    (void)state;
    EXPERTHOSTKEYINFO info;
    HEXPERTKEY key = (HEXPERTKEY)(uintptr_t)0x1234;
    assert_int_equal(ExpertHostCreateKey(NULL, NULL), NMERR_INVALID_PARAMETER);
    const DWORD sizes[] = { 0, sizeof info - 1, sizeof info + 1, sizeof info / 2, 0xFFFFFFFFu };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        memset(&info, 0, sizeof info);
        info.cbSize = sizes[i];
        assert_int_equal(ExpertHostCreateKey(&info, &key), NMERR_INVALID_PARAMETER);
    }
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    info.Flags = 2;   /* not a defined flag */
    assert_int_equal(ExpertHostCreateKey(&info, &key), NMERR_INVALID_PARAMETER);
    info.Flags = 0;
    assert_int_equal(ExpertHostCreateKey(&info, NULL), NMERR_INVALID_PARAMETER);
    assert_ptr_equal(key, (HEXPERTKEY)(uintptr_t)0x1234);   /* untouched on failure */
}

static void test_keys_are_never_dereferenceable(void **state)
{
    (void)state;
    HEXPERTKEY keys[64];
    for (int i = 0; i < 64; i++) {
        assert_int_equal(ExpertHostCreateKey(NULL, &keys[i]), NMERR_SUCCESS);
        MEMORY_BASIC_INFORMATION mbi;
        SIZE_T got = VirtualQuery(keys[i], &mbi, sizeof mbi);
        assert_true(got == 0 || mbi.State == MEM_FREE);
        for (int j = 0; j < i; j++)
            assert_ptr_not_equal(keys[i], keys[j]);
    }
    for (int i = 0; i < 64; i++)
        assert_int_equal(ExpertHostDestroyKey(keys[i], NULL), NMERR_SUCCESS);
}

static void test_destroy_reclaims_everything_and_reports_it(void **state)
{
    (void)state;
    DWORD heaps_before = heap_count();
    HEXPERTKEY key = create_key_with_limit(1 << 24);
    assert_int_equal(heap_count(), heaps_before);          /* a key is not a Win32 heap */
    SIZE_T bytes = 0;
    static void *blocks[1000];
    for (SIZE_T i = 0; i < 1000; i++) {
        void *p = blocks[i] = ExpertAllocMemory(key, i * 13, NULL);
        assert_non_null(p);
        assert_true(outside_every_heap(p));
        bytes += i * 13;
    }
    void *p = ExpertAllocMemory(key, 500, NULL);
    ExpertFreeMemory(key, p);
    ExpertAllocMemory(key, (SIZE_T)1 << 25, NULL);   /* refused by the limit */

    EXPERTHOSTMEMORYSTATS reclaimed;
    memset(&reclaimed, 0, sizeof reclaimed);
    reclaimed.cbSize = sizeof reclaimed;
    assert_int_equal(ExpertHostDestroyKey(key, &reclaimed), NMERR_SUCCESS);
    assert_int_equal(reclaimed.cbSize, sizeof reclaimed);
    assert_int_equal(reclaimed.LiveBlocks, 1000);
    assert_int_equal(reclaimed.LiveBytes, bytes);
    assert_int_equal(reclaimed.PeakBytes, bytes + 500);
    assert_int_equal(reclaimed.TotalAllocations, 1001);
    assert_int_equal(reclaimed.FailedAllocations, 1);
    assert_int_equal(reclaimed.MemoryLimit, 1 << 24);
    /* Every region of the key went back to the OS at once. */
    for (SIZE_T i = 0; i < 1000; i++)
        assert_null(region_of(blocks[i]));
}

static void test_destroy_with_wrong_cbsize_keeps_key_alive(void **state)
{
    EXPERTHOSTMEMORYSTATS reclaimed;
    memset(&reclaimed, 0, sizeof reclaimed);
    reclaimed.cbSize = sizeof reclaimed - 4;
    void *p = ExpertAllocMemory(*state, 8, NULL);
    assert_int_equal(ExpertHostDestroyKey(*state, &reclaimed), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertMemorySize(*state, p), 8);
    assert_int_equal(ExpertHostDestroyKey(destroyed_key(), &reclaimed), NMERR_INVALID_EXPERT_HANDLE);
}

static void test_destroyed_key_is_dead_for_every_call(void **state)
{
    (void)state;
    HEXPERTKEY key;
    assert_int_equal(ExpertHostCreateKey(NULL, &key), NMERR_SUCCESS);
    void *p = ExpertAllocMemory(key, 16, NULL);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);

    DWORD error = POISON_ERROR;
    EXPERTHOSTMEMORYSTATS s;
    s.cbSize = sizeof s;
    EXPERTSTATUS st;
    assert_null(ExpertAllocMemory(key, 16, &error));
    assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
    assert_null(ExpertReallocMemory(key, p, 32, &error));
    assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertFreeMemory(key, p), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertMemorySize(key, p), SIZE_FAILED);
    assert_int_equal(ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 0, "x", 5), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertHostTerminate(key), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertHostQueryMemory(key, &s), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertHostGetStatus(key, &st), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_INVALID_EXPERT_HANDLE);
}

static void test_reused_slots_do_not_revive_old_keys(void **state)
{
    (void)state;
    /* More create/destroy cycles than the reuse quarantine, so slots come back. */
    enum { N = 400 };
    static HEXPERTKEY old[N];
    for (int i = 0; i < N; i++) {
        assert_int_equal(ExpertHostCreateKey(NULL, &old[i]), NMERR_SUCCESS);
        assert_non_null(ExpertAllocMemory(old[i], 8, NULL));
        assert_int_equal(ExpertHostDestroyKey(old[i], NULL), NMERR_SUCCESS);
    }
    HEXPERTKEY fresh[8];
    for (int j = 0; j < 8; j++) {
        assert_int_equal(ExpertHostCreateKey(NULL, &fresh[j]), NMERR_SUCCESS);
        for (int i = 0; i < N; i++)
            assert_ptr_not_equal(fresh[j], old[i]);
    }
    for (int i = 0; i < N; i++) {
        DWORD error = POISON_ERROR;
        assert_null(ExpertAllocMemory(old[i], 8, &error));
        assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertHostTerminate(old[i]), NMERR_INVALID_EXPERT_HANDLE);
    }
    for (int j = 0; j < 8; j++) {
        assert_live(fresh[j], 0, 0);   /* and none was terminated through an old key */
        assert_non_null(ExpertAllocMemory(fresh[j], 8, NULL));
        assert_int_equal(ExpertHostDestroyKey(fresh[j], NULL), NMERR_SUCCESS);
    }
}

static void test_forged_keys_are_rejected_by_host_calls(void **state)
{
    HEXPERTKEY forged[MAX_FORGED_KEYS];
    size_t n = forged_keys(*state, forged);
    EXPERTHOSTMEMORYSTATS s;
    s.cbSize = sizeof s;
    EXPERTSTATUS st;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ExpertHostTerminate(forged[i]), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertHostQueryMemory(forged[i], &s), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertHostGetStatus(forged[i], &st), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertHostDestroyKey(forged[i], NULL), NMERR_INVALID_EXPERT_HANDLE);
    }
    assert_non_null(ExpertAllocMemory(*state, 1, NULL));   /* the live key was not touched */
}

static void test_query_checks_its_arguments(void **state)
{
    EXPERTHOSTMEMORYSTATS s;
    memset(&s, 0, sizeof s);
    assert_int_equal(ExpertHostQueryMemory(*state, NULL), NMERR_INVALID_PARAMETER);
    s.cbSize = sizeof s + 8;
    assert_int_equal(ExpertHostQueryMemory(*state, &s), NMERR_INVALID_PARAMETER);
    s.cbSize = 0;
    assert_int_equal(ExpertHostQueryMemory(*state, &s), NMERR_INVALID_PARAMETER);
    assert_int_equal(s.LiveBlocks, 0);
}

static void test_query_tracks_peak_and_counters_exactly(void **state)
{
    HEXPERTKEY key = *state;
    void *a = ExpertAllocMemory(key, 1000, NULL);
    void *b = ExpertAllocMemory(key, 2000, NULL);
    ExpertFreeMemory(key, a);
    void *c = ExpertReallocMemory(key, b, 500, NULL);
    void *d = ExpertReallocMemory(key, NULL, 10, NULL);
    ExpertAllocMemory(key, (SIZE_T)-1, NULL);
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBlocks, 2);
    assert_int_equal(s.LiveBytes, 510);
    assert_int_equal(s.PeakBytes, 3000);
    assert_int_equal(s.TotalAllocations, 3);
    assert_int_equal(s.FailedAllocations, 1);
    ExpertFreeMemory(key, c);
    ExpertFreeMemory(key, d);
    assert_live(key, 0, 0);
}

static void test_terminate_is_idempotent(void **state)
{
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    assert_int_equal(ExpertHostQueryMemory(*state, &(EXPERTHOSTMEMORYSTATS){ .cbSize = sizeof(EXPERTHOSTMEMORYSTATS) }),
                     NMERR_SUCCESS);
    assert_int_equal(ExpertHostDestroyKey(*state, NULL), NMERR_SUCCESS);
}

static void test_terminate_touches_only_its_key(void **state)
{
    HEXPERTKEY other;
    assert_int_equal(ExpertHostCreateKey(NULL, &other), NMERR_SUCCESS);
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    assert_non_null(ExpertAllocMemory(other, 8, NULL));
    assert_int_equal(ExpertHostDestroyKey(other, NULL), NMERR_SUCCESS);
}

static void test_many_keys_each_own_their_regions(void **state)
{
    (void)state;
    enum { N = 200 };
    static HEXPERTKEY keys[N];
    static void *regions[N];
    DWORD heaps_before = heap_count();
    for (int i = 0; i < N; i++) {
        assert_int_equal(ExpertHostCreateKey(NULL, &keys[i]), NMERR_SUCCESS);
        void *p = ExpertAllocMemory(keys[i], (SIZE_T)i + 1, NULL);
        assert_non_null(p);
        regions[i] = region_of(p);
        for (int j = 0; j < i; j++)
            assert_ptr_not_equal(regions[i], regions[j]);   /* no key shares another's */
    }
    assert_int_equal(heap_count(), heaps_before);
    for (int i = 0; i < N; i++) {
        EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
        assert_int_equal(ExpertHostDestroyKey(keys[i], &r), NMERR_SUCCESS);
        assert_int_equal(r.LiveBytes, (SIZE_T)i + 1);
        assert_null(region_of(regions[i]));
    }
}

static char debug_line[256];

static LONG CALLBACK catch_debug_string(EXCEPTION_POINTERS *e)
{
    /* OutputDebugStringA raises DBG_PRINTEXCEPTION_C; vectored handlers see it first. */
    if (e->ExceptionRecord->ExceptionCode != DBG_PRINTEXCEPTION_C)
        return EXCEPTION_CONTINUE_SEARCH;
    lstrcpynA(debug_line, (const char *)e->ExceptionRecord->ExceptionInformation[1], sizeof debug_line);
    return EXCEPTION_CONTINUE_EXECUTION;
}

static void test_destroy_names_a_leaking_expert_to_the_debugger(void **state)
{
    (void)state;
    PVOID handler = AddVectoredExceptionHandler(1, catch_debug_string);
    EXPERTHOSTKEYINFO info = key_info();
    info.szDisplayName = "Leaky test expert";
    HEXPERTKEY key = create_key_from(&info);
    ExpertAllocMemory(key, 10, NULL);
    ExpertAllocMemory(key, 20, NULL);
    debug_line[0] = '\0';
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
    assert_string_equal(debug_line, "nmapi: expert \"Leaky test expert\" left 2 blocks (30 bytes); reclaimed\n");

    key = create_key_from(&info);                       /* nothing left: nothing said */
    ExpertFreeMemory(key, ExpertAllocMemory(key, 10, NULL));
    debug_line[0] = '\0';
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
    assert_string_equal(debug_line, "");
    RemoveVectoredExceptionHandler(handler);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_without_info_gives_defaults),
        cmocka_unit_test(test_create_rejects_bad_arguments),
        cmocka_unit_test(test_keys_are_never_dereferenceable),
        cmocka_unit_test(test_destroy_reclaims_everything_and_reports_it),
        cmocka_unit_test_setup_teardown(test_destroy_with_wrong_cbsize_keeps_key_alive, key_setup, key_teardown),
        cmocka_unit_test(test_destroyed_key_is_dead_for_every_call),
        cmocka_unit_test(test_reused_slots_do_not_revive_old_keys),
        cmocka_unit_test_setup_teardown(test_forged_keys_are_rejected_by_host_calls, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_query_checks_its_arguments, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_query_tracks_peak_and_counters_exactly, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_terminate_is_idempotent, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_terminate_touches_only_its_key, key_setup, key_teardown),
        cmocka_unit_test(test_many_keys_each_own_their_regions),
        cmocka_unit_test(test_destroy_names_a_leaking_expert_to_the_debugger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
