/*
 * Fault injection through the public API. The DLL's sources are linked statically into this
 * program with fault_seam.c wrapped around the heap backend and the record allocator, and one
 * scripted expert session (create, allocate into new slabs and large blocks, grow, shrink,
 * reallocate NULL, free, pass the limit, destroy) is replayed with the 1st, 2nd, ... Nth
 * underlying operation made to fail, until a replay runs without reaching N.
 *
 * After every call the test compares the key with a model: a call fails only when a fault
 * was injected during it (or it passes the limit, on purpose), and then with
 * NMERR_OUT_OF_MEMORY; statistics match to the byte; every live block keeps its size and its
 * stamped contents. After destroy the reclaimed figures match, GetProcessHeaps is back at its
 * baseline, and every record the DLL allocated was freed.
 */
#include "nmapi_test.h"
#include "fault_seam.h"

#define LIMIT ((SIZE_T)1 << 20)
#define MAX_BLOCKS 64

struct model_block {
    unsigned char *p;
    SIZE_T size;
    unsigned char stamp;
};

struct session_model {
    HEXPERTKEY key;
    struct model_block blocks[MAX_BLOCKS];
    size_t count;
    EXPERTHOSTMEMORYSTATS expected;
    unsigned injected_failures;   /* calls that failed because of the injected fault */
};

static long faults_injected;

static DWORD heap_count(void) { return GetProcessHeaps(0, NULL); }

static void check_model(const struct session_model *m)
{
    EXPERTHOSTMEMORYSTATS now = query(m->key);
    assert_stats_equal(&now, &m->expected);
    for (size_t i = 0; i < m->count; i++) {
        assert_int_equal(ExpertMemorySize(m->key, m->blocks[i].p), m->blocks[i].size);
        assert_filled(m->blocks[i].p, m->blocks[i].stamp, m->blocks[i].size);
    }
}

static void note_bytes(struct session_model *m, SIZE_T released, SIZE_T acquired)
{
    m->expected.LiveBytes = m->expected.LiveBytes - released + acquired;
    if (m->expected.LiveBytes > m->expected.PeakBytes)
        m->expected.PeakBytes = m->expected.LiveBytes;
}

/* A call reported failure: it must be an out-of-memory refusal the model expected, either
 * because a fault was injected during the call or because the request passes the limit. */
static void expect_refusal(struct session_model *m, DWORD error, int fault_during_call, int over_limit)
{
    assert_true(fault_during_call || over_limit);
    assert_int_equal(error, NMERR_OUT_OF_MEMORY);
    m->expected.FailedAllocations++;
    m->injected_failures += fault_during_call;
}

static void alloc_block(struct session_model *m, SIZE_T size, int use_realloc)
{
    unsigned fired_before = fault_fired();
    DWORD error = POISON_ERROR;
    unsigned char *p = use_realloc ? ExpertReallocMemory(m->key, NULL, size, &error)
                                   : ExpertAllocMemory(m->key, size, &error);
    int over_limit = m->expected.LiveBytes + size > LIMIT;
    if (!p) {
        expect_refusal(m, error, fault_fired() && !fired_before, over_limit);
    } else {
        assert_false(over_limit);
        assert_int_equal(error, NMERR_SUCCESS);
        assert_filled(p, 0, size);
        struct model_block *b = &m->blocks[m->count++];
        b->p = p;
        b->size = size;
        b->stamp = (unsigned char)(0x41 + m->count);
        fill(p, b->stamp, size);
        m->expected.LiveBlocks++;
        m->expected.TotalAllocations++;
        note_bytes(m, 0, size);
    }
    check_model(m);
}

static void realloc_block(struct session_model *m, size_t i, SIZE_T size)
{
    struct model_block *b = &m->blocks[i];
    unsigned fired_before = fault_fired();
    DWORD error = POISON_ERROR;
    unsigned char *p = ExpertReallocMemory(m->key, b->p, size, &error);
    int over_limit = m->expected.LiveBytes - b->size + size > LIMIT;
    if (!p) {
        expect_refusal(m, error, fault_fired() && !fired_before, over_limit);
    } else {
        assert_false(over_limit);
        assert_int_equal(error, NMERR_SUCCESS);
        SIZE_T kept = size < b->size ? size : b->size;
        assert_filled(p, b->stamp, kept);
        assert_filled(p + kept, 0, size - kept);
        fill(p, b->stamp, size);
        note_bytes(m, b->size, size);
        b->p = p;
        b->size = size;
    }
    check_model(m);
}

static void free_block(struct session_model *m, size_t i)
{
    assert_int_equal(ExpertFreeMemory(m->key, m->blocks[i].p), NMERR_SUCCESS);
    m->expected.LiveBlocks--;
    note_bytes(m, m->blocks[i].size, 0);
    m->blocks[i] = m->blocks[--m->count];
    check_model(m);
}

/* Creates the session's key; when an injected fault refuses it, checks the refusal changed
 * nothing and tries again (the fault has fired by then). */
static DWORD session_flags;   /* EXPERTHOSTKEYINFO.Flags of the session's key */

static void create_session_key(struct session_model *m)
{
    EXPERTHOSTKEYINFO info = key_info();
    info.MemoryLimit = LIMIT;
    info.Flags = session_flags;
    info.szDisplayName = "fault injection";
    for (;;) {
        DWORD heaps = heap_count();
        long records = fault_live_records();
        unsigned fired_before = fault_fired();
        HEXPERTKEY key = (HEXPERTKEY)(uintptr_t)0x5EED;
        DWORD error = ExpertHostCreateKey(&info, &key);
        if (error == NMERR_SUCCESS) {
            m->key = key;
            break;
        }
        assert_int_equal(error, NMERR_OUT_OF_MEMORY);
        assert_true(fault_fired() && !fired_before);
        assert_ptr_equal(key, (HEXPERTKEY)(uintptr_t)0x5EED);
        assert_int_equal(heap_count(), heaps);
        assert_int_equal(fault_live_records(), records);
        m->injected_failures++;
    }
    memset(&m->expected, 0, sizeof m->expected);
    m->expected.cbSize = sizeof m->expected;
    m->expected.MemoryLimit = LIMIT;
    check_model(m);
}

/* One scripted session; returns how many calls failed because of the injected fault. */
static unsigned run_session(void)
{
    static struct session_model m;
    memset(&m, 0, sizeof m);
    DWORD heaps_before = heap_count();
    long records_before = fault_live_records();

    create_session_key(&m);
    for (SIZE_T i = 0; i < 40; i++)                 /* a slab for each new size class; every */
        alloc_block(&m, i % 8 == 7 ? 20000 + i * 100 : (i * 37) % 500, 0);   /* 8th block large */
    for (size_t i = 0; i < m.count; i += 5)         /* grow: from a slab to the heap, or in it */
        realloc_block(&m, i, m.blocks[i].size * 3 + 20000);
    for (size_t i = 0; i < m.count; i += 5)         /* grow again: the heap's own realloc */
        realloc_block(&m, i, m.blocks[i].size + 1000);
    for (size_t i = 2; i < m.count; i += 7)         /* shrink, and to zero */
        realloc_block(&m, i, i % 2 ? m.blocks[i].size / 3 : 0);
    alloc_block(&m, 64, 1);                         /* ExpertReallocMemory(NULL, ...) */
    for (size_t i = 0; i < m.count; i += 3)
        free_block(&m, i);
    alloc_block(&m, LIMIT, 0);                      /* past the limit: refused on purpose */
    if (m.count)
        realloc_block(&m, 0, LIMIT);
    for (SIZE_T i = 0; i < 8; i++)                  /* refill freed slots */
        alloc_block(&m, 1000 + i, 0);

    EXPERTHOSTMEMORYSTATS reclaimed = { .cbSize = sizeof reclaimed };
    assert_int_equal(ExpertHostDestroyKey(m.key, &reclaimed), NMERR_SUCCESS);
    assert_stats_equal(&reclaimed, &m.expected);
    assert_int_equal(heap_count(), heaps_before);
    assert_int_equal(fault_live_heaps(), 0);
    assert_int_equal(fault_live_records(), records_before);
    return m.injected_failures;
}

/* Replays the session failing the 1st, 2nd, ... operation of `ops` until none is left. */
static void fail_each_operation_in_turn(unsigned ops, long at_least)
{
    long n;
    for (n = 1;; n++) {
        fault_fail_nth(ops, n);
        unsigned failures = run_session();
        unsigned fired = fault_fired();
        fault_off();
        if (!fired) {
            assert_int_equal(failures, 0);
            break;
        }
        /* Each injected fault surfaces as one refusal, but a refused resize: the block moves. */
        assert_int_equal(failures, fired == FAULT_HEAP_REALLOC ? 0 : 1);
        faults_injected++;
    }
    assert_true(n - 1 >= at_least);
    print_message("mask %u: %ld operations, each made to fail once\n", ops, n - 1);
}

static int warm_up(void **state)
{
    (void)state;
    /* The first key makes the registry's first chunk of slots, which is never freed: take
     * it out of the record balance before counting. */
    fault_off();
    HEXPERTKEY key;
    if (ExpertHostCreateKey(NULL, &key) != NMERR_SUCCESS || ExpertHostDestroyKey(key, NULL))
        return -1;
    return 0;
}

static void test_session_survives_each_failed_heap_creation(void **state)
{
    (void)state;
    fail_each_operation_in_turn(FAULT_HEAP_CREATE, 1);
}

static void test_session_survives_each_failed_allocation(void **state)
{
    (void)state;
    fail_each_operation_in_turn(FAULT_HEAP_ALLOC, 25);   /* slab refills, large blocks */
}

static void test_session_survives_each_failed_reallocation(void **state)
{
    (void)state;
    fail_each_operation_in_turn(FAULT_HEAP_REALLOC, 8);   /* large blocks only */
}

static void test_session_survives_each_failed_record_allocation(void **state)
{
    (void)state;
    fail_each_operation_in_turn(FAULT_RECORD_ALLOC, 3);   /* session, tables, slab records */
}

static void test_session_survives_each_failed_operation_of_any_kind(void **state)
{
    (void)state;
    fail_each_operation_in_turn(FAULT_ANY, 40);
}

static void test_checked_session_survives_each_failed_operation_of_any_kind(void **state)
{
    (void)state;
    session_flags = EXPERTHOST_FLAG_CHECK_CORRUPTION;   /* a guard record, held blocks, no slabs */
    fail_each_operation_in_turn(FAULT_ANY, 40);
    session_flags = 0;
}

static void test_no_fault_no_failure(void **state)
{
    (void)state;
    fault_fail_nth(FAULT_ANY, 1000000);
    assert_int_equal(run_session(), 0);
    assert_false(fault_fired());
    assert_true(fault_ops_seen() >= 40);
    fault_off();
}

static int report(void **state)
{
    (void)state;
    print_message("faults injected: %ld, each one refused cleanly\n", faults_injected);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_fault_no_failure),
        cmocka_unit_test(test_session_survives_each_failed_heap_creation),
        cmocka_unit_test(test_session_survives_each_failed_allocation),
        cmocka_unit_test(test_session_survives_each_failed_reallocation),
        cmocka_unit_test(test_session_survives_each_failed_record_allocation),
        cmocka_unit_test(test_session_survives_each_failed_operation_of_any_kind),
        cmocka_unit_test(test_checked_session_survives_each_failed_operation_of_any_kind),
    };
    return cmocka_run_group_tests(tests, warm_up, report);
}
