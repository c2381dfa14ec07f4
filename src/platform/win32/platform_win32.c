/* platform_win32.c - platform.h's lock, waiting and record memory on Win32. The DLL's own
 * records live in the process heap, never in an expert's private heap. */
#include "platform.h"

#include <windows.h>
#include <ntsecapi.h>

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

int plat_thread_ended(uint32_t id)
{
    HANDLE thread = OpenThread(SYNCHRONIZE, FALSE, id);
    if (!thread)
        return GetLastError() == ERROR_INVALID_PARAMETER;   /* no thread has this ID */
    int ended = WaitForSingleObject(thread, 0) == WAIT_OBJECT_0;
    CloseHandle(thread);
    return ended;
}

uint64_t plat_secret(void)
{
    static volatile uint64_t cached;
    static volatile LONG ready;
    if (ready)
        return cached;
    uint64_t secret;
    if (!RtlGenRandom(&secret, sizeof secret)) {
        LARGE_INTEGER now;
        QueryPerformanceCounter(&now);
        secret = (uint64_t)now.QuadPart ^ ((uint64_t)GetCurrentProcessId() << 32) ^
                 (uint64_t)(uintptr_t)&cached ^ (uint64_t)(uintptr_t)GetModuleHandleW(NULL);
    }
    /* The first thread to finish wins; a racing one returns the winner's value. */
    if (InterlockedCompareExchange(&ready, 1, 0) == 0) {
        cached = secret;
        InterlockedExchange(&ready, 2);
    }
    while (ready != 2)
        YieldProcessor();
    return cached;
}
