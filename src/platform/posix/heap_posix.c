/*
 * heap_posix.c - platform.h's private heap for the native sanitizer and fuzzing builds (tests/native/).
 *
 * A "heap" is a list of separately malloc'd blocks, each behind a small header that links it
 * into its heap, so that destroying the heap frees every block. One malloc per block is what
 * lets AddressSanitizer put a redzone around each expert block and report any access outside
 * it. Not a production allocator: nmapi.dll uses heap_win32.c.
 */
#include "platform.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct block_header {
    alignas(16) struct block_header *prev;   /* keeps the block 16-aligned */
    struct block_header *next;
};

struct heap_prim {
    struct block_header list;   /* circular, with this as the sentinel */
};

static void *payload(struct block_header *h) { return h + 1; }
static struct block_header *header_of(void *block) { return (struct block_header *)block - 1; }

static void link_after(struct block_header *at, struct block_header *h)
{
    h->prev = at;
    h->next = at->next;
    at->next->prev = h;
    at->next = h;
}

static void unlink_block(struct block_header *h)
{
    h->prev->next = h->next;
    h->next->prev = h->prev;
}

heap_prim_t heap_prim_create(void)
{
    heap_prim_t heap = malloc(sizeof *heap);
    if (heap)
        heap->list.prev = heap->list.next = &heap->list;
    return heap;
}

void heap_prim_destroy(heap_prim_t heap)
{
    struct block_header *h = heap->list.next;
    while (h != &heap->list) {
        struct block_header *next = h->next;
        free(h);
        h = next;
    }
    free(heap);
}

void *heap_prim_alloc(heap_prim_t heap, size_t size, int zero)
{
    if (size > (size_t)-1 - sizeof(struct block_header))
        return NULL;
    struct block_header *h = zero ? calloc(1, sizeof *h + size) : malloc(sizeof *h + size);
    if (!h)
        return NULL;
    link_after(&heap->list, h);
    return payload(h);
}

void *heap_prim_realloc(heap_prim_t heap, void *block, size_t size)
{
    if (size > (size_t)-1 - sizeof(struct block_header))
        return NULL;
    struct block_header *old = header_of(block), *at = old->prev;
    unlink_block(old);
    struct block_header *h = realloc(old, sizeof *h + size);
    if (!h) {
        link_after(at, old);   /* realloc failed: the block is unchanged */
        return NULL;
    }
    link_after(at, h);
    (void)heap;
    return payload(h);
}

void heap_prim_free(heap_prim_t heap, void *block)
{
    (void)heap;
    struct block_header *h = header_of(block);
    unlink_block(h);
    free(h);
}
