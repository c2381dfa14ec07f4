/* pages_win32.c - platform.h's address space and pages on Win32: VirtualAlloc and VirtualFree.
 * No heap of the OS is involved, so nothing but the expert's own bytes is ever in them. */
#include "platform.h"

#include <stdint.h>
#include <windows.h>

void *plat_reserve(size_t size)
{
    return VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS);
}

int plat_commit(void *p, size_t size)
{
    return VirtualAlloc(p, size, MEM_COMMIT, PAGE_READWRITE) ? 0 : -1;
}

void plat_decommit(void *p, size_t size)
{
    VirtualFree(p, size, MEM_DECOMMIT);
}

int plat_readable(const void *p, size_t size)
{
    const DWORD readable = PAGE_READONLY | PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READ |
                           PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY;
    uintptr_t at = (uintptr_t)p, end = at + (size ? size : 1);
    while (at < end) {
        MEMORY_BASIC_INFORMATION info;
        if (!VirtualQuery((const void *)at, &info, sizeof info) || info.State != MEM_COMMIT ||
            !(info.Protect & readable) || (info.Protect & (PAGE_GUARD | PAGE_NOACCESS)))
            return 0;
        uintptr_t next = (uintptr_t)info.BaseAddress + info.RegionSize;
        if (next <= at)
            return 0;
        at = next;
    }
    return 1;
}

void plat_release(void *p, size_t size)
{
    (void)size;
    VirtualFree(p, 0, MEM_RELEASE);
}

size_t plat_grantable_max(void)
{
    static volatile size_t cached;
    size_t max = cached;
    if (max)
        return max;
    /* The address space, from the system's fixed figures. */
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    unsigned long long limit = (unsigned long long)((uintptr_t)si.lpMaximumApplicationAddress -
                                                    (uintptr_t)si.lpMinimumApplicationAddress) + 1;
    /* The commit limit, when the OS gives a plausible one: Wine's GlobalMemoryStatusEx serves
     * a cached copy that a concurrent call may be rewriting, so zeros are not believed. */
    for (int attempt = 0; attempt < 3; attempt++) {
        MEMORYSTATUSEX status = { .dwLength = sizeof status };
        if (GlobalMemoryStatusEx(&status) && status.ullTotalPageFile >= PLAT_REGION_ALIGN &&
            status.ullTotalPhys >= PLAT_REGION_ALIGN) {
            if (status.ullTotalPageFile < limit)
                limit = status.ullTotalPageFile;
            break;
        }
    }
    max = limit < (size_t)-1 ? (size_t)limit : (size_t)-1;
    cached = max;                     /* the same answer from any thread: a race only repeats it */
    return max;
}

int plat_map_twice(size_t size, void **rw, const void **ro)
{
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE,
                                        (DWORD)((uint64_t)size >> 32), (DWORD)size, NULL);
    if (!section)
        return -1;
    void *w = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, size);
    const void *r = w ? MapViewOfFile(section, FILE_MAP_READ, 0, 0, size) : NULL;
    CloseHandle(section);      /* the views keep the section */
    if (!r) {
        if (w)
            UnmapViewOfFile(w);
        return -1;
    }
    *rw = w;
    *ro = r;
    return 0;
}

void plat_unmap_twice(size_t size, void *rw, const void *ro)
{
    (void)size;
    UnmapViewOfFile(rw);
    UnmapViewOfFile(ro);
}
