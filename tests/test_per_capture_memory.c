/*
 * test_per_capture_memory.c - per-capture memory (CCHeapAlloc, CCHeapReAlloc, CCHeapFree,
 * CCHeapSize) and the per-capture instance pointer (SetCCInstPtr, GetCCInstPtr), as
 * include/nmapi.h gives them: blocks on the capture's own key, zero-filled, exactly sized and
 * counted, ownership checked, reclaimed and reported by ExpertHostCloseCapture; and the
 * capture they use - the capture of the key whose ExpertGetFrame or ExpertGetStartupInfo the
 * calling thread called last, if still open, else the capture opened last that is still open.
 * Capture files from the captures fixture, whose folder is argv[1].
 */
#include "capture_fixture.h"

static HCAPTURE open_captures[16];
static HEXPERTKEY live_keys[16];
static int n_captures, n_keys;

static int cleanup(void **state)
{
    (void)state;
    for (int i = 0; i < n_captures; i++)
        ExpertHostCloseCapture(open_captures[i], NULL);
    for (int i = 0; i < n_keys; i++)
        ExpertHostDestroyKey(live_keys[i], NULL);
    n_captures = n_keys = 0;
    return 0;
}

static HCAPTURE open_capture(const char *file)
{
    HCAPTURE h = fixture_open(file);
    open_captures[n_captures++] = h;
    return h;
}

static HCAPTURE open_all(void) { return open_capture("all.pcap"); }

static void close_capture(HCAPTURE h, EXPERTHOSTMEMORYSTATS *reclaimed)
{
    if (reclaimed) {
        memset(reclaimed, 0xEE, sizeof *reclaimed);
        reclaimed->cbSize = sizeof *reclaimed;
    }
    assert_int_equal(ExpertHostCloseCapture(h, reclaimed), NMERR_SUCCESS);
}

static HEXPERTKEY capture_key(HCAPTURE h)
{
    EXPERTSTARTUPINFO startup;
    HEXPERTKEY key = fixture_capture_key(h, NULL, &startup, NULL);
    live_keys[n_keys++] = key;
    return key;
}

/* Binds the calling thread to the key's capture through ExpertGetStartupInfo. */
static void bind_by_startup(HEXPERTKEY key)
{
    EXPERTSTARTUPINFO s;
    assert_int_equal(ExpertGetStartupInfo(key, &s), NMERR_SUCCESS);
}

/* A capture open and bound: the calling thread's current capture. */
static HCAPTURE bound_capture(void)
{
    HCAPTURE h = open_all();
    bind_by_startup(capture_key(h));
    return h;
}

static EXPERTHOSTCAPTUREINFO query_capture(HCAPTURE h)
{
    EXPERTHOSTCAPTUREINFO info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    assert_int_equal(ExpertHostQueryCapture(h, &info), NMERR_SUCCESS);
    return info;
}

/* A macro, so that a failure names the caller's line. */
#define assert_ccheap(h, blocks, bytes)                                     \
    do {                                                                    \
        EXPERTHOSTCAPTUREINFO info_ = query_capture(h);                     \
        assert_int_equal(info_.CCHeapBlocks, (blocks));                     \
        assert_int_equal(info_.CCHeapBytes, (bytes));                       \
    } while (0)

/* --- A thread of its own (bound to nothing until it binds) ------------------------------- */

struct worker {
    HEXPERTKEY bind_key;         /* bound through it, when not NULL */
    int bind_by_frame;           /* through ExpertGetFrame rather than ExpertGetStartupInfo */
    void *set_instance;          /* given to SetCCInstPtr when not NULL */
    DWORD alloc_bytes;           /* a CCHeapAlloc of this size when not 0 */
    HANDLE ready, go;            /* the worker signals ready, then waits for go */
    DWORD bind_error;
    void *got_instance;
    void *block;
    SIZE_T block_size;
};

static DWORD WINAPI worker_main(LPVOID p)
{
    struct worker *w = p;
    if (w->bind_key) {
        if (w->bind_by_frame) {
            EXPERTFRAMEDESCRIPTOR d;
            w->bind_error = ExpertGetFrame(w->bind_key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d);
        } else {
            EXPERTSTARTUPINFO s;
            w->bind_error = ExpertGetStartupInfo(w->bind_key, &s);
        }
    }
    if (w->set_instance)
        SetCCInstPtr(w->set_instance);
    if (w->ready)
        SetEvent(w->ready);
    if (w->go)
        WaitForSingleObject(w->go, INFINITE);
    w->got_instance = GetCCInstPtr();
    if (w->alloc_bytes) {
        w->block = CCHeapAlloc(w->alloc_bytes, FALSE);
        w->block_size = CCHeapSize(w->block);
    }
    return 0;
}

static HANDLE start(struct worker *w)
{
    HANDLE t = CreateThread(NULL, 0, worker_main, w, 0, NULL);
    assert_non_null(t);
    return t;
}

static void finish(HANDLE t)
{
    assert_int_equal(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CloseHandle(t);
}

static void run(struct worker *w) { finish(start(w)); }

/* --- No capture --------------------------------------------------------------------------- */

static void test_ccheap_alloc_without_capture_is_null(void **state)
{
    (void)state;
    int on_stack = 0;
    assert_null(CCHeapAlloc(16, TRUE));
    assert_null(CCHeapAlloc(0, FALSE));
    assert_null(CCHeapReAlloc(NULL, 16, TRUE));
    assert_int_equal(CCHeapSize(&on_stack), 0);
    assert_false(CCHeapFree(&on_stack));
    assert_false(CCHeapFree(NULL));
}

static void test_cc_inst_ptr_without_capture_is_nothing(void **state)
{
    (void)state;
    int mine = 0;
    SetCCInstPtr(&mine);
    assert_null(GetCCInstPtr());
    HCAPTURE h = bound_capture();                 /* and nothing was kept for a later one */
    assert_null(GetCCInstPtr());
    (void)h;
}

static void test_ccheap_alloc_after_the_only_capture_closed_is_null(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    void *p = CCHeapAlloc(8, FALSE);
    assert_non_null(p);
    close_capture(h, NULL);
    assert_null(CCHeapAlloc(8, FALSE));
    assert_int_equal(CCHeapSize(p), 0);
    assert_false(CCHeapFree(p));
    assert_null(GetCCInstPtr());
}

/* --- Blocks ------------------------------------------------------------------------------- */

static void test_ccheap_alloc_is_zero_filled(void **state)
{
    (void)state;
    bound_capture();
    unsigned char *p = CCHeapAlloc(4096, FALSE);
    assert_non_null(p);
    assert_filled(p, 0, 4096);
    fill(p, 0xAB, 4096);
    assert_true(CCHeapFree(p));
    unsigned char *q = CCHeapAlloc(4096, FALSE);
    assert_non_null(q);
    assert_filled(q, 0, 4096);
    unsigned char *r = CCHeapAlloc(100, TRUE);
    assert_filled(r, 0, 100);
}

static void test_ccheap_alloc_is_aligned(void **state)
{
    (void)state;
    bound_capture();
    for (DWORD n = 1; n < 200; n += 13) {
        void *p = CCHeapAlloc(n, FALSE);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % MEMORY_ALLOCATION_ALIGNMENT, 0);
    }
}

static void test_ccheap_size_is_exact(void **state)
{
    (void)state;
    bound_capture();
    static const DWORD sizes[] = { 1, 7, 13, 16, 4095, 4096, 100000 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        void *p = CCHeapAlloc(sizes[i], FALSE);
        assert_non_null(p);
        assert_int_equal(CCHeapSize(p), sizes[i]);
    }
}

static void test_ccheap_alloc_of_0_is_a_unique_live_block(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    void *a = CCHeapAlloc(0, FALSE), *b = CCHeapAlloc(0, FALSE);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(CCHeapSize(a), 0);
    assert_ccheap(h, 2, 0);
    assert_true(CCHeapFree(a));
    assert_ccheap(h, 1, 0);
}

static void test_ccheap_realloc_keeps_contents_and_zeroes_added_bytes(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    unsigned char *p = CCHeapAlloc(100, FALSE);
    fill(p, 0x5A, 100);
    unsigned char *q = CCHeapReAlloc(p, 20000, FALSE);
    assert_non_null(q);
    assert_int_equal(CCHeapSize(q), 20000);
    assert_filled(q, 0x5A, 100);
    assert_filled(q + 100, 0, 20000 - 100);
    assert_ccheap(h, 1, 20000);
    unsigned char *r = CCHeapReAlloc(q, 10, FALSE);
    assert_non_null(r);
    assert_int_equal(CCHeapSize(r), 10);
    assert_filled(r, 0x5A, 10);
    unsigned char *s = CCHeapReAlloc(r, 50, FALSE);
    assert_filled(s, 0x5A, 10);
    assert_filled(s + 10, 0, 40);             /* what shrinking cut off is not seen again */
    assert_ccheap(h, 1, 50);
}

static void test_ccheap_realloc_of_null_allocates(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    unsigned char *p = CCHeapReAlloc(NULL, 64, FALSE);
    assert_non_null(p);
    assert_int_equal(CCHeapSize(p), 64);
    assert_filled(p, 0, 64);
    assert_ccheap(h, 1, 64);
}

static void test_ccheap_realloc_to_0_keeps_a_live_block(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    void *p = CCHeapAlloc(64, FALSE);
    void *q = CCHeapReAlloc(p, 0, FALSE);
    assert_non_null(q);
    assert_int_equal(CCHeapSize(q), 0);
    assert_ccheap(h, 1, 0);
    assert_true(CCHeapFree(q));
}

static void test_ccheap_free_is_true_then_false(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    void *p = CCHeapAlloc(32, FALSE);
    assert_true(CCHeapFree(p));
    assert_false(CCHeapFree(p));
    assert_int_equal(CCHeapSize(p), 0);
    assert_null(CCHeapReAlloc(p, 64, FALSE));
    assert_ccheap(h, 0, 0);
}

static void test_ccheap_free_of_null_is_false(void **state)
{
    (void)state;
    bound_capture();
    assert_false(CCHeapFree(NULL));
    assert_int_equal(CCHeapSize(NULL), 0);
}

static void test_ccheap_refuses_foreign_pointers(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    HEXPERTKEY expert = NULL;
    assert_int_equal(ExpertHostCreateKey(NULL, &expert), NMERR_SUCCESS);
    live_keys[n_keys++] = expert;
    unsigned char *expert_block = ExpertAllocMemory(expert, 48, NULL);
    fill(expert_block, 0x11, 48);
    unsigned char *mine = CCHeapAlloc(48, FALSE);
    fill(mine, 0x22, 48);
    static char some_static[64];
    char on_stack[64];
    void *heap = malloc(64);
    void *foreign[] = { expert_block, on_stack, some_static, heap, mine + 1, mine + 16,
                        (void *)(uintptr_t)1, (void *)~(uintptr_t)0 };
    for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++) {
        print_message("foreign pointer %u\n", (unsigned)i);
        assert_int_equal(CCHeapSize(foreign[i]), 0);
        assert_null(CCHeapReAlloc(foreign[i], 128, FALSE));
        assert_false(CCHeapFree(foreign[i]));
    }
    free(heap);
    assert_int_equal(ExpertMemorySize(expert, expert_block), 48);
    assert_filled(expert_block, 0x11, 48);
    assert_live(expert, 1, 48);
    assert_filled(mine, 0x22, 48);
    assert_ccheap(h, 1, 48);
}

static void test_ccheap_refuses_a_block_of_another_capture(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    HEXPERTKEY ka = capture_key(a), kb = capture_key(b);
    bind_by_startup(ka);
    void *p = CCHeapAlloc(24, FALSE);
    assert_non_null(p);
    bind_by_startup(kb);
    assert_int_equal(CCHeapSize(p), 0);
    assert_null(CCHeapReAlloc(p, 48, FALSE));
    assert_false(CCHeapFree(p));
    bind_by_startup(ka);
    assert_int_equal(CCHeapSize(p), 24);
    assert_true(CCHeapFree(p));
    assert_ccheap(a, 0, 0);
    assert_ccheap(b, 0, 0);
}

/* --- Accounting and reclaim --------------------------------------------------------------- */

static void test_query_capture_counts_ccheap_exactly(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    assert_ccheap(h, 0, 0);
    void *a = CCHeapAlloc(10, FALSE), *b = CCHeapAlloc(20, FALSE), *c = CCHeapAlloc(30, FALSE);
    assert_ccheap(h, 3, 60);
    assert_true(CCHeapFree(b));
    assert_ccheap(h, 2, 40);
    a = CCHeapReAlloc(a, 1000, FALSE);
    assert_ccheap(h, 2, 1030);
    assert_true(CCHeapFree(a));
    assert_true(CCHeapFree(c));
    assert_ccheap(h, 0, 0);
}

static void test_close_capture_reclaims_what_was_left_exactly(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    void *a = CCHeapAlloc(100, FALSE);
    CCHeapAlloc(200, FALSE);
    CCHeapAlloc(300, FALSE);
    assert_true(CCHeapFree(a));
    assert_ccheap(h, 2, 500);
    EXPERTHOSTMEMORYSTATS s;
    close_capture(h, &s);
    assert_int_equal(s.cbSize, sizeof s);
    assert_int_equal(s.Reserved, 0);
    assert_int_equal(s.LiveBlocks, 2);
    assert_int_equal(s.LiveBytes, 500);
    assert_int_equal(s.PeakBytes, 600);
    assert_int_equal(s.MemoryLimit, 0);
    assert_int_equal(s.TotalAllocations, 3);
    assert_int_equal(s.FailedAllocations, 0);
    assert_int_equal(s.OverrunsDetected, 0);
    assert_int_equal(s.WritesAfterFreeDetected, 0);
}

static void test_close_capture_reclaims_nothing_when_all_was_freed(void **state)
{
    (void)state;
    HCAPTURE h = bound_capture();
    void *a = CCHeapAlloc(64, FALSE);
    assert_true(CCHeapFree(a));
    EXPERTHOSTMEMORYSTATS s;
    close_capture(h, &s);
    assert_int_equal(s.LiveBlocks, 0);
    assert_int_equal(s.LiveBytes, 0);
    assert_int_equal(s.TotalAllocations, 1);
    assert_int_equal(s.PeakBytes, 64);
}

static void test_close_capture_without_ccheap_use_reclaims_nothing(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    EXPERTHOSTMEMORYSTATS s;
    close_capture(h, &s);
    assert_int_equal(s.LiveBlocks, 0);
    assert_int_equal(s.LiveBytes, 0);
    assert_int_equal(s.TotalAllocations, 0);
}

static void test_close_capture_reclaims_only_its_own_blocks(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    HEXPERTKEY ka = capture_key(a), kb = capture_key(b);
    bind_by_startup(ka);
    CCHeapAlloc(11, FALSE);
    bind_by_startup(kb);
    void *kept = CCHeapAlloc(22, FALSE);
    CCHeapAlloc(33, FALSE);
    EXPERTHOSTMEMORYSTATS s;
    close_capture(a, &s);
    assert_int_equal(s.LiveBlocks, 1);
    assert_int_equal(s.LiveBytes, 11);
    assert_ccheap(b, 2, 55);
    assert_int_equal(CCHeapSize(kept), 22);
}

/* --- Which capture ------------------------------------------------------------------------ */

static void test_ccheap_uses_the_last_opened_capture_in_an_unbound_thread(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    struct worker w = { .alloc_bytes = 40 };
    run(&w);
    assert_non_null(w.block);
    assert_int_equal(w.block_size, 40);
    assert_ccheap(a, 0, 0);
    assert_ccheap(b, 1, 40);
}

static void test_ccheap_uses_the_capture_of_the_last_startup_info_key(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    struct worker w = { .bind_key = capture_key(a), .alloc_bytes = 40 };
    run(&w);
    assert_int_equal(w.bind_error, NMERR_SUCCESS);
    assert_int_equal(w.block_size, 40);
    assert_ccheap(a, 1, 40);
    assert_ccheap(b, 0, 0);
}

static void test_ccheap_uses_the_capture_of_the_last_get_frame_key(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    struct worker w = { .bind_key = capture_key(a), .bind_by_frame = 1, .alloc_bytes = 40 };
    run(&w);
    assert_int_equal(w.bind_error, NMERR_SUCCESS);
    assert_ccheap(a, 1, 40);
    assert_ccheap(b, 0, 0);
}

static void test_ccheap_follows_the_latest_binding_call(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all(), c = open_all();
    HEXPERTKEY ka = capture_key(a), kb = capture_key(b);
    bind_by_startup(kb);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(ExpertGetFrame(ka, GET_SPECIFIED_FRAME, 0, 3, NULL, &d), NMERR_SUCCESS);
    CCHeapAlloc(5, FALSE);
    bind_by_startup(kb);
    CCHeapAlloc(6, FALSE);
    assert_ccheap(a, 1, 5);
    assert_ccheap(b, 1, 6);
    assert_ccheap(c, 0, 0);
}

static void test_ccheap_falls_back_to_the_last_opened_when_the_bound_capture_closed(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    bind_by_startup(capture_key(a));
    close_capture(a, NULL);
    void *p = CCHeapAlloc(40, FALSE);
    assert_non_null(p);
    assert_ccheap(b, 1, 40);
}

static void test_ccheap_after_startup_info_of_a_key_without_capture_uses_the_last_opened(void **state)
{
    (void)state;
    HCAPTURE a = open_all();
    bind_by_startup(capture_key(a));
    HCAPTURE b = open_all();
    bind_by_startup(capture_key(NULL));    /* the last key asked names no capture */
    assert_non_null(CCHeapAlloc(40, FALSE));
    assert_ccheap(a, 0, 0);
    assert_ccheap(b, 1, 40);
}

static void test_ccheap_after_get_frame_on_a_closed_capture_uses_the_last_opened(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), c = open_all();
    HEXPERTKEY kc = capture_key(c);
    bind_by_startup(capture_key(a));
    HCAPTURE b = open_all();
    close_capture(c, NULL);
    EXPERTFRAMEDESCRIPTOR d;               /* the last key asked: kc, whose capture is closed */
    assert_int_equal(ExpertGetFrame(kc, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_INVALID_HCAPTURE);
    assert_non_null(CCHeapAlloc(40, FALSE));
    assert_ccheap(a, 0, 0);
    assert_ccheap(b, 1, 40);
}

static void test_ccheap_uses_the_latest_opened_still_open_after_the_last_closed(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    close_capture(a, NULL);
    HCAPTURE c = open_all(), d = open_all();    /* opened: b, c, d */
    close_capture(d, NULL);
    struct worker w = { .alloc_bytes = 40 };
    run(&w);
    assert_non_null(w.block);
    assert_ccheap(b, 0, 0);
    assert_ccheap(c, 1, 40);
}

/* --- The instance pointer ----------------------------------------------------------------- */

static void test_cc_inst_ptr_is_null_when_never_set(void **state)
{
    (void)state;
    bound_capture();
    assert_null(GetCCInstPtr());
}

static void test_cc_inst_ptr_is_stored_as_given(void **state)
{
    (void)state;
    bound_capture();
    void *odd = (void *)(uintptr_t)0x12345679u;
    SetCCInstPtr(odd);
    assert_ptr_equal(GetCCInstPtr(), odd);
    SetCCInstPtr(NULL);
    assert_null(GetCCInstPtr());
}

static void test_cc_inst_ptr_is_per_capture(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    HEXPERTKEY ka = capture_key(a), kb = capture_key(b);
    static int for_a, for_b;
    struct worker wa = { .bind_key = ka, .set_instance = &for_a, .alloc_bytes = 10 };
    struct worker wb = { .bind_key = kb, .set_instance = &for_b, .alloc_bytes = 20 };
    wa.ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    wb.ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    wa.go = wb.go = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE ta = start(&wa), tb = start(&wb);
    HANDLE ready[2] = { wa.ready, wb.ready };
    assert_int_equal(WaitForMultipleObjects(2, ready, TRUE, 30000), WAIT_OBJECT_0);
    SetEvent(wa.go);                         /* both set before either reads */
    finish(ta);
    finish(tb);
    CloseHandle(wa.ready);
    CloseHandle(wb.ready);
    CloseHandle(wa.go);
    assert_int_equal(wa.bind_error, NMERR_SUCCESS);
    assert_int_equal(wb.bind_error, NMERR_SUCCESS);
    assert_ptr_equal(wa.got_instance, &for_a);
    assert_ptr_equal(wb.got_instance, &for_b);
    assert_ccheap(a, 1, 10);
    assert_ccheap(b, 1, 20);
    /* an unbound thread sees the capture opened last */
    struct worker unbound = { 0 };
    run(&unbound);
    assert_ptr_equal(unbound.got_instance, &for_b);
    /* and this thread, bound to a, a's */
    bind_by_startup(ka);
    assert_ptr_equal(GetCCInstPtr(), &for_a);
}

static void test_cc_inst_ptr_goes_with_its_capture(void **state)
{
    (void)state;
    HCAPTURE a = bound_capture();
    int mine = 0;
    SetCCInstPtr(&mine);
    close_capture(a, NULL);
    bound_capture();                          /* a new capture starts without one */
    assert_null(GetCCInstPtr());
}

#define T(name) cmocka_unit_test_teardown(name, cleanup)

int main(int argc, char **argv)
{
    fixture_folder_from(argc, argv);
    const struct CMUnitTest tests[] = {
        T(test_ccheap_alloc_without_capture_is_null),
        T(test_cc_inst_ptr_without_capture_is_nothing),
        T(test_ccheap_alloc_after_the_only_capture_closed_is_null),
        T(test_ccheap_alloc_is_zero_filled),
        T(test_ccheap_alloc_is_aligned),
        T(test_ccheap_size_is_exact),
        T(test_ccheap_alloc_of_0_is_a_unique_live_block),
        T(test_ccheap_realloc_keeps_contents_and_zeroes_added_bytes),
        T(test_ccheap_realloc_of_null_allocates),
        T(test_ccheap_realloc_to_0_keeps_a_live_block),
        T(test_ccheap_free_is_true_then_false),
        T(test_ccheap_free_of_null_is_false),
        T(test_ccheap_refuses_foreign_pointers),
        T(test_ccheap_refuses_a_block_of_another_capture),
        T(test_query_capture_counts_ccheap_exactly),
        T(test_close_capture_reclaims_what_was_left_exactly),
        T(test_close_capture_reclaims_nothing_when_all_was_freed),
        T(test_close_capture_without_ccheap_use_reclaims_nothing),
        T(test_close_capture_reclaims_only_its_own_blocks),
        T(test_ccheap_uses_the_last_opened_capture_in_an_unbound_thread),
        T(test_ccheap_uses_the_capture_of_the_last_startup_info_key),
        T(test_ccheap_uses_the_capture_of_the_last_get_frame_key),
        T(test_ccheap_follows_the_latest_binding_call),
        T(test_ccheap_falls_back_to_the_last_opened_when_the_bound_capture_closed),
        T(test_ccheap_after_startup_info_of_a_key_without_capture_uses_the_last_opened),
        T(test_ccheap_after_get_frame_on_a_closed_capture_uses_the_last_opened),
        T(test_ccheap_uses_the_latest_opened_still_open_after_the_last_closed),
        T(test_cc_inst_ptr_is_null_when_never_set),
        T(test_cc_inst_ptr_is_stored_as_given),
        T(test_cc_inst_ptr_is_per_capture),
        T(test_cc_inst_ptr_goes_with_its_capture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
