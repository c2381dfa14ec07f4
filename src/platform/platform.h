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
#include <stdint.h>

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

/* --- Threads -----------------------------------------------------------------------------------
 * plat_thread_id: the calling thread's ID, never 0 and never PLAT_NO_THREAD. On Win32 it is
 * read from the thread's TEB (what GetCurrentThreadId returns, without the call), because
 * every allocation records its caller; POSIX: the kernel's thread ID, cached per thread.
 * plat_thread_ended: 1 when no running thread has this ID: the thread exited or was
 * terminated. An ID is reused only once the thread has ended and, on Win32, every handle to
 * it is closed; while a handle is open, the ended thread still answers 1 here. */
#define PLAT_NO_THREAD 0xFFFFFFFFu
#if defined(_WIN32) && defined(__x86_64__)
static inline uint32_t plat_thread_id(void)
{
    uint32_t id;
    __asm__("movl %%gs:0x48, %0" : "=r"(id));   /* TEB.ClientId.UniqueThread */
    return id;
}
#elif defined(_WIN32) && defined(__i386__)
static inline uint32_t plat_thread_id(void)
{
    uint32_t id;
    __asm__("movl %%fs:0x24, %0" : "=r"(id));   /* TEB.ClientId.UniqueThread */
    return id;
}
#else
uint32_t plat_thread_id(void);
#endif
int plat_thread_ended(uint32_t id);

/* --- Touching an expert's memory ---------------------------------------------------------------
 * plat_call_guarded runs fn(arg), which reads or writes memory the expert owns, with nothing
 * of the DLL held but *mark, a word the caller claimed with its thread ID. fn returns, and the
 * caller clears *mark. Should fn fault, the exception goes to the expert's handlers as if it
 * had been raised in the expert's own code; if one of them catches it (an __except or catch
 * further up), the unwinding that follows passes plat_call_guarded's frame, which then
 * stores 0 to *mark: a caught fault leaves no record of the DLL claimed. Win32: a frame
 * handler (x86_64: an unwind handler in the function's unwind data; i686: a registration
 * on the fs:0 chain), invisible to the search for a handler. POSIX: a plain call (a fault
 * ends the process, as it does any native test). */
void plat_call_guarded(void (*fn)(void *), void *arg, int32_t volatile *mark);

/* --- A secret ------------------------------------------------------------------------------------
 * 64 bits from the OS's cryptographic generator (Win32: RtlGenRandom; POSIX: getrandom),
 * read at the first call and kept for the life of the process. Should the OS refuse, the
 * clock, the thread and the address-space layout stand in, which still differ per process. */
uint64_t plat_secret(void);

/* --- Memory for the DLL's own records ---------------------------------------------------------
 * Zero-filled, never in an expert's memory; NULL when out of memory. plat_free(NULL) does
 * nothing. Out of line on purpose: records are made rarely, and a call across objects is a
 * seam that the white-box tests wrap (tests/support/fault_seam.h). Thread-safe. */
void *plat_zalloc(size_t size);
void plat_free(void *p);

/* --- Address space and pages, for the keys' memory ----------------------------------------------
 * The memory handed to experts comes from here, straight from the OS, and from nothing else:
 * no allocator of the OS or the C runtime keeps a record inside it. core/pages.c builds each
 * key's page arena on these. Reservations are PLAT_REGION_ALIGN-aligned; commits and decommits
 * are page-granular. Thread-safe. Win32: VirtualAlloc/VirtualFree; POSIX: mmap/mprotect/munmap. */
#define PLAT_PAGE 4096u
#define PLAT_REGION_ALIGN 65536u
/* Reserves size bytes (a multiple of PLAT_REGION_ALIGN) of address space, inaccessible; NULL
 * at once when the address space or the OS refuses. */
void *plat_reserve(size_t size);
/* Makes [p, p + size) of a reservation readable and writable, zero-filled where it was not
 * committed. 0 on success, -1 (nothing changed) when the OS refuses the memory. */
int plat_commit(void *p, size_t size);
/* Gives [p, p + size) back to the OS: its contents are gone and touching it faults; a later
 * plat_commit brings it back zero-filled. */
void plat_decommit(void *p, size_t size);
/* 1 when every byte of [p, p + size) can be read now (committed, not a guard page, readable
 * protection), else 0. An expert may change the protection of its pages; the DLL asks this
 * before it reads a block on a thread that is not the expert's (the host's, at destroy). */
int plat_readable(const void *p, size_t size);
/* Releases a whole reservation, committed pages included, whatever their protection. */
void plat_release(void *p, size_t size);
/* The most memory one request could ever be granted: the smaller of the process's address
 * space and the system's commit limit (memory plus paging file), read once and kept. A larger
 * request is refused without asking the OS, whose bookkeeping for a huge reservation alone
 * takes seconds under Wine. */
size_t plat_grantable_max(void);

/* --- Memory seen twice: writable by the DLL, read-only to experts -------------------------------
 * Maps size bytes (a multiple of PLAT_REGION_ALIGN) of new zero-filled memory at two
 * addresses: *rw writable, *ro read-only, the same bytes (a write through rw is seen through
 * ro at once). For the frames served to experts, which the documentation says they must not
 * write: a write through ro faults in the expert, the DLL's copy stays as it was. 0 on
 * success, -1 when the OS refuses (nothing mapped). Win32: a pagefile-backed section mapped
 * twice; POSIX: a memfd mapped twice. */
int plat_map_twice(size_t size, void **rw, const void **ro);
void plat_unmap_twice(size_t size, void *rw, const void *ro);

#endif
