/* pages_posix.c - platform.h's address space and pages on POSIX, for the native sanitizer and
 * fuzzing builds (tests/native/): a PROT_NONE mapping reserves, mprotect commits, and
 * MADV_DONTNEED then PROT_NONE decommits (private anonymous pages come back zero-filled). */
#define _GNU_SOURCE
#include "platform.h"

#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <sys/sysinfo.h>

void *plat_reserve(size_t size)
{
    /* Over-reserve to align to PLAT_REGION_ALIGN, as Windows' reservations are, then trim. */
    if (size > SIZE_MAX - PLAT_REGION_ALIGN)
        return NULL;
    size_t padded = size + PLAT_REGION_ALIGN;
    char *p = mmap(NULL, padded, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *aligned = (char *)(((uintptr_t)p + PLAT_REGION_ALIGN - 1) &
                             ~(uintptr_t)(PLAT_REGION_ALIGN - 1));
    if (aligned > p)
        munmap(p, (size_t)(aligned - p));
    size_t tail = (size_t)(p + padded - (aligned + size));
    if (tail)
        munmap(aligned + size, tail);
    return aligned;
}

/* One byte of every page read through process_vm_readv, which reports an unreadable page as
 * an error instead of a fault. */
int plat_readable(const void *p, size_t size)
{
    uintptr_t at = (uintptr_t)p, end = at + (size ? size : 1);
    while (at < end) {
        char byte;
        struct iovec local = { &byte, 1 }, remote = { (void *)at, 1 };
        if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
            return 0;
        at = (at | (PLAT_PAGE - 1)) + 1;
    }
    return 1;
}

int plat_commit(void *p, size_t size)
{
    return mprotect(p, size, PROT_READ | PROT_WRITE) == 0 ? 0 : -1;
}

void plat_decommit(void *p, size_t size)
{
    madvise(p, size, MADV_DONTNEED);
    mprotect(p, size, PROT_NONE);
}

void plat_release(void *p, size_t size)
{
    munmap(p, size);
}

size_t plat_grantable_max(void)
{
    static volatile size_t cached;
    size_t max = cached;
    if (!max) {
        struct sysinfo info;
        unsigned long long limit = (size_t)-1;
        if (sysinfo(&info) == 0)
            limit = ((unsigned long long)info.totalram + info.totalswap) * info.mem_unit;
        max = limit < (size_t)-1 ? (size_t)limit : (size_t)-1;
        cached = max;
    }
    return max;
}

int plat_map_twice(size_t size, void **rw, const void **ro)
{
    int fd = memfd_create("nmapi-frames", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    void *w = MAP_FAILED, *r = MAP_FAILED;
    if (ftruncate(fd, (off_t)size) == 0) {
        w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        r = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    }
    close(fd);                 /* the mappings keep the memory */
    if (w == MAP_FAILED || r == MAP_FAILED) {
        if (w != MAP_FAILED)
            munmap(w, size);
        if (r != MAP_FAILED)
            munmap(r, size);
        return -1;
    }
    *rw = w;
    *ro = r;
    return 0;
}

void plat_unmap_twice(size_t size, void *rw, const void *ro)
{
    munmap(rw, size);
    munmap((void *)ro, size);
}
