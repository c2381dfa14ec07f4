/* The key table on its own: keys that are never addresses, stamps that make every old key
 * dead for good (also when its slot is reused) and say nothing of a neighbour, rundown (destroy waits for the calls
 * inside), and failures of heap or record creation leaving no slot, heap or record behind. */
#include "core_test.h"

#include "keyheap_direct.h"
#include "registry.h"

#define TAG ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))

static uintptr_t create(size_t limit)
{
    uintptr_t key = 0;
    assert_int_equal(registry_create(limit, 0, NULL, &key), REGISTRY_OK);
    return key;
}

static void destroy(uintptr_t key, struct keyheap_stats *reclaimed)
{
    void *session = (void *)0x1;
    struct keyheap_stats r;
    assert_int_equal(registry_destroy(key, reclaimed ? reclaimed : &r, &session), REGISTRY_OK);
    assert_null(session);
}

static void test_keys_carry_the_tag_and_are_live_until_destroyed(void **state)
{
    (void)state;
    uintptr_t key = create(0);
    assert_true(key & TAG);
    struct expert_key *k = registry_acquire(key);
    assert_non_null(k);
    assert_false(registry_is_terminated(k));
    registry_release(k);
    destroy(key, NULL);
    assert_null(registry_acquire(key));
    assert_int_equal(registry_terminate(key), REGISTRY_INVALID_KEY);
    void *session;
    assert_int_equal(registry_destroy(key, NULL, &session), REGISTRY_INVALID_KEY);
}

static void test_forged_values_are_not_keys(void **state)
{
    (void)state;
    uintptr_t key = create(0);
    const uintptr_t forged[] = { 0, 1, 0x10, ~(uintptr_t)0, TAG, key & ~TAG, key + 1,
                                 key ^ ((uintptr_t)1 << (REGISTRY_STAMP_BITS == 43 ? 20 : 16)),
                                 key ^ (TAG >> 1),
                                 (uintptr_t)&key };
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        assert_null(registry_acquire(forged[i]));
        assert_int_equal(registry_terminate(forged[i]), REGISTRY_INVALID_KEY);
    }
    destroy(key, NULL);
}

/* A value found live must be one of the live keys; every other is refused. */
static size_t live_among(uintptr_t value, const uintptr_t *live, size_t n)
{
    struct expert_key *k = registry_acquire(value);
    if (!k)
        return 0;
    registry_release(k);
    int known = 0;
    for (size_t i = 0; i < n && !known; i++)
        known = live[i] == value;
    if (!known)
        fail_msg("0x%llx, no key handed out, is live", (unsigned long long)value);
    return 1;
}

/* Blind guessing near a live key: every value within 2^KEY_INDEX_BITS of it (every slot,
 * with its stamp and the ones next to it) and every stamp of its own slot up to 2^20 (all of
 * them on i686) - a few million values in all - and only the live keys themselves answer. */
static void test_a_brute_force_search_near_a_live_key_finds_no_other(void **state)
{
    (void)state;
    enum { LIVE = 64 };
    uintptr_t live[LIVE];
    for (size_t i = 0; i < LIVE; i++)
        live[i] = create(0);
    const unsigned index_bits = sizeof(uintptr_t) == 8 ? 20 : 16;
    const uintptr_t key = live[LIVE / 2], window = (uintptr_t)1 << index_bits;
    size_t found = 0;
    for (uintptr_t d = 0; d <= window; d++) {
        found += live_among(key + d, live, LIVE);
        if (d)
            found += live_among(key - d, live, LIVE);
    }
    const uintptr_t stamps = REGISTRY_STAMP_BITS > 20 ? (uintptr_t)1 << 20
                                                      : (uintptr_t)1 << REGISTRY_STAMP_BITS;
    for (uintptr_t s = 1; s < stamps; s++)
        found += live_among(key ^ (s << index_bits), live, LIVE);
    assert_true(found >= 1);      /* the key itself */
    for (size_t i = 0; i < LIVE; i++)
        destroy(live[i], NULL);
}

static void test_a_reused_slot_does_not_revive_old_keys(void **state)
{
    (void)state;
    enum { N = 300 };   /* well past the reuse quarantine */
    static uintptr_t old[N];
    for (int i = 0; i < N; i++) {
        old[i] = create(0);
        destroy(old[i], NULL);
    }
    uintptr_t fresh = create(0);
    for (int i = 0; i < N; i++) {
        assert_true(old[i] != fresh);
        assert_null(registry_acquire(old[i]));
    }
    destroy(fresh, NULL);
}

static void test_terminate_is_per_key_and_idempotent(void **state)
{
    (void)state;
    uintptr_t a = create(0), b = create(0);
    assert_int_equal(registry_terminate(a), REGISTRY_OK);
    assert_int_equal(registry_terminate(a), REGISTRY_OK);
    struct expert_key *ka = registry_acquire(a), *kb = registry_acquire(b);
    assert_true(registry_is_terminated(ka));
    assert_false(registry_is_terminated(kb));
    registry_release(ka);
    registry_release(kb);
    destroy(a, NULL);
    destroy(b, NULL);
}

struct destroyer { uintptr_t key; int volatile done; };

static int registry_acquire_would_succeed(uintptr_t key)
{
    struct expert_key *k = registry_acquire(key);
    if (k)
        registry_release(k);
    return k != NULL;
}

static TEST_THREAD_FN(destroy_in_background, arg)
{
    struct destroyer *d = arg;
    void *session;
    struct keyheap_stats r;
    if (registry_destroy(d->key, &r, &session) == REGISTRY_OK)
        __atomic_store_n(&d->done, 1, __ATOMIC_SEQ_CST);
    TEST_THREAD_RETURN;
}

/* Enters key's allocator (the gate held on return) and gives it a block of 128 bytes. */
static struct expert_key *enter_holding_a_block(uintptr_t key, void **block)
{
    struct expert_key *k = registry_enter(key);
    assert_non_null(k);
    assert_int_equal(direct_alloc(&k->heap, 128, block), KEYHEAP_OK);
    return k;
}

static void test_destroy_closes_at_once_and_waits_for_calls_inside(void **state)
{
    (void)state;
    struct destroyer d = { create(0), 0 };
    void *block;
    struct expert_key *k = enter_holding_a_block(d.key, &block);
    registry_leave(k);
    k = registry_acquire(d.key);          /* a call inside that reaches the session */
    assert_non_null(k);
    test_thread t;
    assert_int_equal(test_thread_start(&t, destroy_in_background, &d), 0);
    for (int i = 0; i < 5000; i++) {     /* closed soon... */
        struct expert_key *again = registry_acquire(d.key);
        if (!again)
            break;
        registry_release(again);
        test_sleep_ms(1);
    }
    assert_null(registry_acquire(d.key));
    test_sleep_ms(50);
    assert_int_equal(__atomic_load_n(&d.done, __ATOMIC_SEQ_CST), 0);   /* ...but waits for us */
    memset(block, 0x5A, 128);             /* the heap is still there while we hold the key */
    registry_release(k);
    test_thread_join(t);
    assert_int_equal(d.done, 1);
}

/* An allocating call holds the key's gate, not a reference: destroy waits for it too, and a
 * new allocating call once destroy has begun finds the key dead. */
static void test_destroy_waits_for_an_allocating_call_inside(void **state)
{
    (void)state;
    struct destroyer d = { create(0), 0 };
    void *block;
    struct expert_key *k = enter_holding_a_block(d.key, &block);
    test_thread t;
    assert_int_equal(test_thread_start(&t, destroy_in_background, &d), 0);
    for (int i = 0; i < 5000 && registry_acquire_would_succeed(d.key); i++)
        test_sleep_ms(1);                 /* destroy has begun: the rundown is closed */
    test_sleep_ms(50);
    assert_int_equal(__atomic_load_n(&d.done, __ATOMIC_SEQ_CST), 0);   /* it waits for us */
    memset(block, 0x5A, 128);
    registry_leave(k);
    test_thread_join(t);
    assert_int_equal(d.done, 1);
    assert_null(registry_enter(d.key));
    assert_null(registry_acquire(d.key));
}

static void test_failed_creation_leaves_nothing_behind(void **state)
{
    (void)state;
    const unsigned ops[] = { FAULT_HEAP_CREATE, FAULT_RECORD_ALLOC };
    long records = fault_live_records();
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        uintptr_t key = 0x5EED;
        fault_fail_nth(ops[i], 1);
        enum registry_status st = registry_create(0, 0, NULL, &key);
        unsigned fired = fault_fired();
        fault_off();
        if (!fired) {   /* no record was needed (the slot chunk exists): nothing failed */
            assert_int_equal(st, REGISTRY_OK);
            destroy(key, NULL);
            continue;
        }
        assert_int_equal(st, REGISTRY_NO_MEMORY);
        assert_int_equal(key, 0x5EED);
    }
    assert_int_equal(fault_live_heaps(), 0);
    assert_int_equal(fault_live_records(), records);
    destroy(create(0), NULL);   /* and the slot given back is usable */
}

static void test_destroy_reports_what_the_heap_held(void **state)
{
    (void)state;
    uintptr_t key = create(4096);
    struct expert_key *k = registry_enter(key);
    void *a, *b;
    assert_int_equal(direct_alloc(&k->heap, 1000, &a), KEYHEAP_OK);
    assert_int_equal(direct_alloc(&k->heap, 24, &b), KEYHEAP_OK);
    registry_leave(k);
    struct keyheap_stats r;
    destroy(key, &r);
    assert_int_equal(r.live_blocks, 2);
    assert_int_equal(r.live_bytes, 1024);
    assert_int_equal(r.limit, 4096);
    assert_int_equal(fault_live_heaps(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_carry_the_tag_and_are_live_until_destroyed),
        cmocka_unit_test(test_forged_values_are_not_keys),
        cmocka_unit_test(test_a_brute_force_search_near_a_live_key_finds_no_other),
        cmocka_unit_test(test_a_reused_slot_does_not_revive_old_keys),
        cmocka_unit_test(test_terminate_is_per_key_and_idempotent),
        cmocka_unit_test(test_destroy_closes_at_once_and_waits_for_calls_inside),
        cmocka_unit_test(test_destroy_waits_for_an_allocating_call_inside),
        cmocka_unit_test(test_failed_creation_leaves_nothing_behind),
        cmocka_unit_test(test_destroy_reports_what_the_heap_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
