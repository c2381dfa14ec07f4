/* ExpertIndicateStatus and ExpertHostGetStatus: the latest status recorded as documented. */
#include "nmapi_test.h"

static EXPERTSTATUS status_of(HEXPERTKEY key)
{
    EXPERTSTATUS s;
    memset(&s, 0xCD, sizeof s);
    assert_int_equal(ExpertHostGetStatus(key, &s), NMERR_SUCCESS);
    return s;
}

static void test_status_is_zero_before_the_first_indication(void **state)
{
    EXPERTSTATUS s = status_of(*state), zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&s, &zero, sizeof s);
    assert_int_equal(ExpertHostGetStatus(*state, NULL), NMERR_INVALID_PARAMETER);
}

static void test_indicate_status_records_every_field(void **state)
{
    assert_int_equal(ExpertIndicateStatus(*state, EXPERTSTATUS_RUNNING, 7, "scanning", 42),
                     NMERR_SUCCESS);
    EXPERTSTATUS s = status_of(*state);
    assert_int_equal(s.Status, EXPERTSTATUS_RUNNING);
    assert_int_equal(s.SubStatus, 7);
    assert_int_equal(s.PercentDone, 42);
    assert_string_equal(s.szStatusText, "scanning");
}

static void test_indicate_status_ignores_percent_outside_0_to_99(void **state)
{
    ExpertIndicateStatus(*state, EXPERTSTATUS_RUNNING, 0, "a", 30);
    const LONG ignored[] = { 100, 101, 1000, -1, (LONG)0x80000000u };
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
        assert_int_equal(ExpertIndicateStatus(*state, EXPERTSTATUS_RUNNING, 0, "b", ignored[i]),
                         NMERR_SUCCESS);
        EXPERTSTATUS s = status_of(*state);
        assert_int_equal(s.PercentDone, 30);
        assert_string_equal(s.szStatusText, "b");
    }
    ExpertIndicateStatus(*state, EXPERTSTATUS_DONE, 0, "c", 99);
    assert_int_equal(status_of(*state).PercentDone, 99);
}

static void test_indicate_status_accepts_null_and_long_text(void **state)
{
    ExpertIndicateStatus(*state, EXPERTSTATUS_RUNNING, 0, "old", 1);
    assert_int_equal(ExpertIndicateStatus(*state, EXPERTSTATUS_PROBLEM, 3, NULL, 2), NMERR_SUCCESS);
    EXPERTSTATUS s = status_of(*state);
    assert_string_equal(s.szStatusText, "");
    assert_int_equal(s.Status, EXPERTSTATUS_PROBLEM);

    char text[1000];
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    assert_int_equal(ExpertIndicateStatus(*state, EXPERTSTATUS_RUNNING, 0, text, 3), NMERR_SUCCESS);
    s = status_of(*state);
    assert_int_equal(strlen(s.szStatusText), sizeof s.szStatusText - 1);
}

static void test_indicate_status_after_terminate_fails_and_records_nothing(void **state)
{
    ExpertIndicateStatus(*state, EXPERTSTATUS_RUNNING, 0, "before", 10);
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    assert_int_equal(ExpertIndicateStatus(*state, EXPERTSTATUS_RUNNING, 0, "after", 20),
                     NMERR_EXPERT_TERMINATE);
    EXPERTSTATUS s = status_of(*state);
    assert_string_equal(s.szStatusText, "before");
    assert_int_equal(s.PercentDone, 10);
}

struct seen { int calls; PVOID context; HEXPERTKEY key; EXPERTSTATUS status; };

static VOID WINAPI on_status(PVOID context, HEXPERTKEY key, const EXPERTSTATUS *status)
{
    struct seen *seen = context;
    seen->calls++;
    seen->context = context;
    seen->key = key;
    seen->status = *status;
}

static void test_status_callback_receives_context_and_recorded_status(void **state)
{
    (void)state;
    struct seen seen;
    memset(&seen, 0, sizeof seen);
    HEXPERTKEY key = create_key(0, on_status, &seen);
    assert_int_equal(ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 2, "go", 55), NMERR_SUCCESS);
    assert_int_equal(seen.calls, 1);
    assert_ptr_equal(seen.context, &seen);
    assert_ptr_equal(seen.key, key);
    assert_int_equal(seen.status.PercentDone, 55);
    assert_string_equal(seen.status.szStatusText, "go");
    ExpertHostTerminate(key);
    ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 2, "no", 56);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static VOID WINAPI destroy_key_on_problem(PVOID context, HEXPERTKEY key, const EXPERTSTATUS *status)
{
    if (status->Status == EXPERTSTATUS_PROBLEM)
        *(DWORD *)context = ExpertHostDestroyKey(key, NULL);
}

static void test_status_callback_may_destroy_the_key(void **state)
{
    (void)state;
    DWORD destroyed = POISON_ERROR;
    HEXPERTKEY key = create_key(0, destroy_key_on_problem, &destroyed);
    assert_non_null(ExpertAllocMemory(key, 10, NULL));
    assert_int_equal(ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 0, "fine", 1), NMERR_SUCCESS);
    assert_int_equal(destroyed, POISON_ERROR);
    assert_int_equal(ExpertIndicateStatus(key, EXPERTSTATUS_PROBLEM, 1, "broken", 2), NMERR_SUCCESS);
    assert_int_equal(destroyed, NMERR_SUCCESS);
    assert_null(ExpertAllocMemory(key, 10, NULL));
    assert_int_equal(ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 0, "x", 3), NMERR_INVALID_EXPERT_HANDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_status_is_zero_before_the_first_indication, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_indicate_status_records_every_field, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_indicate_status_ignores_percent_outside_0_to_99, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_indicate_status_accepts_null_and_long_text, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_indicate_status_after_terminate_fails_and_records_nothing, key_setup, key_teardown),
        cmocka_unit_test(test_status_callback_receives_context_and_recorded_status),
        cmocka_unit_test(test_status_callback_may_destroy_the_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
