/*
 * test_exports_outside_scope.c - the exports outside this runtime's scope (every row of
 * nmapi.def and src/surface/exports.tsv that is not "ours"): without forwarding each returns its documented
 * failure value and pops exactly its stdcall argument bytes; ExpertHostForwardTo refuses
 * what it cannot use and changes nothing then; forwarded to the fake original, every one of
 * them reaches it with its arguments intact, the stack balanced, while the Expert*
 * family stays ours. The process's argument picks the scenario, since forwarding is
 * process-wide and permanent:
 *   (none)        no NMAPI_FORWARD: failure values, bad targets, then the fake via the host API
 *   env-forwarded NMAPI_FORWARD names the fake: forwarded without any host call
 *   env-missing   NMAPI_FORWARD names a DLL that does not exist: failure values, no crash
 */
#include "nmapi_test.h"
#include "call_export.h"
#include "export_rows.h"     /* generated from nmapi.def and src/surface/exports.tsv */

/* Distinct bits per argument, so that a lost or swapped argument changes the fake's answer. */
static const ULONG_PTR arguments[CALL_EXPORT_MAX_ARGS] = { 0x00123400u, 0x00560000u,
                                                          0x07000000u, 0x80000000u };

/* What the fake original answers (cmake/nmapi_exports.cmake): its sentinel xor the first
 * argument on i686; on x86_64 xor up to four argument registers, as many as the i686
 * argument bytes count arguments (one for cdecl) - registers the resolver's thunk must keep. */
static DWORD fake_answer(const struct export_row *row)
{
    int count = row->arg_bytes < 0 ? 1 : row->arg_bytes / 4;
    if (sizeof(void *) == 4 && count > 1)
        count = 1;
    DWORD answer = row->sentinel;
    for (int i = 0; i < count && i < 4; i++)
        answer ^= (DWORD)arguments[i];
    return answer;
}
#define FAKE_ORIGINAL "fake_original_nmapi.dll"

static HMODULE nmapi_module(void)
{
    HMODULE m = GetModuleHandleA("nmapi.dll");
    assert_non_null(m);
    return m;
}

/* Calls every export outside the runtime with `arguments`; checks the value each
 * returns (its failure value, or the fake's sentinel when forwarded) and the stack. */
static void check_every_outside_export(int forwarded)
{
    HMODULE m = nmapi_module();
    int checked = 0;
    for (int i = 0; i < NMAPI_EXPORT_COUNT; i++) {
        const struct export_row *row = &export_rows[i];
        if (row->ours)
            continue;
        FARPROC fn = GetProcAddress(m, row->name);
        assert_non_null(fn);
        if (row->native && !forwarded) {
            checked++;          /* the runtime's own answer: tested with real arguments */
            continue;
        }
        int count = row->arg_bytes >= 0 ? row->arg_bytes / 4 : 1;   /* cdecl: one */
        if (sizeof(void *) == 8)
            count = 4;          /* all argument registers; the caller owns the stack area */
        for (int round = 0; round < 2; round++) {    /* the first call may resolve */
            long delta;
            ULONG_PTR got = call_export(fn, arguments, count, &delta);
            long long expected = row->failure;
            if (forwarded)
                expected = fake_answer(row);
            if ((DWORD)got != (DWORD)expected)
                print_error("%s returned 0x%lx, expected 0x%lx\n", row->name,
                            (unsigned long)(DWORD)got, (unsigned long)(DWORD)expected);
            assert_int_equal((DWORD)got, (DWORD)expected);
            if (!forwarded && expected == 0)
                assert_true(got == 0);               /* a whole NULL pointer */
            long popped_by_caller = row->arg_bytes < 0 && sizeof(void *) == 4 ? 4L * count : 0;
            assert_int_equal(delta, -popped_by_caller);
        }
        checked++;
    }
    assert_int_equal(checked, NMAPI_FORWARD_COUNT);
}

/* The Expert* family is never forwarded: a call that the fake would answer with a sentinel
 * still gets this runtime's answer. */
static void check_expert_family_is_ours(void)
{
    DWORD error = POISON_ERROR;
    assert_null(ExpertAllocMemory(NULL, 16, &error));
    assert_int_equal(error, NMERR_INVALID_EXPERT_HANDLE);
    HEXPERTKEY key = create_key_with_limit(0);
    void *block = ExpertAllocMemory(key, 24, &error);
    assert_non_null(block);
    assert_int_equal(ExpertMemorySize(key, block), 24);
    assert_int_equal(ExpertFreeMemory(key, block), NMERR_SUCCESS);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_outside_exports_return_their_failure_values(void **state)
{
    (void)state;
    check_every_outside_export(0);
}

static void test_forward_to_refuses_what_it_cannot_use(void **state)
{
    (void)state;
    char own_path[MAX_PATH];
    GetModuleFileNameA(nmapi_module(), own_path, sizeof own_path);
    DWORD resolved = 12345;
    assert_int_equal(ExpertHostForwardTo(NULL, &resolved), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostForwardTo("", &resolved), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostForwardTo(own_path, &resolved), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostForwardTo("nmapi.dll", &resolved), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostForwardTo("version.dll", &resolved), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostForwardTo("no_such_original.dll", &resolved),
                     NMERR_FILE_NOT_FOUND);
    assert_int_equal(resolved, 12345);                /* untouched on failure */
    check_every_outside_export(0);                    /* and nothing else changed */
}

static void test_forward_to_the_fake_original(void **state)
{
    (void)state;
    DWORD resolved = 0;
    assert_int_equal(ExpertHostForwardTo(FAKE_ORIGINAL, &resolved), NMERR_SUCCESS);
    assert_int_equal(resolved, NMAPI_FORWARD_COUNT);
    check_every_outside_export(1);
    check_expert_family_is_ours();
    /* A second call replaces the target with the same functions. */
    assert_int_equal(ExpertHostForwardTo(FAKE_ORIGINAL, NULL), NMERR_SUCCESS);
    check_every_outside_export(1);
}

static void test_environment_forwards_without_a_host_call(void **state)
{
    (void)state;
    check_every_outside_export(1);
    check_expert_family_is_ours();
}

static void test_environment_naming_a_missing_dll_changes_nothing(void **state)
{
    (void)state;
    check_every_outside_export(0);
    check_expert_family_is_ours();
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "";
    if (!strcmp(scenario, "env-forwarded")) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_environment_forwards_without_a_host_call),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    if (!strcmp(scenario, "env-missing")) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_environment_naming_a_missing_dll_changes_nothing),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outside_exports_return_their_failure_values),
        cmocka_unit_test(test_forward_to_refuses_what_it_cannot_use),
        cmocka_unit_test(test_forward_to_the_fake_original),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
