/*
 * pages.h - one key's page arena: the memory of its slabs and of its large blocks, taken
 * straight from the OS (platform.h's reservations and commits) and described only by records
 * the expert is never given.
 *
 * A key reserves address space in regions: the first of PAGES_FIRST_REGION bytes, each next
 * one twice the last up to PAGES_MAX_REGION. A region is cut into spans of whole pages; which
 * pages are free is a bitmap in the region's record, in the DLL's own memory. A request of
 * more than PAGES_DEDICATED_MIN bytes gets a region of its own, released when it is freed. A
 * span is committed when handed out - so it starts zero-filled - and decommitted when it is
 * given back: its pages return to the OS, and an expert that touches them afterwards faults on
 * its own thread. Nothing here ever reads the memory of a span; what an expert writes in,
 * before, after or into a freed span cannot change what the arena believes.
 *
 * Destroying the arena releases its regions, one OS call per region, whatever the number of
 * blocks and whatever the expert did to the pages' protection. A request the address space
 * cannot hold is refused by the first reservation that fails: at once, committing nothing.
 *
 * Not thread-safe: the key's gate guards every call (but create and destroy, made when no
 * other call can run on the key).
 */
#ifndef NMAPI_PAGES_H
#define NMAPI_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"
#include "records.h"

#define PAGES_FIRST_REGION ((size_t)PLAT_REGION_ALIGN)            /* 64 KiB */
#define PAGES_MAX_REGION ((size_t)4 << 20)                         /* 4 MiB */
#define PAGES_MAX_REGION_PAGES (PAGES_MAX_REGION / PLAT_PAGE)      /* 1024 */
#define PAGES_DEDICATED_MIN ((size_t)1 << 20)                      /* larger: a region each */
#define PAGES_MAP_WORDS (PAGES_MAX_REGION_PAGES / 64)

struct page_region {
    uintptr_t base;
    size_t bytes;                       /* reserved */
    uint32_t pages;                     /* shared region: bytes / PLAT_PAGE */
    uint32_t free_pages;                /* shared region */
    int dedicated;                      /* one span over the whole region */
    uint64_t free_map[PAGES_MAP_WORDS]; /* shared region: bit set = page free */
};

struct page_arena {
    struct records records;             /* the region records and table; the key's slabs' and
                                           address tables' records too (pages_records) */
    struct page_region **regions;       /* sorted by base */
    size_t count, capacity;
    size_t next_region_bytes;
    size_t shared_count;                /* regions that are not dedicated */
};

/* An empty arena (no address space reserved yet); NULL when out of memory. */
struct page_arena *pages_create(void);
/* Releases every region and every record of pages_records(a). */
void pages_destroy(struct page_arena *a);

/* The key's records (records.h), released with the arena. */
static inline struct records *pages_records(struct page_arena *a) { return &a->records; }

/* A span of at least size bytes (size 0: one page), page-aligned and zero-filled; NULL when
 * the address space or the memory cannot be had, and then nothing changed. */
void *pages_alloc(struct page_arena *a, size_t size);
/* Resizes, where it lies, a span pages_alloc made for old_size bytes to size bytes: 0 when its
 * pages allow (pages past the new size decommitted, pages added committed and zero), -1 and
 * nothing changed otherwise. Reads and writes no byte of the span: the bytes of its old pages
 * past old_size are whatever the expert left there, for the caller to clear. */
int pages_resize(struct page_arena *a, void *span, size_t old_size, size_t size);
/* Gives back a span pages_alloc made (and pages_resize may have resized) for size bytes. */
void pages_free(struct page_arena *a, void *span, size_t size);

#endif
