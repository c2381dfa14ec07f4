/*
 * platform.h - the few OS primitives the core (registry, key heap) needs: a lock, atomics on a
 * LONG and a pointer, memory for the DLL's own records, and a way to let other threads run.
 * Win32 here; platform_posix.h is the twin that supplies the same names, so that the core
 * builds natively for sanitizers and fuzzing (tests/native/).
 */
#ifndef NMAPI_PLATFORM_H
#define NMAPI_PLATFORM_H

#ifndef _WIN32
#include "platform_posix.h"
#else

#include <stddef.h>
#include <windows.h>

typedef SRWLOCK plat_lock;
#define PLAT_LOCK_INIT SRWLOCK_INIT

static inline void plat_lock_init(plat_lock *l)    { InitializeSRWLock(l); }
static inline void plat_lock_acquire(plat_lock *l) { AcquireSRWLockExclusive(l); }
static inline void plat_lock_release(plat_lock *l) { ReleaseSRWLockExclusive(l); }

/* Loads are acquire loads (a plain mov on x86); read-modify-writes and stores are full
 * barriers (Interlocked*). */
static inline LONG plat_load(LONG volatile *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline LONG plat_cas(LONG volatile *p, LONG desired, LONG expected)
{
    return InterlockedCompareExchange(p, desired, expected);
}
static inline LONG plat_add(LONG volatile *p, LONG delta)  /* returns the new value */
{
    return InterlockedExchangeAdd(p, delta) + delta;
}
static inline void plat_store(LONG volatile *p, LONG v) { InterlockedExchange(p, v); }
static inline void *plat_load_ptr(void *volatile *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void plat_store_ptr(void *volatile *p, void *v) { InterlockedExchangePointer(p, v); }

/* Zero-filled memory for the DLL's own records (never in an expert's heap); NULL on failure.
 * plat_free(NULL) is a no-op. Out of line (platform_win32.c) on purpose: records are made
 * rarely, and a call across objects is a seam that tests/fault/ can make fail. */
void *plat_zalloc(size_t size);
void plat_free(void *p);

/* Backs off while another thread finishes: spins first, then yields, then sleeps. */
static inline void plat_backoff(unsigned attempt)
{
    if (attempt < 16)
        YieldProcessor();
    else if (attempt < 64)
        SwitchToThread();
    else
        Sleep(1);
}

#endif /* _WIN32 */
#endif
