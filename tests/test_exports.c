/* A host that uses LoadLibrary + GetProcAddress finds every export under its undecorated name,
 * and no decorated one. (check_exports.cmake pins the full export table at build time.) */
#include "nmapi_test.h"

static HMODULE dll;

static int load_dll(void **state)
{
    (void)state;
    dll = LoadLibraryA("nmapi.dll");
    return dll ? 0 : -1;
}

static int unload_dll(void **state)
{
    (void)state;
    FreeLibrary(dll);
    return 0;
}

static void test_every_export_resolves_undecorated(void **state)
{
    (void)state;
    char names[] = NMAPI_EXPORT_LIST;
    int count = 0;
    for (char *name = strtok(names, ","); name; name = strtok(NULL, ",")) {
        if (!GetProcAddress(dll, name))
            fail_msg("GetProcAddress(\"%s\") failed", name);
        char decorated[128];
        snprintf(decorated, sizeof decorated, "_%s@", name);
        for (int bytes = 0; bytes <= 64; bytes += 4) {
            snprintf(decorated, sizeof decorated, "%s@%d", name, bytes);
            assert_null(GetProcAddress(dll, decorated));
            snprintf(decorated, sizeof decorated, "_%s@%d", name, bytes);
            assert_null(GetProcAddress(dll, decorated));
        }
        count++;
    }
    assert_true(count >= 10);
}

static void test_the_host_api_works_through_function_pointers(void **state)
{
    (void)state;
    PFN_ExpertHostCreateKey create = (PFN_ExpertHostCreateKey)(void *)GetProcAddress(dll, "ExpertHostCreateKey");
    PFN_ExpertHostDestroyKey destroy = (PFN_ExpertHostDestroyKey)(void *)GetProcAddress(dll, "ExpertHostDestroyKey");
    PFN_ExpertAllocMemory alloc = (PFN_ExpertAllocMemory)(void *)GetProcAddress(dll, "ExpertAllocMemory");
    assert_non_null(create);
    assert_non_null(destroy);
    assert_non_null(alloc);
    HEXPERTKEY key;
    assert_int_equal(create(NULL, &key), NMERR_SUCCESS);
    DWORD error = POISON_ERROR;
    assert_non_null(alloc(key, 77, &error));
    assert_int_equal(error, NMERR_SUCCESS);
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    assert_int_equal(destroy(key, &r), NMERR_SUCCESS);
    assert_int_equal(r.LiveBytes, 77);
}

static void test_the_dll_carries_a_version_resource(void **state)
{
    (void)state;
    char path[MAX_PATH];
    assert_true(GetModuleFileNameA(dll, path, sizeof path) > 0);
    DWORD handle = 0, size = GetFileVersionInfoSizeA(path, &handle);
    assert_true(size > 0);
    void *data = malloc(size);
    assert_true(GetFileVersionInfoA(path, 0, size, data));
    VS_FIXEDFILEINFO *info = NULL;
    UINT len = 0;
    assert_true(VerQueryValueA(data, "\\", (void **)&info, &len));
    assert_int_equal(HIWORD(info->dwFileVersionMS), NMAPI_VERSION_MAJOR);
    assert_int_equal(LOWORD(info->dwFileVersionMS), NMAPI_VERSION_MINOR);
    assert_int_equal(HIWORD(info->dwFileVersionLS), NMAPI_VERSION_PATCH);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_export_resolves_undecorated),
        cmocka_unit_test(test_the_host_api_works_through_function_pointers),
        cmocka_unit_test(test_the_dll_carries_a_version_resource),
    };
    return cmocka_run_group_tests(tests, load_dll, unload_dll);
}
