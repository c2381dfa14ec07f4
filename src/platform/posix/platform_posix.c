/* platform_posix.c - platform.h's lock, waiting and record memory on POSIX, for the native
 * sanitizer and fuzzing build of the core. */
#include "platform.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

_Static_assert(sizeof(pthread_mutex_t) <= sizeof(plat_lock), "a mutex fits in plat_lock");

/* glibc's PTHREAD_MUTEX_INITIALIZER is all zeros, which is what PLAT_LOCK_INIT provides. */
void plat_lock_acquire(plat_lock *l) { pthread_mutex_lock((pthread_mutex_t *)(void *)l); }
void plat_lock_release(plat_lock *l) { pthread_mutex_unlock((pthread_mutex_t *)(void *)l); }

void plat_backoff(unsigned attempt)
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

void *plat_zalloc(size_t size)
{
    return calloc(1, size ? size : 1);
}

void plat_free(void *p)
{
    free(p);
}
