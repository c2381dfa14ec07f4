/*
 * A fault while the DLL touches an expert's memory - zeroing a new block, copying a moved one,
 * clearing what an in-place growth adds, checking a guard - holds nothing of the DLL. A
 * vectored handler plays the expert's fault handler: while the fault is being handled (the
 * faulting call has not returned), another thread calls the same key and must be answered at
 * once, which it could not be if the call still held the key's gate; the handler then gives the
 * page its access back and the faulting call completes, with exact figures and a destroy that
 * succeeds. (A fault that the expert catches with __except, unwinding the DLL's frames, is
 * tests/msvc/seh_expert.c.)
 */
#include <windows.h>

#include "nmapi_test.h"

#define PAGE 4096u

static struct {
    char *volatile page;   /* the page made inaccessible, NULL once its access is back */
    DWORD restore;         /* its protection before */
    HEXPERTKEY key;
    LONG faults;           /* faults seen on the page */
    LONG answered;         /* ... during which the other thread's calls were all answered */
} trap;

/* Calls every allocator entry point on the trapped key; 0 when all were answered right. Its
 * blocks are whole pages of their own, never on the trapped page. */
static DWORD WINAPI other_thread(LPVOID unused)
{
    (void)unused;
    void *p = ExpertAllocMemory(trap.key, 5 * PAGE, NULL);
    if (!p)
        return 1;
    if (ExpertMemorySize(trap.key, p) != 5 * PAGE)
        return 2;
    if (!(p = ExpertReallocMemory(trap.key, p, 9 * PAGE, NULL)))
        return 3;
    if (ExpertFreeMemory(trap.key, p) != NMERR_SUCCESS)
        return 4;
    EXPERTHOSTMEMORYSTATS s = { .cbSize = sizeof s };
    return ExpertHostQueryMemory(trap.key, &s) == NMERR_SUCCESS ? 0 : 5;
}

static LONG CALLBACK on_fault(EXCEPTION_POINTERS *e)
{
    const EXCEPTION_RECORD *r = e->ExceptionRecord;
    char *page = trap.page;
    if (r->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || r->NumberParameters < 2 || !page)
        return EXCEPTION_CONTINUE_SEARCH;
    char *at = (char *)r->ExceptionInformation[1];
    if (at < page || at >= page + PAGE)
        return EXCEPTION_CONTINUE_SEARCH;
    trap.faults++;
    HANDLE t = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    DWORD code = 99;
    if (t && WaitForSingleObject(t, 10000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) &&
        code == 0)
        trap.answered++;
    DWORD old;
    VirtualProtect(page, PAGE, trap.restore, &old);
    trap.page = NULL;
    if (t)
        CloseHandle(t);   /* had it blocked on the key, it goes on once the call returns */
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* Makes the page holding `inside` `access` until the handler has seen a fault on it. */
static void arm(HEXPERTKEY key, const void *inside, DWORD access)
{
    trap.key = key;
    trap.faults = trap.answered = 0;
    char *page = (char *)((uintptr_t)inside & ~(uintptr_t)(PAGE - 1));
    assert_true(VirtualProtect(page, PAGE, access, &trap.restore));
    trap.page = page;
}

static void assert_trapped_once(void)
{
    assert_null(trap.page);
    assert_int_equal(trap.faults, 1);
    assert_int_equal(trap.answered, 1);
}

static void destroy_expecting(HEXPERTKEY key, SIZE_T blocks, SIZE_T bytes)
{
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    assert_int_equal(ExpertHostDestroyKey(key, &r), NMERR_SUCCESS);
    assert_int_equal(r.LiveBlocks, blocks);
    assert_int_equal(r.LiveBytes, bytes);
}

static void test_zeroing_a_new_block_on_a_page_the_expert_made_read_only(void **state)
{
    (void)state;
    HEXPERTKEY key = create_key_with_limit(0);
    char *blocks[64];
    for (int i = 0; i < 64; i++) {
        blocks[i] = ExpertAllocMemory(key, 48, NULL);
        assert_non_null(blocks[i]);
        memset(blocks[i], 0x6C, 48);
    }
    assert_int_equal(ExpertFreeMemory(key, blocks[10]), NMERR_SUCCESS);
    arm(key, blocks[10], PAGE_READONLY);
    char *p = NULL;
    for (int i = 0; i < 64 && trap.page; i++)   /* until the freed slot is handed out again */
        assert_non_null(p = ExpertAllocMemory(key, 48, NULL));
    assert_trapped_once();
    assert_filled(p, 0, 48);
    EXPERTHOSTMEMORYSTATS s = query(key);
    destroy_expecting(key, s.LiveBlocks, s.LiveBlocks * 48);
}

static void test_copying_a_moved_block_from_a_page_the_expert_made_inaccessible(void **state)
{
    (void)state;
    HEXPERTKEY key = create_key_with_limit(0);
    char *p = ExpertAllocMemory(key, 100, NULL);
    assert_non_null(p);
    memset(p, 0x5A, 100);
    arm(key, p, PAGE_NOACCESS);
    char *q = ExpertReallocMemory(key, p, 40000, NULL);   /* from a slab to pages: moves */
    assert_trapped_once();
    assert_non_null(q);
    assert_ptr_not_equal(q, p);
    assert_filled(q, 0x5A, 100);
    assert_filled(q + 100, 0, 40000 - 100);
    assert_int_equal(ExpertMemorySize(key, p), SIZE_FAILED);
    assert_int_equal(ExpertMemorySize(key, q), 40000);
    destroy_expecting(key, 1, 40000);
}

static void test_clearing_an_in_place_growth_on_a_page_the_expert_made_read_only(void **state)
{
    (void)state;
    HEXPERTKEY key = create_key_with_limit(0);
    char *p = ExpertAllocMemory(key, 30000, NULL);
    assert_non_null(p);
    assert_ptr_equal(ExpertReallocMemory(key, p, 20000, NULL), p);   /* shrinks where it is */
    memset(p, 0x3C, 20000);
    p[20000] = 0x3C;                     /* past its size, on its last page: to be cleared */
    arm(key, p + 20000, PAGE_READONLY);
    assert_ptr_equal(ExpertReallocMemory(key, p, 24000, NULL), p);   /* grows where it is */
    assert_trapped_once();
    assert_filled(p, 0x3C, 20000);
    assert_filled(p + 20000, 0, 4000);
    destroy_expecting(key, 1, 24000);
}

static void test_checking_a_guard_on_a_page_the_expert_made_inaccessible(void **state)
{
    (void)state;
    EXPERTHOSTKEYINFO info = key_info();
    info.Flags = EXPERTHOST_FLAG_CHECK_CORRUPTION;
    HEXPERTKEY key = create_key_from(&info);
    char *p = ExpertAllocMemory(key, 5000, NULL);
    assert_non_null(p);
    arm(key, p + 5000, PAGE_NOACCESS);    /* the page of its guard */
    assert_int_equal(ExpertFreeMemory(key, p), NMERR_SUCCESS);
    assert_trapped_once();
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBlocks, 0);
    assert_int_equal(s.OverrunsDetected, 0);
    destroy_expecting(key, 0, 0);
}

int main(void)
{
    PVOID handler = AddVectoredExceptionHandler(1, on_fault);
    if (!handler)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroing_a_new_block_on_a_page_the_expert_made_read_only),
        cmocka_unit_test(test_copying_a_moved_block_from_a_page_the_expert_made_inaccessible),
        cmocka_unit_test(test_clearing_an_in_place_growth_on_a_page_the_expert_made_read_only),
        cmocka_unit_test(test_checking_a_guard_on_a_page_the_expert_made_inaccessible),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    RemoveVectoredExceptionHandler(handler);
    return failed;
}
