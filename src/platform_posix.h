/*
 * platform_posix.h - platform.h's twin for a native POSIX build of the core (registry, key
 * heap, block table), used only by the sanitizer and fuzzing builds in tests/native/. Same
 * names, same guarantees: a mutex for plat_lock, GCC/Clang atomics with the orderings the
 * Win32 side documents (acquire loads; full barriers for read-modify-writes and stores).
 * Included by platform.h; do not include it directly.
 */
#ifndef NMAPI_PLATFORM_POSIX_H
#define NMAPI_PLATFORM_POSIX_H

#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef int32_t LONG;   /* Win32's LONG is 32 bits on both Windows ABIs */

typedef pthread_mutex_t plat_lock;
#define PLAT_LOCK_INIT PTHREAD_MUTEX_INITIALIZER

static inline void plat_lock_init(plat_lock *l)    { pthread_mutex_init(l, NULL); }
static inline void plat_lock_acquire(plat_lock *l) { pthread_mutex_lock(l); }
static inline void plat_lock_release(plat_lock *l) { pthread_mutex_unlock(l); }

static inline LONG plat_load(LONG volatile *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline LONG plat_cas(LONG volatile *p, LONG desired, LONG expected)   /* returns the old value */
{
    __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
}
static inline LONG plat_add(LONG volatile *p, LONG delta)  /* returns the new value */
{
    return __atomic_add_fetch(p, delta, __ATOMIC_SEQ_CST);
}
static inline void plat_store(LONG volatile *p, LONG v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
static inline void *plat_load_ptr(void *volatile *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void plat_store_ptr(void *volatile *p, void *v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }

/* Out of line (platform_posix.c), like the Win32 side, so that fault injection can wrap them. */
void *plat_zalloc(size_t size);
void plat_free(void *p);

static inline void plat_backoff(unsigned attempt)
{
    if (attempt < 16) {
        __asm__ __volatile__("" ::: "memory");
    } else if (attempt < 64) {
        sched_yield();
    } else {
        struct timespec ms = { 0, 1000000 };
        nanosleep(&ms, NULL);
    }
}

#endif
