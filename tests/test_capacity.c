/*
 * Capacity: keys are created, each holding a stamped block, until the DLL refuses or MAX_KEYS
 * are live. At least MIN_KEYS must fit; a refusal, when it comes, must be clean
 * (NMERR_OUT_OF_MEMORY, no key written, nothing left behind); a host with room for MAX_KEYS
 * keys is not an error. However many are live, they still work and none saw another's
 * memory; after all are destroyed the process holds no more heaps than before and a new key
 * works.
 */
#include "nmapi_test.h"

#define MIN_KEYS (sizeof(void *) == 8 ? 100000 : 10000)
#define MAX_KEYS (sizeof(void *) == 8 ? 120000 : 50000)
#define HELD 256

static HEXPERTKEY *keys;
static unsigned char **blocks;

/* Under Wine, Linux's limit on a process's memory mappings, read through drive Z:; -1 when
 * there is no such file (Windows). */
static long wine_map_limit(void)
{
    FILE *f = fopen("Z:\\proc\\sys\\vm\\max_map_count", "r");
    long limit = -1;
    if (f) {
        if (fscanf(f, "%ld", &limit) != 1)
            limit = -1;
        fclose(f);
    }
    return limit;
}

static unsigned char stamp_of(size_t i) { return (unsigned char)(i * 31 + 7); }

static void test_keys_up_to_capacity_work_and_are_all_reclaimed(void **state)
{
    (void)state;
    keys = calloc(MAX_KEYS, sizeof *keys);
    blocks = calloc(MAX_KEYS, sizeof *blocks);
    assert_non_null(keys);
    assert_non_null(blocks);
    DWORD heaps_before = GetProcessHeaps(0, NULL);
    DWORD start = GetTickCount();

    size_t n = 0;
    DWORD refusal = NMERR_SUCCESS;
    const char *refused_by = "nothing";
    while (n < MAX_KEYS) {
        HEXPERTKEY key = (HEXPERTKEY)(uintptr_t)0x5EED;
        refusal = ExpertHostCreateKey(NULL, &key);
        if (refusal != NMERR_SUCCESS) {
            assert_ptr_equal(key, (HEXPERTKEY)(uintptr_t)0x5EED);
            refused_by = "ExpertHostCreateKey";
            break;
        }
        unsigned char *p = ExpertAllocMemory(key, HELD, &refusal);
        if (!p) {   /* the key was made but cannot give memory: also a clean refusal */
            assert_live(key, 0, 0);
            assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
            refused_by = "ExpertAllocMemory";
            break;
        }
        fill(p, stamp_of(n), HELD);
        blocks[n] = p;
        keys[n++] = key;
    }
    double seconds = (GetTickCount() - start) / 1000.0;
    if (n == MAX_KEYS)
        print_message("capacity: %lu keys held at once, each with %d bytes, none refused "
                      "(%.1f s)\n", (unsigned long)n, HELD, seconds);
    else
        print_message("capacity: %lu keys held at once, each with %d bytes; then %s refused "
                      "with %lu (%.1f s)\n", (unsigned long)n, HELD, refused_by,
                      (unsigned long)refusal, seconds);
    if (n < MIN_KEYS) {
        long maps = wine_map_limit();
        if (maps >= 0)
            print_error("capacity: under Wine every key takes about 4 Linux mappings, and this "
                        "host allows %ld per process (vm.max_map_count; scripts/setup.sh raises "
                        "it to 1048576 as root)\n", maps);
    }
    assert_true(n >= MIN_KEYS);
    if (n < MAX_KEYS)
        assert_int_equal(refusal, NMERR_OUT_OF_MEMORY);

    /* However many are live, the keys still work, and none saw another's memory. */
    for (size_t i = 0; i < n; i += n / 64 + 1) {
        void *extra = ExpertAllocMemory(keys[i], 16, NULL);
        if (extra)
            assert_int_equal(ExpertFreeMemory(keys[i], extra), NMERR_SUCCESS);
        assert_live(keys[i], 1, HELD);
    }
    for (size_t i = 0; i < n; i++) {
        assert_filled(blocks[i], stamp_of(i), HELD);
        EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
        assert_int_equal(ExpertHostDestroyKey(keys[i], &r), NMERR_SUCCESS);
        assert_int_equal(r.LiveBlocks, 1);
        assert_int_equal(r.LiveBytes, HELD);
    }
    assert_int_equal(GetProcessHeaps(0, NULL), heaps_before);

    HEXPERTKEY fresh = create_key_with_limit(0);
    unsigned char *p = ExpertAllocMemory(fresh, 4096, NULL);
    assert_non_null(p);
    assert_filled(p, 0, 4096);
    assert_int_equal(ExpertHostDestroyKey(fresh, NULL), NMERR_SUCCESS);
    free(keys);
    free(blocks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_up_to_capacity_work_and_are_all_reclaimed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
