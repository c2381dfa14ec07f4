/*
 * nmapi_test.h - what the cmocka tests share: cmocka itself, a fixture that gives each test a
 * fresh key, exact-statistics helpers, and a table of values that are not live keys.
 */
#ifndef NMAPI_TEST_H
#define NMAPI_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nmapi.h"

#define SIZE_FAILED ((SIZE_T)-1)
#define POISON_ERROR 0xDEADBEEFu

/* Fixture: *state is a fresh key without limit; teardown destroys it if the test did not. */
static inline int key_setup(void **state)
{
    HEXPERTKEY key = NULL;
    if (ExpertHostCreateKey(NULL, &key) != NMERR_SUCCESS)
        return -1;
    *state = key;
    return 0;
}

static inline int key_teardown(void **state)
{
    ExpertHostDestroyKey((HEXPERTKEY)*state, NULL);   /* may already be destroyed */
    return 0;
}

/* A zeroed EXPERTHOSTKEYINFO with its cbSize set, to fill in and pass to create_key_from. */
static inline EXPERTHOSTKEYINFO key_info(void)
{
    EXPERTHOSTKEYINFO info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    return info;
}

static inline HEXPERTKEY create_key_from(const EXPERTHOSTKEYINFO *info)
{
    HEXPERTKEY key = NULL;
    assert_int_equal(ExpertHostCreateKey(info, &key), NMERR_SUCCESS);
    return key;
}

static inline HEXPERTKEY create_key(SIZE_T limit, PEXPERTHOST_STATUS_CALLBACK on_status, PVOID context)
{
    EXPERTHOSTKEYINFO info = key_info();
    info.MemoryLimit = limit;
    info.pfnStatusChanged = on_status;
    info.CallbackContext = context;
    return create_key_from(&info);
}

static inline HEXPERTKEY create_key_with_limit(SIZE_T limit) { return create_key(limit, NULL, NULL); }

static inline EXPERTHOSTMEMORYSTATS query(HEXPERTKEY key)
{
    EXPERTHOSTMEMORYSTATS s;
    memset(&s, 0, sizeof s);
    s.cbSize = sizeof s;
    assert_int_equal(ExpertHostQueryMemory(key, &s), NMERR_SUCCESS);
    return s;
}

static inline void assert_stats_equal(const EXPERTHOSTMEMORYSTATS *a, const EXPERTHOSTMEMORYSTATS *b)
{
    assert_int_equal(a->LiveBlocks, b->LiveBlocks);
    assert_int_equal(a->LiveBytes, b->LiveBytes);
    assert_int_equal(a->PeakBytes, b->PeakBytes);
    assert_int_equal(a->MemoryLimit, b->MemoryLimit);
    assert_int_equal(a->TotalAllocations, b->TotalAllocations);
    assert_int_equal(a->FailedAllocations, b->FailedAllocations);
    assert_int_equal(a->OverrunsDetected, b->OverrunsDetected);
    assert_int_equal(a->WritesAfterFreeDetected, b->WritesAfterFreeDetected);
}

static inline void assert_live(HEXPERTKEY key, SIZE_T blocks, SIZE_T bytes)
{
    EXPERTHOSTMEMORYSTATS s = query(key);
    assert_int_equal(s.LiveBlocks, blocks);
    assert_int_equal(s.LiveBytes, bytes);
}

static inline void fill(void *p, unsigned char byte, SIZE_T n) { memset(p, byte, n); }

static inline void assert_filled(const void *p, unsigned char byte, SIZE_T n)
{
    const unsigned char *b = p;
    for (SIZE_T i = 0; i < n; i++)
        if (b[i] != byte)
            fail_msg("byte %lu is 0x%02x, expected 0x%02x", (unsigned long)i, b[i], byte);
}

/* A key that was live and has been destroyed. */
static inline HEXPERTKEY destroyed_key(void)
{
    HEXPERTKEY key;
    assert_int_equal(ExpertHostCreateKey(NULL, &key), NMERR_SUCCESS);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
    return key;
}

/* Values that are not live keys: NULL, small integers, addresses of real memory, all ones,
 * and a live key's neighbours (the next index, the lowest or highest stamp bit flipped, the
 * tag bit cleared, stamp 0). The caller
 * passes a live key whose neighbours to include; count is returned. */
static inline size_t forged_keys(HEXPERTKEY live, HEXPERTKEY *out)
{
    static char some_static;
    uintptr_t v = (uintptr_t)live;
    uintptr_t tag = (uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1);
    size_t n = 0;
    out[n++] = NULL;
    out[n++] = (HEXPERTKEY)(uintptr_t)1;
    out[n++] = (HEXPERTKEY)(uintptr_t)0x10;
    out[n++] = (HEXPERTKEY)(uintptr_t)0xdead0000u;
    out[n++] = (HEXPERTKEY)~(uintptr_t)0;
    out[n++] = (HEXPERTKEY)&some_static;
    out[n++] = (HEXPERTKEY)&out;
    out[n++] = (HEXPERTKEY)(v & ~tag);
    out[n++] = (HEXPERTKEY)(v + 1);
    out[n++] = (HEXPERTKEY)(v ^ ((uintptr_t)1 << (sizeof(uintptr_t) == 8 ? 20 : 16)));
    out[n++] = (HEXPERTKEY)(v ^ (tag >> 1));
    out[n++] = (HEXPERTKEY)tag;                           /* stamp 0, index 0 */
    out[n++] = destroyed_key();
    return n;
}
#define MAX_FORGED_KEYS 16

#endif
