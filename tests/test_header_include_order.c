/* A host may include nmapi.h and <netmon.h> in either order: both orders compile (this file
 * has nmapi.h first, header_order_netmon_first.c the other) and see the same layouts. */
#include "nmapi_test.h"
#include <netmon.h>

size_t layout_seen_with_netmon_first(size_t which);

static void test_both_include_orders_see_the_same_layouts(void **state)
{
    (void)state;
    const size_t sizes[] = { sizeof(EXPERTHOSTKEYINFO), sizeof(EXPERTHOSTMEMORYSTATS),
                             sizeof(EXPERTSTATUS), sizeof(EXPERTSTARTUPINFO),
                             offsetof(EXPERTHOSTKEYINFO, MemoryLimit),
                             offsetof(EXPERTHOSTMEMORYSTATS, TotalAllocations) };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        assert_int_equal(sizes[i], layout_seen_with_netmon_first(i));
    /* <netmon.h>'s packing does not leak into the host structures. */
    assert_int_equal(offsetof(EXPERTHOSTKEYINFO, MemoryLimit), 8);   /* after two DWORDs, unpacked */
    assert_int_equal(sizeof(EXPERTHOSTMEMORYSTATS) % sizeof(ULONGLONG), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_include_orders_see_the_same_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
