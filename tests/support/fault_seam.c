/* fault_seam.c - see fault_seam.h. The __real_* names are the linker's (--wrap). */
#include "fault_seam.h"

#include <stddef.h>

#include "platform.h"

heap_prim_t __real_heap_prim_create(void);
void __real_heap_prim_destroy(heap_prim_t heap);
void *__real_heap_prim_alloc(heap_prim_t heap, size_t size, int zero);
void *__real_heap_prim_realloc(heap_prim_t heap, void *block, size_t size);
void __real_heap_prim_free(heap_prim_t heap, void *block);
void *__real_plat_zalloc(size_t size);
void __real_plat_free(void *p);

heap_prim_t __wrap_heap_prim_create(void);
void __wrap_heap_prim_destroy(heap_prim_t heap);
void *__wrap_heap_prim_alloc(heap_prim_t heap, size_t size, int zero);
void *__wrap_heap_prim_realloc(heap_prim_t heap, void *block, size_t size);
void __wrap_heap_prim_free(heap_prim_t heap, void *block);
void *__wrap_plat_zalloc(size_t size);
void __wrap_plat_free(void *p);

static unsigned armed_ops;
static long countdown, seen, fired;
static long live_heaps, live_heap_blocks, live_records;

void fault_fail_nth(unsigned ops, long n)
{
    __atomic_store_n(&seen, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&fired, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&countdown, n, __ATOMIC_SEQ_CST);
    __atomic_store_n(&armed_ops, ops, __ATOMIC_SEQ_CST);
}

void fault_off(void) { __atomic_store_n(&armed_ops, 0, __ATOMIC_SEQ_CST); }
long fault_ops_seen(void) { return __atomic_load_n(&seen, __ATOMIC_SEQ_CST); }
int fault_fired(void) { return __atomic_load_n(&fired, __ATOMIC_SEQ_CST) != 0; }
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
    __atomic_store_n(&fired, 1, __ATOMIC_SEQ_CST);
    return 1;
}

heap_prim_t __wrap_heap_prim_create(void)
{
    if (should_fail(FAULT_HEAP_CREATE))
        return NULL;
    heap_prim_t heap = __real_heap_prim_create();
    if (heap)
        __atomic_add_fetch(&live_heaps, 1, __ATOMIC_SEQ_CST);
    return heap;
}

void __wrap_heap_prim_destroy(heap_prim_t heap)
{
    __atomic_sub_fetch(&live_heaps, 1, __ATOMIC_SEQ_CST);
    __real_heap_prim_destroy(heap);
}

void *__wrap_heap_prim_alloc(heap_prim_t heap, size_t size, int zero)
{
    if (should_fail(FAULT_HEAP_ALLOC))
        return NULL;
    void *p = __real_heap_prim_alloc(heap, size, zero);
    if (p)
        __atomic_add_fetch(&live_heap_blocks, 1, __ATOMIC_SEQ_CST);
    return p;
}

void __wrap_heap_prim_free(heap_prim_t heap, void *block)
{
    if (block)
        __atomic_sub_fetch(&live_heap_blocks, 1, __ATOMIC_SEQ_CST);
    __real_heap_prim_free(heap, block);
}

void *__wrap_heap_prim_realloc(heap_prim_t heap, void *block, size_t size)
{
    return should_fail(FAULT_HEAP_REALLOC) ? NULL : __real_heap_prim_realloc(heap, block, size);
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
    if (p)
        __atomic_sub_fetch(&live_records, 1, __ATOMIC_SEQ_CST);
    __real_plat_free(p);
}
