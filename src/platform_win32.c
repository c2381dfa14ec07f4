/* platform_win32.c - the out-of-line part of platform.h: the DLL's own records live in the
 * process heap, never in an expert's private heap. */
#include "platform.h"

void *plat_zalloc(size_t size)
{
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);
}

void plat_free(void *p)
{
    if (p)
        HeapFree(GetProcessHeap(), 0, p);
}
