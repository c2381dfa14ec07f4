/* fault_seam.c - see fault_seam.h. The __real_* names are the linker's (--wrap). */
#include "fault_seam.h"

#include <stddef.h>

#include "pages.h"
#include "records.h"
#include "platform.h"

struct page_arena *__real_pages_create(void);
void __real_pages_destroy(struct page_arena *a);
void *__real_pages_alloc(struct page_arena *a, size_t size);
int __real_pages_resize(struct page_arena *a, void *span, size_t old_size, size_t size);
void __real_pages_free(struct page_arena *a, void *span, size_t size);
void *__real_plat_zalloc(size_t size);
void __real_plat_free(void *p);
void *__real_records_alloc(struct records *r, size_t bytes);
void __real_records_free(struct records *r, void *record, size_t bytes);
void __real_records_release(struct records *r);

struct page_arena *__wrap_pages_create(void);
void __wrap_pages_destroy(struct page_arena *a);
void *__wrap_pages_alloc(struct page_arena *a, size_t size);
int __wrap_pages_resize(struct page_arena *a, void *span, size_t old_size, size_t size);
void __wrap_pages_free(struct page_arena *a, void *span, size_t size);
void *__wrap_plat_zalloc(size_t size);
void __wrap_plat_free(void *p);
void *__wrap_records_alloc(struct records *r, size_t bytes);
void __wrap_records_free(struct records *r, void *record, size_t bytes);
void __wrap_records_release(struct records *r);

static unsigned armed_ops;
static void (*armed_action)(void);
static long countdown, seen, fired;
static long live_heaps, live_heap_blocks, live_records;

void fault_fail_nth(unsigned ops, long n)
{
    fault_act_at_nth(ops, n, NULL);
}

void fault_act_at_nth(unsigned ops, long n, void (*action)(void))
{
    __atomic_store_n(&armed_action, action, __ATOMIC_SEQ_CST);
    __atomic_store_n(&seen, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&fired, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&countdown, n, __ATOMIC_SEQ_CST);
    __atomic_store_n(&armed_ops, ops, __ATOMIC_SEQ_CST);
}

void fault_off(void) { __atomic_store_n(&armed_ops, 0, __ATOMIC_SEQ_CST); }
long fault_ops_seen(void) { return __atomic_load_n(&seen, __ATOMIC_SEQ_CST); }
unsigned fault_fired(void) { return (unsigned)__atomic_load_n(&fired, __ATOMIC_SEQ_CST); }
long fault_live_heaps(void) { return __atomic_load_n(&live_heaps, __ATOMIC_SEQ_CST); }
long fault_live_heap_blocks(void) { return __atomic_load_n(&live_heap_blocks, __ATOMIC_SEQ_CST); }
long fault_live_records(void) { return __atomic_load_n(&live_records, __ATOMIC_SEQ_CST); }

/* Is this operation the one to fail? */
static int should_fail(enum fault_op op)
{
    if (!(__atomic_load_n(&armed_ops, __ATOMIC_SEQ_CST) & op))
        return 0;
    __atomic_add_fetch(&seen, 1, __ATOMIC_SEQ_CST);
    if (__atomic_sub_fetch(&countdown, 1, __ATOMIC_SEQ_CST) != 0)
        return 0;
    __atomic_store_n(&fired, (long)op, __ATOMIC_SEQ_CST);
    void (*action)(void) = __atomic_load_n(&armed_action, __ATOMIC_SEQ_CST);
    if (action)
        action();
    return 1;
}

struct page_arena *__wrap_pages_create(void)
{
    if (should_fail(FAULT_HEAP_CREATE))
        return NULL;
    struct page_arena *a = __real_pages_create();
    if (a)
        __atomic_add_fetch(&live_heaps, 1, __ATOMIC_SEQ_CST);
    return a;
}

void __wrap_pages_destroy(struct page_arena *a)
{
    if (a)
        __atomic_sub_fetch(&live_heaps, 1, __ATOMIC_SEQ_CST);
    __real_pages_destroy(a);
}

void *__wrap_pages_alloc(struct page_arena *a, size_t size)
{
    if (should_fail(FAULT_HEAP_ALLOC))
        return NULL;
    void *p = __real_pages_alloc(a, size);
    if (p)
        __atomic_add_fetch(&live_heap_blocks, 1, __ATOMIC_SEQ_CST);
    return p;
}

void __wrap_pages_free(struct page_arena *a, void *span, size_t size)
{
    (void)should_fail(FAULT_HEAP_FREE);
    if (span)
        __atomic_sub_fetch(&live_heap_blocks, 1, __ATOMIC_SEQ_CST);
    __real_pages_free(a, span, size);
}

int __wrap_pages_resize(struct page_arena *a, void *span, size_t old_size, size_t size)
{
    return should_fail(FAULT_HEAP_REALLOC) ? -1 : __real_pages_resize(a, span, old_size, size);
}

void *__wrap_plat_zalloc(size_t size)
{
    if (should_fail(FAULT_RECORD_ALLOC))
        return NULL;
    void *p = __real_plat_zalloc(size);
    if (p)
        __atomic_add_fetch(&live_records, 1, __ATOMIC_SEQ_CST);
    return p;
}

void __wrap_plat_free(void *p)
{
    (void)should_fail(FAULT_RECORD_FREE);
    if (p)
        __atomic_sub_fetch(&live_records, 1, __ATOMIC_SEQ_CST);
    __real_plat_free(p);
}

void *__wrap_records_alloc(struct records *r, size_t bytes)
{
    if (should_fail(FAULT_RECORD_ALLOC))
        return NULL;
    void *p = __real_records_alloc(r, bytes);
    if (p)
        __atomic_add_fetch(&live_records, 1, __ATOMIC_SEQ_CST);
    return p;
}

void __wrap_records_free(struct records *r, void *record, size_t bytes)
{
    (void)should_fail(FAULT_RECORD_FREE);
    if (record)
        __atomic_sub_fetch(&live_records, 1, __ATOMIC_SEQ_CST);
    __real_records_free(r, record, bytes);
}

void __wrap_records_release(struct records *r)
{
    __atomic_sub_fetch(&live_records, (long)r->live, __ATOMIC_SEQ_CST);
    __real_records_release(r);
}
