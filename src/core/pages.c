/* pages.c - see pages.h. */
#include "pages.h"
#include "atomics.h"

#include <string.h>

static size_t round_up(size_t n, size_t unit) { return (n + unit - 1) & ~(unit - 1); }

/* Pages of a request of size bytes; 0 for one that could never be granted. */
static size_t pages_of(size_t size)
{
    if (size > SIZE_MAX - PLAT_REGION_ALIGN || size > plat_grantable_max())
        return 0;
    return size ? round_up(size, PLAT_PAGE) / PLAT_PAGE : 1;
}

/* --- the bitmap of a shared region ---------------------------------------------------------- */

static int page_is_free(const struct page_region *r, size_t i)
{
    return (int)((r->free_map[i / 64] >> (i % 64)) & 1);
}

static void mark(struct page_region *r, size_t first, size_t n, int free)
{
    for (size_t i = first; i < first + n; i++) {
        uint64_t bit = (uint64_t)1 << (i % 64);
        r->free_map[i / 64] = free ? r->free_map[i / 64] | bit : r->free_map[i / 64] & ~bit;
    }
    r->free_pages = free ? r->free_pages + (uint32_t)n : r->free_pages - (uint32_t)n;
}

/* The first page of a run of n free pages, or SIZE_MAX. */
static size_t find_run(const struct page_region *r, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < r->pages; i++) {
        if (i % 64 == 0 && r->free_map[i / 64] == 0 && i + 64 <= r->pages) {
            run = 0;                        /* a whole word of used pages */
            i += 63;
            continue;
        }
        run = page_is_free(r, i) ? run + 1 : 0;
        if (run == n)
            return i + 1 - n;
    }
    return SIZE_MAX;
}

/* --- the sorted table of regions ------------------------------------------------------------ */

/* The index of the region holding p, or of where a region at p would go when none holds it. */
static size_t region_index(const struct page_arena *a, uintptr_t p)
{
    size_t lo = 0, hi = a->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->regions[mid]->base + a->regions[mid]->bytes <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct page_region *region_of(const struct page_arena *a, uintptr_t p)
{
    size_t i = region_index(a, p);
    return i < a->count && a->regions[i]->base <= p ? a->regions[i] : NULL;
}

/* A dedicated region's record has no page map. */
static size_t record_bytes(int dedicated)
{
    return dedicated ? offsetof(struct page_region, free_map) : sizeof(struct page_region);
}

/* Room for one more region in the table; -1 when out of memory. */
static int table_reserve(struct page_arena *a)
{
    if (a->count < a->capacity)
        return 0;
    size_t capacity = a->capacity ? 2 * a->capacity : 8;
    struct page_region **grown = records_alloc(&a->records, capacity * sizeof *grown);
    if (!grown)
        return -1;
    if (a->count)
        memcpy(grown, a->regions, a->count * sizeof *grown);
    /* The new table is published before the old one is freed: a call cut off in between
     * leaks the old table, never leaves destroy a freed one. */
    struct page_region **old = a->regions;
    plat_store_ptr((void *volatile *)&a->regions, grown);
    records_free(&a->records, old, a->capacity * sizeof *old);
    a->capacity = capacity;
    return 0;
}

/* A new region of bytes (a multiple of PLAT_REGION_ALIGN), in the table; NULL when the
 * address space or the records refuse. */
static struct page_region *region_add(struct page_arena *a, size_t bytes, int dedicated)
{
    void *base = plat_reserve(bytes);
    if (!base)
        return NULL;
    struct page_region *r = table_reserve(a) == 0 ? records_alloc(&a->records,
                                                                  record_bytes(dedicated))
                                                  : NULL;
    if (!r) {
        plat_release(base, bytes);
        return NULL;
    }
    r->base = (uintptr_t)base;
    r->bytes = bytes;
    r->dedicated = dedicated;
    if (!dedicated) {
        r->pages = (uint32_t)(bytes / PLAT_PAGE);
        mark(r, 0, r->pages, 1);
        a->shared_count++;
    }
    size_t at = region_index(a, r->base);
    for (size_t i = a->count; i > at; i--)
        plat_store_ptr((void *volatile *)&a->regions[i], a->regions[i - 1]);
    plat_store_ptr((void *volatile *)&a->regions[at], r);
    a->count++;
    return r;
}

static void region_remove(struct page_arena *a, struct page_region *r)
{
    size_t at = region_index(a, r->base);
    for (size_t i = at; i + 1 < a->count; i++)
        plat_store_ptr((void *volatile *)&a->regions[i], a->regions[i + 1]);
    a->count--;
    if (!r->dedicated)
        a->shared_count--;
    plat_release((void *)r->base, r->bytes);
    records_free(&a->records, r, record_bytes(r->dedicated));
}

/* --- spans ----------------------------------------------------------------------------------- */

/* n pages from a shared region, committed; NULL when the memory cannot be had. */
static void *shared_span(struct page_arena *a, size_t n)
{
    struct page_region *r = NULL;
    size_t first = SIZE_MAX;
    for (size_t i = a->count; i-- > 0 && first == SIZE_MAX;)   /* newest (largest) first */
        if (!a->regions[i]->dedicated && a->regions[i]->free_pages >= n &&
            (first = find_run(a->regions[i], n)) != SIZE_MAX)
            r = a->regions[i];
    if (!r) {
        size_t bytes = a->next_region_bytes ? a->next_region_bytes : PAGES_FIRST_REGION;
        if (bytes < n * PLAT_PAGE)
            bytes = round_up(n * PLAT_PAGE, PLAT_REGION_ALIGN);
        if (!(r = region_add(a, bytes, 0)))
            return NULL;
        a->next_region_bytes = bytes * 2 > PAGES_MAX_REGION ? PAGES_MAX_REGION : bytes * 2;
        first = 0;
    }
    void *p = (void *)(r->base + first * PLAT_PAGE);
    if (plat_commit(p, n * PLAT_PAGE) != 0) {
        if (r->free_pages == r->pages && a->shared_count > 1)
            region_remove(a, r);
        return NULL;
    }
    mark(r, first, n, 0);
    return p;
}

struct page_arena *pages_create(void)
{
    return plat_zalloc(sizeof(struct page_arena));
}

void pages_destroy(struct page_arena *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->count; i++) {
        if (i > 0 && a->regions[i] == a->regions[i - 1])
            continue;   /* a shift cut off by a terminated thread shows an entry twice */
        plat_release((void *)a->regions[i]->base, a->regions[i]->bytes);
    }
    records_release(&a->records);
    plat_free(a);
}

void *pages_alloc(struct page_arena *a, size_t size)
{
    size_t n = pages_of(size);
    if (!n)
        return NULL;
    if (n * PLAT_PAGE <= PAGES_DEDICATED_MIN)
        return shared_span(a, n);
    struct page_region *r = region_add(a, round_up(n * PLAT_PAGE, PLAT_REGION_ALIGN), 1);
    if (!r)
        return NULL;
    if (plat_commit((void *)r->base, n * PLAT_PAGE) != 0) {
        region_remove(a, r);
        return NULL;
    }
    return (void *)r->base;
}

void pages_free(struct page_arena *a, void *span, size_t size)
{
    struct page_region *r = region_of(a, (uintptr_t)span);
    if (!r)
        return;
    if (r->dedicated) {
        region_remove(a, r);
        return;
    }
    size_t n = pages_of(size);
    plat_decommit(span, n * PLAT_PAGE);
    mark(r, ((uintptr_t)span - r->base) / PLAT_PAGE, n, 1);
    /* An empty region goes back to the OS, unless it is the key's last shared one. */
    if (r->free_pages == r->pages && a->shared_count > 1)
        region_remove(a, r);
}

/* Can the span at first (old_n pages) of shared region r grow to n pages where it is? */
static int can_grow_in_place(const struct page_region *r, size_t first, size_t old_n, size_t n)
{
    if (first + n > r->pages)
        return 0;
    for (size_t i = first + old_n; i < first + n; i++)
        if (!page_is_free(r, i))
            return 0;
    return 1;
}

int pages_resize(struct page_arena *a, void *span, size_t old_size, size_t size)
{
    size_t old_n = pages_of(old_size), n = pages_of(size);
    struct page_region *r = region_of(a, (uintptr_t)span);
    if (!n || !r)
        return -1;
    char *p = span;
    size_t first = ((uintptr_t)span - r->base) / PLAT_PAGE;
    if (n < old_n) {
        plat_decommit(p + n * PLAT_PAGE, (old_n - n) * PLAT_PAGE);
        if (!r->dedicated)
            mark(r, first + n, old_n - n, 1);
    } else if (n > old_n) {
        if (r->dedicated || n * PLAT_PAGE > PAGES_DEDICATED_MIN || !can_grow_in_place(r, first, old_n, n) ||
            plat_commit(p + old_n * PLAT_PAGE, (n - old_n) * PLAT_PAGE) != 0)
            return -1;
        mark(r, first + old_n, n - old_n, 0);
    }
    return 0;
}
