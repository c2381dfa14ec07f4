/* The address table behind a key's large blocks and its slab map: against a model under
 * random inserts and removals through several growths, probe chains kept intact by
 * backward-shift deletion, refused growth changing nothing, and addresses looked up without
 * ever being read (ASan watches the native build). */
#include "core_test.h"

#include "addr_table.h"
#include "records.h"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
/* The address of a freed block is the point of one test; it is compared, never read. */
#pragma GCC diagnostic ignored "-Wuse-after-free"
#endif

#define MODEL 4096

struct model { uintptr_t addr[MODEL]; size_t size[MODEL]; size_t n; };

static uintptr_t aligned_address(unsigned *rng)
{
    return ((uintptr_t)core_random(rng) << 4) | 0x100000;   /* 16-aligned, never 0 */
}

static void assert_matches(const struct addr_table *t, const struct model *m)
{
    assert_int_equal(t->count, m->n);
    for (size_t i = 0; i < m->n; i++) {
        struct addr_entry *e = addr_table_find(t, (uintptr_t)m->addr[i]);
        assert_non_null(e);
        assert_int_equal(e->data[0], m->size[i]);
    }
}

static void test_table_follows_a_model_through_growth_and_removal(void **state)
{
    (void)state;
    static struct model m;
    struct addr_table t = { 0 };
    struct records records = { 0 };
    unsigned rng = 12345;
    for (int op = 0; op < 40000; op++) {
        unsigned r = core_random(&rng);
        if (m.n < MODEL && (r % 3 != 0 || m.n == 0)) {
            uintptr_t a = aligned_address(&rng);
            if (addr_table_find(&t, (uintptr_t)a))
                continue;
            assert_int_equal(addr_table_reserve(&t, &records, 1), 0);
            addr_table_insert(&t, (uintptr_t)a)->data[0] = r % 1000;
            m.addr[m.n] = a;
            m.size[m.n++] = r % 1000;
        } else {
            size_t i = r % m.n;
            struct addr_entry *e = addr_table_find(&t, (uintptr_t)m.addr[i]);
            assert_non_null(e);
            addr_table_remove(&t, e);
            assert_null(addr_table_find(&t, (uintptr_t)m.addr[i]));
            m.addr[i] = m.addr[--m.n];
            m.size[i] = m.size[m.n];
        }
        if (op % 997 == 0)
            assert_matches(&t, &m);
    }
    assert_matches(&t, &m);
    addr_table_release(&t, &records);
    records_release(&records);
    assert_int_equal(t.count, 0);
    assert_null(addr_table_find(&t, (uintptr_t)m.addr[0]));
}

static void test_removal_inside_a_probe_chain_keeps_the_rest_findable(void **state)
{
    (void)state;
    /* Addresses a table-size multiple apart collide often; remove each position in turn. */
    for (int victim = 0; victim < 12; victim++) {
        struct addr_table t = { 0 };
        struct records r = { 0 };
        uintptr_t base = 0x10000;
        for (int i = 0; i < 12; i++) {
            assert_int_equal(addr_table_reserve(&t, &r, 1), 0);
            addr_table_insert(&t, (uintptr_t)(base + (uintptr_t)i * 0x1000000))->data[0] = (size_t)i;
        }
        addr_table_remove(&t, addr_table_find(&t, (uintptr_t)(base + (uintptr_t)victim * 0x1000000)));
        for (int i = 0; i < 12; i++) {
            struct addr_entry *e = addr_table_find(&t, (uintptr_t)(base + (uintptr_t)i * 0x1000000));
            if (i == victim) {
                assert_null(e);
            } else {
                assert_non_null(e);
                assert_int_equal(e->data[0], (size_t)i);
            }
        }
        addr_table_release(&t, &r);
        records_release(&r);
    }
}

static void test_refused_growth_changes_nothing(void **state)
{
    (void)state;
    struct addr_table t = { 0 };
    struct records r = { 0 };
    for (int i = 0; i < 12; i++) {          /* fills the first 16 slots to 3/4 */
        assert_int_equal(addr_table_reserve(&t, &r, 1), 0);
        addr_table_insert(&t, (uintptr_t)(0x1000 + 16 * i))->data[0] = (size_t)i;
    }
    long records = fault_live_records();
    fault_fail_nth(FAULT_RECORD_ALLOC, 1);
    assert_int_equal(addr_table_reserve(&t, &r, 1), -1);
    assert_true(fault_fired());
    fault_off();
    assert_int_equal(fault_live_records(), records);
    assert_int_equal(t.count, 12);
    for (int i = 0; i < 12; i++)
        assert_int_equal(addr_table_find(&t, (uintptr_t)(0x1000 + 16 * i))->data[0], (size_t)i);
    assert_int_equal(addr_table_reserve(&t, &r, 1), 0);   /* and it grows when memory is there */
    addr_table_release(&t, &r);
    records_release(&r);
}

static void test_lookups_never_read_the_address(void **state)
{
    (void)state;
    struct addr_table t = { 0 };
    struct records r = { 0 };
    char *block = malloc(64);
    uintptr_t freed = (uintptr_t)block;
    free(block);                          /* under ASan, reading it would be reported */
    void *probes[] = { (void *)freed, (void *)(freed + 8), (void *)(uintptr_t)0x10,
                       (void *)~(uintptr_t)0, NULL };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        assert_null(addr_table_find(&t, (uintptr_t)probes[i]));
    assert_int_equal(addr_table_reserve(&t, &r, 1), 0);
    addr_table_insert(&t, (uintptr_t)0x4000)->data[0] = 1;
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        assert_null(addr_table_find(&t, (uintptr_t)probes[i]));
    addr_table_release(&t, &r);
    records_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_follows_a_model_through_growth_and_removal),
        cmocka_unit_test(test_removal_inside_a_probe_chain_keeps_the_rest_findable),
        cmocka_unit_test(test_refused_growth_changes_nothing),
        cmocka_unit_test(test_lookups_never_read_the_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
