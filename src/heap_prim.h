/*
 * heap_prim.h - the allocation backend under one key: a private heap that can be destroyed
 * with everything in it at once. The key heap is its only user (slabs and large blocks) and
 * every call on one heap happens under the key's gate, so the backend need not be
 * thread-safe per heap.
 *
 * Win32 implementation: heap_win32.c (HeapCreate with HEAP_NO_SERIALIZE).
 */
#ifndef NMAPI_HEAP_PRIM_H
#define NMAPI_HEAP_PRIM_H

#include <stddef.h>

typedef struct heap_prim *heap_prim_t;

/* NULL when no heap can be created. */
heap_prim_t heap_prim_create(void);
/* Frees the heap and every block in it. */
void heap_prim_destroy(heap_prim_t heap);
/* A block of at least size bytes (size 0 allowed), zero-filled when zero is non-zero;
 * NULL when the heap cannot grow. */
void *heap_prim_alloc(heap_prim_t heap, size_t size, int zero);
/* Resizes; may move; contents kept up to the smaller size; bytes beyond the old size are
 * unspecified. NULL on failure, and then the block is unchanged. */
void *heap_prim_realloc(heap_prim_t heap, void *block, size_t size);
void heap_prim_free(heap_prim_t heap, void *block);

#endif
