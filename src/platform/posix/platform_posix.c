/* platform_posix.c - platform.h's lock, waiting and record memory on POSIX, for the native
 * sanitizer and fuzzing build of the core. */
#define _GNU_SOURCE
#include "platform.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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

uint32_t plat_thread_id(void)
{
    static __thread uint32_t id;
    if (!id)
        id = (uint32_t)syscall(SYS_gettid);
    return id;
}

int plat_thread_ended(uint32_t id)
{
    return syscall(SYS_tgkill, getpid(), (pid_t)id, 0) != 0 && errno == ESRCH;
}

static uint64_t secret;
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;

static void read_secret(void)
{
    if (getrandom(&secret, sizeof secret, 0) != (ssize_t)sizeof secret) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        secret = ((uint64_t)now.tv_sec << 32) ^ (uint64_t)now.tv_nsec ^
                 ((uint64_t)getpid() << 16) ^ (uint64_t)(uintptr_t)&secret;
    }
}

uint64_t plat_secret(void)
{
    pthread_once(&secret_once, read_secret);
    return secret;
}

void plat_call_guarded(void (*fn)(void *), void *arg, int32_t volatile *mark)
{
    (void)mark;
    fn(arg);
}
