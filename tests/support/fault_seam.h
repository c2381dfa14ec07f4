/*
 * fault_seam.h - fault injection for white-box test programs: makes the Nth underlying heap
 * operation fail, or runs an action there (e.g. ending the calling thread).
 *
 * The core reaches memory through narrow seams: a key's page arena (core/pages.h: an
 * expert's memory), a key's records (core/records.h: its allocator's bookkeeping) and
 * plat_zalloc/plat_free (the DLL's other records). A test program links the
 * core's objects with the linker's --wrap for those functions (NMAPI_FAULT_WRAP_FLAGS, defined
 * once in fault_seam.cmake), so every call lands here first; nmapi.dll
 * itself carries no test hook. Counting is atomic, so the seam also works under threads.
 */
#ifndef NMAPI_FAULT_SEAM_H
#define NMAPI_FAULT_SEAM_H

/* The operations that can be made to fail. */
enum fault_op {
    FAULT_HEAP_CREATE  = 1,   /* pages_create: a key's page arena */
    FAULT_HEAP_ALLOC   = 2,   /* pages_alloc: a slab or a large block */
    FAULT_HEAP_REALLOC = 4,   /* pages_resize (refused: the block moves) */
    FAULT_RECORD_ALLOC = 8,   /* records_alloc (a key's tables and slab records) or plat_zalloc
                                 (a session, a key chunk, a page arena, a guard) */
    FAULT_ANY          = 15,
    FAULT_HEAP_FREE    = 16,  /* pages_free: never fails; only an action can fire there */
    FAULT_RECORD_FREE  = 32,  /* records_free or plat_free: likewise */
};

/* From now on, count the operations in `ops` (a mask) and make the nth of them fail (n >= 1);
 * every other operation goes through. */
void fault_fail_nth(unsigned ops, long n);
/* Like fault_fail_nth, but at the nth operation `action` runs first, on the calling thread,
 * inside the DLL's call (the operation fails if the action returns). For tests of a thread
 * terminated inside a call. */
void fault_act_at_nth(unsigned ops, long n, void (*action)(void));
/* Stop counting and failing. */
void fault_off(void);
/* Operations in the armed mask seen since fault_fail_nth, and the one (enum fault_op) that
 * was made to fail, 0 while none was. */
long fault_ops_seen(void);
unsigned fault_fired(void);

/* Balances, to prove that nothing leaks: page arenas created and not yet destroyed, spans
 * taken from arenas and not yet given back (pages_alloc minus pages_free; an arena's
 * destruction gives back the spans it held, which this count cannot see), and records
 * allocated and not yet freed (records_release gives back all of a key's at once). */
long fault_live_heaps(void);
long fault_live_heap_blocks(void);
long fault_live_records(void);

#endif
