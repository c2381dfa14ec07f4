/* record_pool.c - see record_pool.h. */
#include "record_pool.h"

#include <stdint.h>

#include "atomics.h"
#include "platform.h"

#define WORD_BITS (sizeof(uintptr_t) * 8)
#define CHUNKS (RECORD_POOL_SPAN / RECORD_POOL_CHUNK)          /* 256 */
#define WORDS (CHUNKS / WORD_BITS)

/* The span's own description, in its first chunk (committed when the span is made). */
struct span {
    struct span *next;                       /* written once, before the span is published */
    uintptr_t volatile used[WORDS];          /* bit set: chunk handed out (chunk 0: this) */
};

static void *volatile spans;                 /* the newest first */

static void *claim_in(struct span *s)
{
    for (size_t w = 0; w < WORDS; w++) {
        uintptr_t seen = plat_load_word(&s->used[w]);
        while (~seen) {
            unsigned bit = (unsigned)__builtin_ctzll((unsigned long long)~seen);
            uintptr_t mask = (uintptr_t)1 << bit;
            seen = plat_or_word(&s->used[w], mask);
            if (!(seen & mask))
                return (char *)s + (w * WORD_BITS + bit) * RECORD_POOL_CHUNK;
        }
    }
    return NULL;
}

/* A new span, its first chunk claimed for the caller, published; NULL when out of memory. */
static void *new_span(void)
{
    struct span *s = plat_reserve(RECORD_POOL_SPAN);
    if (!s)
        return NULL;
    if (plat_commit(s, PLAT_PAGE) != 0) {
        plat_release(s, RECORD_POOL_SPAN);
        return NULL;
    }
    s->used[0] = 3;                          /* the description, and the caller's chunk */
    do
        s->next = plat_load_ptr(&spans);
    while (!plat_cas_ptr(&spans, s, s->next));
    return (char *)s + RECORD_POOL_CHUNK;
}

void *record_pool_take(void **span)
{
    for (struct span *s = plat_load_ptr(&spans); s; s = s->next) {
        void *chunk = claim_in(s);
        if (chunk) {
            *span = s;
            return chunk;
        }
    }
    void *chunk = new_span();
    *span = chunk ? (char *)chunk - RECORD_POOL_CHUNK : NULL;
    return chunk;
}

void record_pool_give(void *chunk, void *span)
{
    struct span *s = span;
    size_t i = (size_t)((uintptr_t)chunk - (uintptr_t)s) / RECORD_POOL_CHUNK;
    plat_decommit(chunk, RECORD_POOL_CHUNK);   /* before another key can take it */
    plat_and_word(&s->used[i / WORD_BITS], ~((uintptr_t)1 << (i % WORD_BITS)));
}

size_t record_pool_reserved(void)
{
    size_t bytes = 0;
    for (struct span *s = plat_load_ptr(&spans); s; s = s->next)
        bytes += RECORD_POOL_SPAN;
    return bytes;
}
