/* heap_win32.c - platform.h's private heap on Win32. */
#include "platform.h"

#include <windows.h>

heap_prim_t heap_prim_create(void)
{
    /* HEAP_NO_SERIALIZE: the key's gate already serialises every call on this heap. */
    return (heap_prim_t)HeapCreate(HEAP_NO_SERIALIZE, 0, 0);
}

void heap_prim_destroy(heap_prim_t heap)
{
    HeapDestroy((HANDLE)heap);
}

void *heap_prim_alloc(heap_prim_t heap, size_t size, int zero)
{
    return HeapAlloc((HANDLE)heap, zero ? HEAP_ZERO_MEMORY : 0, size);
}

void *heap_prim_realloc(heap_prim_t heap, void *block, size_t size)
{
    return HeapReAlloc((HANDLE)heap, 0, block, size);
}

void heap_prim_free(heap_prim_t heap, void *block)
{
    HeapFree((HANDLE)heap, 0, block);
}
