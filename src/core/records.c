/* records.c - see records.h. */
#include "records.h"

#include <stdint.h>
#include <string.h>

#include "atomics.h"
#include "platform.h"

/* Under AddressSanitizer (the native test build) a record's bytes past what was asked for,
 * a freed record and a chunk's uncarved rest are poisoned, as malloc's would be. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK_HEADER 16u             /* a chunk's link and its span; records start after */
#define BIG_HEADER 64u

struct records_big {                 /* at the start of the big record's reservation */
    struct records_big *next, *prev;
    size_t reserved;
};

static size_t round_up(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

static unsigned class_of(size_t bytes)
{
    unsigned c = 0;
    while (((size_t)RECORDS_MIN << c) < bytes)
        c++;
    return c;
}

/* Space for n more bytes in the newest chunk, committed; a new chunk when it has none left.
 * -1 when the OS refuses. */
static int make_room(struct records *r, size_t n)
{
    if (!r->cursor || (size_t)(r->end - r->cursor) < n) {
        void *span;
        char *chunk = record_pool_take(&span);
        if (!chunk)
            return -1;
        if (plat_commit(chunk, PLAT_PAGE) != 0) {
            record_pool_give(chunk, span);
            return -1;
        }
        ((void **)chunk)[1] = span;
        POISON(chunk + CHUNK_HEADER, RECORDS_CHUNK - CHUNK_HEADER);
        *(void **)chunk = r->chunks;  /* linked before anything is carved from it */
        plat_store_ptr((void *volatile *)&r->chunks, chunk);
        r->cursor = chunk + CHUNK_HEADER;
        r->committed = chunk + PLAT_PAGE;
        r->end = chunk + RECORDS_CHUNK;
    }
    if ((size_t)(r->committed - r->cursor) < n) {
        size_t more = round_up((size_t)(r->cursor + n - r->committed), PLAT_PAGE);
        if (plat_commit(r->committed, more) != 0)
            return -1;
        r->committed += more;
    }
    return 0;
}

static void *big_alloc(struct records *r, size_t bytes)
{
    if (bytes > SIZE_MAX - BIG_HEADER - PLAT_REGION_ALIGN)
        return NULL;
    size_t reserved = round_up(bytes + BIG_HEADER, PLAT_REGION_ALIGN);
    struct records_big *b = plat_reserve(reserved);
    if (!b)
        return NULL;
    if (plat_commit(b, round_up(bytes + BIG_HEADER, PLAT_PAGE)) != 0) {
        plat_release(b, reserved);
        return NULL;
    }
    b->reserved = reserved;
    b->next = r->big;
    if (r->big)
        r->big->prev = b;
    plat_store_ptr((void *volatile *)&r->big, b);
    char *record = (char *)b + BIG_HEADER;
    POISON(record + bytes, round_up(bytes + BIG_HEADER, PLAT_PAGE) - BIG_HEADER - bytes);
    return record;
}

static void *small_alloc(struct records *r, size_t bytes)
{
    unsigned c = class_of(bytes);
    size_t size = (size_t)RECORDS_MIN << c;
    char *p = r->free[c];
    if (p) {
        UNPOISON(p, size);
        r->free[c] = *(void **)p;
        memset(p, 0, size);
        POISON(p + bytes, size - bytes);
        return p;
    }
    if (make_room(r, size) != 0)
        return NULL;
    p = r->cursor;                    /* never carved before: zero since its commit */
    r->cursor += size;
    UNPOISON(p, bytes);
    return p;
}

void *records_alloc(struct records *r, size_t bytes)
{
    void *p = bytes > RECORDS_MAX_SMALL ? big_alloc(r, bytes) : small_alloc(r, bytes);
    r->live += p != NULL;
    return p;
}

void records_free(struct records *r, void *record, size_t bytes)
{
    if (!record)
        return;
    r->live--;
    if (bytes > RECORDS_MAX_SMALL) {
        struct records_big *b = (struct records_big *)((char *)record - BIG_HEADER);
        if (b->prev)                  /* unlinked before it is released: a call cut off */
            b->prev->next = b->next;  /* between the two leaks it, never releases it twice */
        else
            r->big = b->next;
        if (b->next)
            b->next->prev = b->prev;
        UNPOISON(b, b->reserved);
        plat_release(b, b->reserved);
        return;
    }
    unsigned c = class_of(bytes);
    UNPOISON(record, sizeof(void *));
    *(void **)record = r->free[c];
    r->free[c] = record;
    POISON(record, (size_t)RECORDS_MIN << c);
}

void records_release(struct records *r)
{
    for (struct records_big *b = r->big, *next; b; b = next) {
        next = b->next;
        UNPOISON(b, b->reserved);
        plat_release(b, b->reserved);
    }
    for (void *chunk = r->chunks, *next; chunk; chunk = next) {
        next = *(void **)chunk;
        void *span = ((void **)chunk)[1];
        UNPOISON(chunk, RECORDS_CHUNK);
        record_pool_give(chunk, span);
    }
    memset(r, 0, sizeof *r);
}
