/*
 * fault_seam.h - fault injection for white-box test programs: makes the Nth underlying heap
 * operation fail.
 *
 * The core reaches memory through two narrow seams, the private heap of platform.h (an
 * expert's memory) and plat_zalloc/plat_free (the DLL's own records). A test program links the
 * core's objects with the linker's --wrap for those functions (NMAPI_FAULT_WRAP_FLAGS, defined
 * once in fault_seam.cmake), so every call lands here first; nmapi.dll
 * itself carries no test hook. Counting is atomic, so the seam also works under threads.
 */
#ifndef NMAPI_FAULT_SEAM_H
#define NMAPI_FAULT_SEAM_H

/* The operations that can be made to fail. */
enum fault_op {
    FAULT_HEAP_CREATE  = 1,   /* heap_prim_create: a key's private heap */
    FAULT_HEAP_ALLOC   = 2,   /* heap_prim_alloc: an expert block */
    FAULT_HEAP_REALLOC = 4,   /* heap_prim_realloc */
    FAULT_RECORD_ALLOC = 8,   /* plat_zalloc: a session, a key chunk, a table, slab records */
    FAULT_ANY          = 15,
};

/* From now on, count the operations in `ops` (a mask) and make the nth of them fail (n >= 1);
 * every other operation goes through. */
void fault_fail_nth(unsigned ops, long n);
/* Stop counting and failing. */
void fault_off(void);
/* Operations in the armed mask seen since fault_fail_nth, and whether the nth has failed. */
long fault_ops_seen(void);
int fault_fired(void);

/* Balances, to prove that nothing leaks: private heaps created and not yet destroyed, blocks
 * taken from private heaps and not yet given back (heap_prim_alloc minus heap_prim_free; a
 * heap's destruction gives back the blocks it held, which this count cannot see), and records
 * allocated and not yet freed (whatever the caller's platform). */
long fault_live_heaps(void);
long fault_live_heap_blocks(void);
long fault_live_records(void);

#endif
