/* platform_win32.c - platform.h's lock, waiting and record memory on Win32. The DLL's own
 * records live in the process heap, never in an expert's private heap. */
#include "platform.h"

#include <windows.h>

_Static_assert(sizeof(SRWLOCK) <= sizeof(plat_lock), "an SRW lock fits in plat_lock");

void plat_lock_acquire(plat_lock *l) { AcquireSRWLockExclusive((PSRWLOCK)l); }
void plat_lock_release(plat_lock *l) { ReleaseSRWLockExclusive((PSRWLOCK)l); }

void plat_backoff(unsigned attempt)
{
    if (attempt < 16)
        YieldProcessor();
    else if (attempt < 64)
        SwitchToThread();
    else
        Sleep(1);
}

void *plat_zalloc(size_t size)
{
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);
}

void plat_free(void *p)
{
    if (p)
        HeapFree(GetProcessHeap(), 0, p);
}
