/*
 * test_records.c - a key's records (core/records.h) and the pool their chunks come from
 * (core/record_pool.h): every record zero-filled, aligned, its own; a freed one reused clean;
 * release gives every chunk back, so keys made and destroyed for ever reserve nothing more;
 * threads taking and giving chunks at once never share one.
 */
#include "core_test.h"

#include "record_pool.h"
#include "platform.h"
#include "records.h"

static const size_t sizes[] = { 1, 16, 32, 33, 100, 256, 1000, 4096, 5000, 8192,
                                8193, 20000, 100000 };
#define SIZES (sizeof sizes / sizeof sizes[0])

static void test_records_are_zeroed_aligned_and_apart(void **state)
{
    (void)state;
    struct records r = { 0 };
    unsigned char *p[SIZES][3];
    for (size_t round = 0; round < 3; round++)
        for (size_t i = 0; i < SIZES; i++) {
            p[i][round] = records_alloc(&r, sizes[i]);
            assert_non_null(p[i][round]);
            assert_int_equal((uintptr_t)p[i][round] % 16, 0);
            assert_bytes(p[i][round], 0, sizes[i]);
            memset(p[i][round], (int)(i * 3 + round + 1), sizes[i]);
        }
    assert_int_equal(r.live, 3 * SIZES);
    for (size_t round = 0; round < 3; round++)   /* no record overlapped another */
        for (size_t i = 0; i < SIZES; i++)
            assert_bytes(p[i][round], (unsigned char)(i * 3 + round + 1), sizes[i]);
    records_release(&r);
    assert_int_equal(r.live, 0);
    assert_null(r.chunks);
    assert_null(r.big);
}

static void test_a_freed_record_comes_back_zeroed(void **state)
{
    (void)state;
    struct records r = { 0 };
    for (size_t i = 0; i < SIZES; i++) {
        unsigned char *p = records_alloc(&r, sizes[i]);
        assert_non_null(p);
        memset(p, 0xA5, sizes[i]);
        records_free(&r, p, sizes[i]);
        unsigned char *q = records_alloc(&r, sizes[i]);
        assert_non_null(q);
        if (sizes[i] <= RECORDS_MAX_SMALL)
            assert_ptr_equal(q, p);                /* the class's free list */
        assert_bytes(q, 0, sizes[i]);
        records_free(&r, q, sizes[i]);
    }
    assert_int_equal(r.live, 0);
    records_release(&r);
}

/* Keys made and destroyed over and over: each set of records is served by the chunks the one
 * before gave back. */
static void test_released_chunks_serve_the_next_records(void **state)
{
    (void)state;
    struct records r = { 0 };
    assert_non_null(records_alloc(&r, 64));
    records_release(&r);
    size_t reserved = record_pool_reserved();
    for (int key = 0; key < 1000; key++) {
        for (int i = 0; i < 40; i++)
            assert_non_null(records_alloc(&r, 256 + (size_t)i * 64));
        assert_non_null(r.chunks);
        records_release(&r);
        assert_null(r.chunks);
    }
    assert_int_equal(record_pool_reserved(), reserved);
}

/* More chunks than a span holds, all distinct; given back, they serve again, reserving
 * nothing more. */
static void test_the_pool_hands_each_chunk_once_and_takes_it_back(void **state)
{
    (void)state;
    enum { N = 600 };
    static char *chunk[N];
    static void *span[N];
    for (int i = 0; i < N; i++) {
        chunk[i] = record_pool_take(&span[i]);
        assert_non_null(chunk[i]);
        assert_int_equal((uintptr_t)chunk[i] % PLAT_PAGE, 0);
        for (int j = 0; j < i; j++)
            assert_true(chunk[j] + RECORD_POOL_CHUNK <= chunk[i] ||
                        chunk[i] + RECORD_POOL_CHUNK <= chunk[j]);
    }
    size_t reserved = record_pool_reserved();
    assert_true(reserved >= N * RECORD_POOL_CHUNK);
    for (int round = 0; round < 3; round++) {   /* given back, they serve again: no growth */
        for (int i = 0; i < N; i++)
            record_pool_give(chunk[i], span[i]);
        for (int i = 0; i < N; i++)
            assert_non_null(chunk[i] = record_pool_take(&span[i]));
        assert_int_equal(record_pool_reserved(), reserved);
    }
    for (int i = 0; i < N; i++)
        record_pool_give(chunk[i], span[i]);
}

#define THREADS 4
#define ROUNDS 300

struct worker {
    unsigned char stamp;
    int failures;
};

static TEST_THREAD_FN(records_worker, arg)
{
    struct worker *w = arg;
    unsigned rng = 77u + w->stamp;
    for (int round = 0; round < ROUNDS; round++) {
        struct records r = { 0 };
        unsigned char *p[24];
        size_t n[24];
        for (int i = 0; i < 24; i++) {
            n[i] = 1 + core_random(&rng) % 6000;
            if (!(p[i] = records_alloc(&r, n[i]))) {
                w->failures++;
                n[i] = 0;
                continue;
            }
            for (size_t k = 0; k < n[i]; k++)
                w->failures += p[i][k] != 0;
            memset(p[i], w->stamp, n[i]);
        }
        for (int i = 0; i < 24; i++)
            for (size_t k = 0; k < n[i]; k++)
                w->failures += p[i][k] != w->stamp;
        records_release(&r);
    }
    TEST_THREAD_RETURN;
}

static void test_threads_never_share_a_chunk(void **state)
{
    (void)state;
    struct worker w[THREADS];
    test_thread t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){ (unsigned char)(0x11 * (i + 1)), 0 };
        assert_int_equal(test_thread_start(&t[i], records_worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        test_thread_join(t[i]);
        assert_int_equal(w[i].failures, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_are_zeroed_aligned_and_apart),
        cmocka_unit_test(test_a_freed_record_comes_back_zeroed),
        cmocka_unit_test(test_released_chunks_serve_the_next_records),
        cmocka_unit_test(test_the_pool_hands_each_chunk_once_and_takes_it_back),
        cmocka_unit_test(test_threads_never_share_a_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
