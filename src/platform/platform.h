/*
 * platform.h - the one seam between the platform-neutral core and an operating system. Every
 * primitive the core, the API layer and the export surface use is declared here; each has a
 * Win32 implementation (win32/, the one nmapi.dll is built with) and a POSIX one (posix/, for
 * the native sanitizer and fuzzing build of the core, tests/native/). No OS header is included
 * here, so nothing that includes this file sees a Win32 or POSIX type. Atomics are not OS
 * primitives: they are in atomics.h, one set for every platform.
 */
#ifndef NMAPI_PLATFORM_H
#define NMAPI_PLATFORM_H

#include <stddef.h>

/* --- A lock -----------------------------------------------------------------------------------
 * Exclusive, not recursive, never held across a call into expert memory or a callback.
 * Zero-filled storage is an unlocked lock (PLAT_LOCK_INIT, or plat_zalloc'ed records), so a
 * static lock needs no initialisation. Win32: an SRW lock; POSIX: a pthread mutex. */
typedef union plat_lock {
    void *word;
    unsigned char storage[64];
} plat_lock;
#define PLAT_LOCK_INIT { 0 }
void plat_lock_acquire(plat_lock *l);
void plat_lock_release(plat_lock *l);

/* --- Waiting --------------------------------------------------------------------------------
 * Lets another thread finish: the attempt-th retry of a wait spins (attempt < 16), then
 * yields the processor (< 64), then sleeps a millisecond. Never blocks on a kernel object. */
void plat_backoff(unsigned attempt);

/* --- Memory for the DLL's own records ---------------------------------------------------------
 * Zero-filled, never in an expert's memory; NULL when out of memory. plat_free(NULL) does
 * nothing. Out of line on purpose: records are made rarely, and a call across objects is a
 * seam that the white-box tests wrap (tests/support/fault_seam.h). Thread-safe. */
void *plat_zalloc(size_t size);
void plat_free(void *p);

/* --- A private heap, one per key ----------------------------------------------------------------
 * A heap that is destroyed with every block in it at once. The key heap (core/keyheap.c) is its
 * only user, and every call on one heap happens under that key's gate, so an implementation
 * need not be thread-safe per heap. Win32: HeapCreate(HEAP_NO_SERIALIZE); POSIX: a list of
 * separately malloc'd blocks, so that AddressSanitizer sees each block's bounds. */
typedef struct heap_prim *heap_prim_t;
/* NULL when no heap can be created. */
heap_prim_t heap_prim_create(void);
/* Frees the heap and every block in it. */
void heap_prim_destroy(heap_prim_t heap);
/* A block of at least size bytes (size 0 allowed), 8-aligned on i686 and 16-aligned on
 * x86_64, zero-filled when zero is non-zero; NULL when the heap cannot grow. */
void *heap_prim_alloc(heap_prim_t heap, size_t size, int zero);
/* Resizes; may move; contents kept up to the smaller size; bytes beyond the old size are
 * unspecified. NULL on failure, and then the block is unchanged. */
void *heap_prim_realloc(heap_prim_t heap, void *block, size_t size);
void heap_prim_free(heap_prim_t heap, void *block);

#endif
