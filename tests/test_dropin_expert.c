/* Drop-in proof: a host loads nmapi.dll with LoadLibrary, then an expert built only against
 * <netmon.h>; the expert's imports resolve to our exports and its Run behaves as documented. */
#include "nmapi_test.h"

static HMODULE nmapi, expert;
static PEXPERTREGISTERPROC expert_register;
static PEXPERTRUNPROC expert_run;

static int load_both(void **state)
{
    (void)state;
    nmapi = LoadLibraryA("nmapi.dll");
    expert = LoadLibraryA("dropin_expert.dll");
    if (!nmapi || !expert)
        return -1;
    expert_register = (PEXPERTREGISTERPROC)(void *)GetProcAddress(expert, EXPERTENTRY_REGISTER);
    expert_run = (PEXPERTRUNPROC)(void *)GetProcAddress(expert, EXPERTENTRY_RUN);
    return expert_register && expert_run && GetProcAddress(expert, EXPERTENTRY_CONFIGURE) ? 0 : -1;
}

static int unload_both(void **state)
{
    (void)state;
    FreeLibrary(expert);
    FreeLibrary(nmapi);
    return 0;
}

/* The expert's imports were bound to the nmapi.dll this host loaded. */
static void test_expert_imports_bind_to_the_loaded_nmapi(void **state)
{
    (void)state;
    HMODULE bound = NULL;
    assert_true(GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, "nmapi.dll", &bound));
    assert_ptr_equal(bound, nmapi);
    EXPERTENUMINFO info;
    memset(&info, 0, sizeof info);
    assert_true(expert_register(&info));
    assert_string_equal(info.szName, "Drop-in test expert");
}

struct run_args { HEXPERTKEY key; char scenario; BOOL result; };

static DWORD WINAPI run_expert(LPVOID arg)
{
    struct run_args *a = arg;
    struct { DWORD length; BYTE data[4]; } raw = { 1, { (BYTE)a->scenario } };
    EXPERTSTARTUPINFO startup;
    memset(&startup, 0, sizeof startup);
    a->result = expert_run(a->key, (PEXPERTCONFIG)&raw, &startup, 0, NULL);
    return 0;
}

static void test_expert_uses_every_memory_call_and_its_leak_is_reclaimed(void **state)
{
    struct run_args a = { *state, 'M', FALSE };
    run_expert(&a);
    EXPERTSTATUS st;
    assert_int_equal(ExpertHostGetStatus(*state, &st), NMERR_SUCCESS);
    if (!a.result)
        fail_msg("expert check failed: %s", st.szStatusText);
    assert_int_equal(st.Status, EXPERTSTATUS_DONE);
    assert_int_equal(st.PercentDone, 99);
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    assert_int_equal(ExpertHostDestroyKey(*state, &r), NMERR_SUCCESS);
    assert_int_equal(r.LiveBlocks, 3);
    assert_int_equal(r.LiveBytes, 60);
    assert_int_equal(r.PeakBytes, 200);
}

static void test_expert_told_to_terminate_cleans_up_and_returns(void **state)
{
    struct run_args a = { *state, 'T', FALSE };
    HANDLE thread = CreateThread(NULL, 0, run_expert, &a, 0, NULL);
    assert_non_null(thread);
    EXPERTSTATUS st = { 0 };
    for (int i = 0; i < 10000 && st.PercentDone < 50; i++) {   /* until it is well under way */
        Sleep(1);
        ExpertHostGetStatus(*state, &st);
    }
    assert_int_equal(st.Status, EXPERTSTATUS_RUNNING);
    assert_int_equal(ExpertHostTerminate(*state), NMERR_SUCCESS);
    assert_int_equal(WaitForSingleObject(thread, 30000), WAIT_OBJECT_0);
    CloseHandle(thread);
    assert_true(a.result);
    assert_live(*state, 0, 0);
    assert_true(query(*state).TotalAllocations >= 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expert_imports_bind_to_the_loaded_nmapi),
        cmocka_unit_test_setup_teardown(test_expert_uses_every_memory_call_and_its_leak_is_reclaimed, key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_expert_told_to_terminate_cleans_up_and_returns, key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, load_both, unload_both);
}
