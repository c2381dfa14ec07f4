/* contenders.c - the allocators the benchmark compares, each behind struct contender. */
#include "bench.h"

#include <stdlib.h>

#include <windows.h>
#include <mimalloc.h>

#include "nmapi.h"

/* --- nmapi.dll: what an expert calls --------------------------------------------------------- */
static void *shim_open(void)
{
    HEXPERTKEY key = NULL;
    return ExpertHostCreateKey(NULL, &key) == NMERR_SUCCESS ? key : NULL;
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
    "nmapi", shim_open, shim_close, shim_alloc, shim_release, NULL,
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
