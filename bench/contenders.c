/* contenders.c - the allocators the benchmark compares, each behind struct contender. */
#include "bench.h"

#include <stdlib.h>

#include <windows.h>
#include <mimalloc.h>

#include "nmapi.h"

/* --- nmapi.dll: what an expert calls --------------------------------------------------------- */

/* Private memory the process has committed outside every Win32 heap: where nmapi.dll puts the
 * keys' regions (VirtualAlloc), page-exact. -1 when the heaps cannot be listed. */
static long long committed_outside_heaps(void)
{
    HANDLE heaps[4096];
    DWORD n = GetProcessHeaps(sizeof heaps / sizeof heaps[0], heaps);
    if (n > sizeof heaps / sizeof heaps[0])
        return -1;
    long long bytes = 0;
    MEMORY_BASIC_INFORMATION mbi;
    for (char *p = NULL; VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi;
         p = (char *)mbi.BaseAddress + mbi.RegionSize) {
        int in_heap = 0;
        for (DWORD i = 0; i < n && !in_heap; i++)
            in_heap = mbi.AllocationBase == (void *)heaps[i];
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE && !in_heap)
            bytes += (long long)mbi.RegionSize;
        if ((char *)mbi.BaseAddress + mbi.RegionSize < p)
            break;
    }
    return bytes;
}

/* What the process held when the key was opened: its regions and records are what grew. */
static long long shim_baseline;

static long long process_bytes(void)
{
    long long outside = committed_outside_heaps(), in_heaps = bench_heap_busy_bytes();
    return outside < 0 || in_heaps < 0 ? -1 : outside + in_heaps;
}

static void *shim_open(void)
{
    HEXPERTKEY key = NULL;
    shim_baseline = process_bytes();
    return ExpertHostCreateKey(NULL, &key) == NMERR_SUCCESS ? key : NULL;
}

/* The key's committed pages (slabs and large spans) and its records (its session in the
 * process heap; slab descriptors, maps and tables in the record pool's pages). */
static long long shim_held_bytes(void *arena)
{
    (void)arena;
    long long now = process_bytes();
    return now < 0 || shim_baseline < 0 ? -1 : now - shim_baseline;
}

static void shim_close(void *arena)
{
    ExpertHostDestroyKey((HEXPERTKEY)arena, NULL);
}

static void *shim_alloc(void *arena, size_t size)
{
    DWORD error;
    return ExpertAllocMemory((HEXPERTKEY)arena, size, &error);
}

static void shim_release(void *arena, void *block)
{
    ExpertFreeMemory((HEXPERTKEY)arena, block);
}

const struct contender contender_shim = {
    "nmapi", shim_open, shim_close, shim_alloc, shim_release, shim_held_bytes,
};

/* --- the raw Win32 private heap it stands in for: serialised, as a heap shared by an
 * expert's threads must be ---------------------------------------------------------------- */
static void *win32_open(void)
{
    return HeapCreate(0, 0, 0);
}

static void win32_close(void *arena)
{
    HeapDestroy(arena);
}

static void *win32_alloc(void *arena, size_t size)
{
    return HeapAlloc(arena, HEAP_ZERO_MEMORY, size);
}

static void win32_release(void *arena, void *block)
{
    HeapFree(arena, 0, block);
}

const struct contender contender_win32 = {
    "win32", win32_open, win32_close, win32_alloc, win32_release, NULL,
};

/* --- a mimalloc heap: the per-owner general-purpose allocator to compare with ---------------- */
static void *mimalloc_open(void)
{
    return mi_heap_new();
}

static void mimalloc_close(void *arena)
{
    mi_heap_destroy(arena);
}

static void *mimalloc_alloc(void *arena, size_t size)
{
    return mi_heap_zalloc(arena, size);
}

static void mimalloc_release(void *arena, void *block)
{
    (void)arena;
    mi_free(block);
}

/* mimalloc's pages are not Win32 heaps: count the slots it has set up in each page it holds
 * (used or free), as a slab counts whole for nmapi. */
static bool count_area(const mi_heap_t *heap, const mi_heap_area_t *area, void *block,
                       size_t block_size, void *arg)
{
    (void)heap;
    (void)block;
    (void)block_size;
    if (area)
        *(long long *)arg += (long long)area->committed;
    return true;
}

static long long mimalloc_held_bytes(void *arena)
{
    long long bytes = 0;
    mi_heap_visit_blocks(arena, false, count_area, &bytes);
    return bytes;
}

const struct contender contender_mimalloc = {
    "mimalloc", mimalloc_open, mimalloc_close, mimalloc_alloc, mimalloc_release,
    mimalloc_held_bytes,
};

/* --- the C runtime's calloc/free (msvcrt.dll): one process-wide heap ---------------------- */
static void *msvcrt_open(void)
{
    return (void *)1;   /* no arena of its own; callers free every block before close */
}

static void msvcrt_close(void *arena)
{
    (void)arena;
}

static void *msvcrt_alloc(void *arena, size_t size)
{
    (void)arena;
    return calloc(1, size);
}

static void msvcrt_release(void *arena, void *block)
{
    (void)arena;
    free(block);
}

const struct contender contender_msvcrt = {
    "msvcrt", msvcrt_open, msvcrt_close, msvcrt_alloc, msvcrt_release, NULL,
};
