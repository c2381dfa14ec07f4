/* pages_win32.c - platform.h's address space and pages on Win32: VirtualAlloc and VirtualFree.
 * No heap of the OS is involved, so nothing but the expert's own bytes is ever in them. */
#include "platform.h"

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

void plat_release(void *p, size_t size)
{
    (void)size;
    VirtualFree(p, 0, MEM_RELEASE);
}
