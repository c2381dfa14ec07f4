/*
 * core_test.h - what the white-box tests of the core share. They include only the core's
 * internal headers, so they build both for Windows (run under Wine, over heap_win32.c) and
 * natively with ASan and UBSan (over heap_posix.c); fault_seam.h is linked in both.
 */
#ifndef NMAPI_CORE_TEST_H
#define NMAPI_CORE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fault_seam.h"

/* One thread beside the test's, to exercise rundown. */
#ifdef _WIN32
#include <windows.h>
typedef HANDLE test_thread;
static inline int test_thread_start(test_thread *t, DWORD (WINAPI *fn)(void *), void *arg)
{
    *t = CreateThread(NULL, 0, fn, arg, 0, NULL);
    return *t ? 0 : -1;
}
static inline void test_thread_join(test_thread t) { WaitForSingleObject(t, INFINITE); CloseHandle(t); }
static inline void test_sleep_ms(unsigned ms) { Sleep(ms); }
#define TEST_THREAD_FN(name, arg) DWORD WINAPI name(void *arg)
#define TEST_THREAD_RETURN return 0
#else
#include <pthread.h>
#include <time.h>
typedef pthread_t test_thread;
static inline int test_thread_start(test_thread *t, void *(*fn)(void *), void *arg)
{
    return pthread_create(t, NULL, fn, arg);
}
static inline void test_thread_join(test_thread t) { pthread_join(t, NULL); }
static inline void test_sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}
#define TEST_THREAD_FN(name, arg) void *name(void *arg)
#define TEST_THREAD_RETURN return NULL
#endif

static inline void assert_bytes(const void *p, unsigned char byte, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != byte)
            fail_msg("byte %lu is 0x%02x, expected 0x%02x", (unsigned long)i, b[i], byte);
}

static inline unsigned core_random(unsigned *state)
{
    unsigned x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

#endif
