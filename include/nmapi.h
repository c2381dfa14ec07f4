/*
 * nmapi.h - the expert-memory runtime of the nmapi.dll shim, and its host API.
 *
 * nmapi.dll is a drop-in for the expert-memory part of Network Monitor 2.x's Nmapi.dll.
 * Experts keep including <netmon.h> (mingw-w64's header is the ABI reference) and call the
 * Expert* functions it declares; hosts include this header as well, in either order with
 * <netmon.h> (this header includes it), to create, terminate and destroy the keys experts run
 * under. Every export is WINAPI (__stdcall on i686) under its undecorated name. For hosts that
 * load the DLL with LoadLibrary, every export has a PFN_* pointer type below.
 *
 * Where the original documentation is silent, the project decided (marked "Decided:"):
 *   - pError may be NULL in every call; when it is not, it is always written (0 on success).
 *   - Blocks are zero-filled, also the part a reallocation adds, and aligned to
 *     MEMORY_ALLOCATION_ALIGNMENT (8 on i686, 16 on x86_64).
 *   - A size of 0 gives a unique live block of size 0; reallocating to 0 does not free.
 *   - ExpertMemorySize returns (SIZE_T)-1 on failure.
 *   - Every call is thread-safe, and one key may be used from several threads at once.
 *   - Nothing changes on failure; a bad key or pointer is reported, never dereferenced.
 *
 * Keys (HEXPERTKEY) are opaque values, never dereferenceable addresses. A key stays live from
 * ExpertHostCreateKey until ExpertHostDestroyKey; after that, and for NULL, forged values and
 * keys of a slot that was destroyed and reused, every call reports an invalid handle. A key
 * carries a stamp drawn at random (from a per-process secret) for each use of its slot and
 * checked on every call: a forger who knows other keys still guesses among 2^15 - 1 stamps on
 * i686 and 2^43 - 1 on x86_64, and a stale key aliases a later key of its slot with a chance
 * of one in 2^15 - 2 (i686) or 2^43 - 2 (x86_64) per reuse of the slot. This defends against
 * accidents and blind guessing only: an expert runs in the host's process and can read the
 * host's memory, keys included; no key scheme isolates it from the host.
 *
 * A thread terminated inside a call (TerminateThread) does not keep the key: once the thread
 * has ended, ExpertAllocMemory, ExpertReallocMemory, ExpertFreeMemory and ExpertMemorySize on
 * the key fail with NMERR_INVALID_EXPERT_HANDLE, ExpertHostQueryMemory still answers, and
 * ExpertHostDestroyKey destroys it and reclaims all its memory. The figures may then count
 * the cut-off call's block or not, never half of it. A thread is known to have ended while a
 * handle to it is open or its ID was not reused: destroy such a key before closing the last
 * handle of the terminated thread. No call on a key takes a lock a terminated thread could keep
 * or allocates from the process heap (whose lock it would keep): records come from a lock-free
 * pool of the DLL's own pages, and the status lock passes to a waiter once its holder has
 * ended (ExpertHostGetStatus then answers with the last status, its text terminated). Under
 * Wine, unlike Windows, a thread terminated inside a system call (VirtualAlloc among them)
 * keeps Wine's own virtual-memory lock and every later VirtualAlloc of the process waits:
 * suspend the thread first (SuspendThread, then GetThreadContext), as nmexpert does.
 *
 * A fault inside a call, in the expert's own memory (a block it made inaccessible), is raised
 * to the expert as if from its own code. Should
 * the expert catch it (__except, catch (...)), nothing of the DLL stays held: later calls on
 * the key are answered and ExpertHostDestroyKey succeeds. The caught call counts as done (a
 * moved block's new copy is live, its original is no longer the expert's) and what it made is
 * reclaimed at destroy.
 */
#ifndef NMAPI_H
#define NMAPI_H

#include <windows.h>
#include <netmon.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NMAPI_VERSION_MAJOR 0
#define NMAPI_VERSION_MINOR 1
#define NMAPI_VERSION_PATCH 0

/* ---------------------------------------------------------------------------------------------
 * Expert API - declared by <netmon.h>, exported by nmapi.dll. Redeclared here exactly as
 * <netmon.h> declares them (so the compiler checks that they agree), each with its contract.
 * All of them: thread-safe; calls on different keys share no lock. Host callbacks are called
 * on the expert's thread with no lock of the DLL held and the key released.
 * ------------------------------------------------------------------------------------------- */

/* Allocates nBytes zero-filled bytes in the key's own memory; nBytes == 0 gives a unique
 * non-NULL block of size 0. Returns the block, or NULL with *pError:
 *   NMERR_INVALID_EXPERT_HANDLE  hExpertKey is not live;
 *   NMERR_EXPERT_TERMINATE       the host told the expert to terminate (clean up and return);
 *   NMERR_OUT_OF_MEMORY          memory exhausted, the key's memory limit would be passed, or
 *                                nBytes is beyond what a key can hold.
 * The largest size ever granted is the smaller of the process's user address space (2 GiB on
 * i686, 4 GiB when the host is large-address-aware on a 64-bit system; 128 TiB on x86_64) and
 * the system's commit limit (memory plus paging file); a larger nBytes is refused in well
 * under a microsecond, without asking the OS. Below it, a request also needs that much free
 * contiguous address space, which on i686 is often far less. */
LPVOID WINAPI ExpertAllocMemory(HEXPERTKEY hExpertKey,SIZE_T nBytes,DWORD *pError);

/* Resizes a live block of this key; contents are kept up to the smaller size, added bytes are
 * zero, the block may move. pOriginalMemory == NULL acts as ExpertAllocMemory; nBytes == 0
 * leaves a live block of size 0. Returns the block, or NULL with ExpertAllocMemory's codes, or
 * NMERR_INVALID_PARAMETER when pOriginalMemory is not a live block of this key. On every
 * failure the original block is untouched and still live. */
LPVOID WINAPI ExpertReallocMemory(HEXPERTKEY hExpertKey,LPVOID pOriginalMemory,SIZE_T nBytes,DWORD *pError);

/* Frees a live block of this key; NULL is a no-op. Works after terminate, so that the expert
 * can clean up. Returns NMERR_SUCCESS, NMERR_INVALID_EXPERT_HANDLE, or NMERR_INVALID_PARAMETER
 * for a pointer that is not a live block of this key (another key's, freed, interior,
 * misaligned, on the stack, garbage). */
DWORD WINAPI ExpertFreeMemory(HEXPERTKEY hExpertKey,LPVOID pOriginalMemory);

/* Returns the size last requested for a live block of this key, or (SIZE_T)-1 for a key that
 * is not live or a pointer that is not a live block of this key. Works after terminate. */
SIZE_T WINAPI ExpertMemorySize(HEXPERTKEY hExpertKey,LPVOID pOriginalMemory);

/* Records the expert's status for ExpertHostGetStatus, then calls the host's pfnStatusChanged.
 * szText may be NULL (empty text) and is truncated to 259 characters; PercentDone outside
 * 0..99 is ignored (the previous percentage stays), as documented. Returns NMERR_SUCCESS;
 * NMERR_EXPERT_TERMINATE once the host told the expert to terminate (nothing is recorded);
 * NMERR_INVALID_EXPERT_HANDLE for a key that is not live. */
DWORD WINAPI ExpertIndicateStatus(HEXPERTKEY hExpertKey,EXPERTSTATUSENUMERATION Status,DWORD SubStatus,const char *szText,LONG PercentDone);

/* Hands the event to the host's pfnSubmitEvent and returns what it returns; the event stays
 * the expert's (build it in ExpertAllocMemory memory, as documented). Returns
 * NMERR_NOT_SUPPORTED without a callback; NMERR_INVALID_PARAMETER (NULL event);
 * NMERR_EXPERT_TERMINATE; NMERR_INVALID_EXPERT_HANDLE. */
DWORD WINAPI ExpertSubmitEvent(HEXPERTKEY hExpertKey,PNMEVENTDATA pExpertEvent);

/* Copies the startup info the host gave at key creation (all zero when it gave none). Returns
 * NMERR_SUCCESS; NMERR_INVALID_PARAMETER (NULL pointer); NMERR_EXPERT_TERMINATE;
 * NMERR_INVALID_EXPERT_HANDLE. */
DWORD WINAPI ExpertGetStartupInfo(HEXPERTKEY hExpertKey,PEXPERTSTARTUPINFO pExpertStartupInfo);

/* Asks the host's pfnGetFrame for a frame and returns what it returns. Returns
 * NMERR_NOT_SUPPORTED without a callback; NMERR_INVALID_PARAMETER (NULL descriptor);
 * NMERR_EXPERT_TERMINATE - the documented way an expert in its frame loop learns that it was
 * aborted; NMERR_INVALID_EXPERT_HANDLE. */
DWORD WINAPI ExpertGetFrame(HEXPERTKEY hExpertKey,DWORD Direction,DWORD RequestFlags,DWORD RequestedFrameNumber,HFILTER hFilter,LPEXPERTFRAMEDESCRIPTOR pEFrameDescriptor);

typedef LPVOID (WINAPI *PFN_ExpertAllocMemory)(HEXPERTKEY, SIZE_T, DWORD *);
typedef LPVOID (WINAPI *PFN_ExpertReallocMemory)(HEXPERTKEY, LPVOID, SIZE_T, DWORD *);
typedef DWORD  (WINAPI *PFN_ExpertFreeMemory)(HEXPERTKEY, LPVOID);
typedef SIZE_T (WINAPI *PFN_ExpertMemorySize)(HEXPERTKEY, LPVOID);
typedef DWORD  (WINAPI *PFN_ExpertIndicateStatus)(HEXPERTKEY, EXPERTSTATUSENUMERATION, DWORD,
                                                  const char *, LONG);
typedef DWORD  (WINAPI *PFN_ExpertGetStartupInfo)(HEXPERTKEY, PEXPERTSTARTUPINFO);
typedef DWORD  (WINAPI *PFN_ExpertSubmitEvent)(HEXPERTKEY, PNMEVENTDATA);
typedef DWORD  (WINAPI *PFN_ExpertGetFrame)(HEXPERTKEY, DWORD, DWORD, DWORD, HFILTER,
                                            LPEXPERTFRAMEDESCRIPTOR);

/* ---------------------------------------------------------------------------------------------
 * Host API - exported by nmapi.dll, declared here only.
 * ------------------------------------------------------------------------------------------- */

/* Callbacks a host may give at key creation; each receives the key's CallbackContext and is
 * called on the expert's thread, outside every lock of the DLL and with the key released, so
 * that it may call any function of this header, ExpertHostDestroyKey on the same key included.
 * pfnStatusChanged is called after ExpertIndicateStatus recorded a status; pStatus points to a
 * copy valid during the call. */
typedef VOID (WINAPI *PEXPERTHOST_STATUS_CALLBACK)(PVOID Context, HEXPERTKEY hKey,
                                                   const EXPERTSTATUS *pStatus);
/* pfnSubmitEvent receives ExpertSubmitEvent's event; its return value is the call's. */
typedef DWORD (WINAPI *PEXPERTHOST_SUBMITEVENT_CALLBACK)(PVOID Context, HEXPERTKEY hKey,
                                                         PNMEVENTDATA pEvent);
/* pfnGetFrame receives ExpertGetFrame's arguments; its return value is the call's. */
typedef DWORD (WINAPI *PEXPERTHOST_GETFRAME_CALLBACK)(PVOID Context, HEXPERTKEY hKey,
                                                      DWORD Direction, DWORD RequestFlags,
                                                      DWORD RequestedFrameNumber, HFILTER hFilter,
                                                      LPEXPERTFRAMEDESCRIPTOR pDescriptor);

/* EXPERTHOSTKEYINFO.Flags. Unknown flags are rejected.
 *
 * EXPERTHOST_FLAG_CHECK_CORRUPTION - per-key corruption detection, off by default (it costs
 * guard bytes on every block, a held-back quarantine of freed blocks, and a scan of that
 * quarantine on every free and reallocation; figures of this build in brackets):
 *   - every block has guard bytes [16] after the bytes the expert asked for; a write past the
 *     end of a block (an overrun) is detected when that block is freed or reallocated (a
 *     refused reallocation leaves it as it was), or when the key is destroyed, and counted
 *     in OverrunsDetected;
 *   - a freed block [up to 64 KiB] is filled with a pattern and kept from reuse for a while
 *     [the 16 most recent, at most 256 KiB]; a write to it (a write after free) is detected
 *     at the next free or reallocation on the key, or when the key is destroyed, and counted
 *     in WritesAfterFreeDetected.
 * Each damage is counted once. Detection never changes what a call returns: the expert's
 * calls behave exactly as without the flag; the host reads the counts with
 * ExpertHostQueryMemory and in ExpertHostDestroyKey's figures. Accounting (LiveBytes, the
 * limit) counts requested bytes only, as without the flag. */
#define EXPERTHOST_FLAG_CHECK_CORRUPTION 0x00000001u
#define EXPERTHOST_KNOWN_FLAGS EXPERTHOST_FLAG_CHECK_CORRUPTION

/* Describes a key to create. Zero-initialise it and set cbSize to sizeof(EXPERTHOSTKEYINFO). */
typedef struct _EXPERTHOSTKEYINFO {
    DWORD cbSize;                        /* sizeof(EXPERTHOSTKEYINFO), checked */
    DWORD Flags;                         /* 0, or EXPERTHOST_FLAG_CHECK_CORRUPTION (others are
                                            rejected) */
    SIZE_T MemoryLimit;                  /* most bytes the expert may hold at once; 0 = none */
    const char *szDisplayName;           /* optional; copied (63 chars kept); names the expert
                                            in the debug string (OutputDebugString) that
                                            ExpertHostDestroyKey emits when blocks were left */
    const EXPERTSTARTUPINFO *pStartupInfo; /* optional; copied; NULL = zeroed */
    PVOID CallbackContext;               /* handed to every callback */
    PEXPERTHOST_STATUS_CALLBACK pfnStatusChanged;     /* optional */
    PEXPERTHOST_SUBMITEVENT_CALLBACK pfnSubmitEvent;  /* optional */
    PEXPERTHOST_GETFRAME_CALLBACK pfnGetFrame;        /* optional */
} EXPERTHOSTKEYINFO;

/* Exact memory figures of one key. Set cbSize to sizeof(EXPERTHOSTMEMORYSTATS) before a query.
 * Byte figures are sums of the sizes the expert requested (not heap overhead). */
typedef struct _EXPERTHOSTMEMORYSTATS {
    DWORD cbSize;              /* sizeof(EXPERTHOSTMEMORYSTATS), checked */
    DWORD Reserved;            /* 0 */
    SIZE_T LiveBlocks;         /* blocks allocated and not yet freed */
    SIZE_T LiveBytes;          /* sum of their requested sizes */
    SIZE_T PeakBytes;          /* highest LiveBytes so far */
    SIZE_T MemoryLimit;        /* as given at creation; 0 = none */
    ULONGLONG TotalAllocations;  /* blocks created: ExpertAllocMemory, and realloc of NULL */
    ULONGLONG FailedAllocations; /* allocations and reallocations refused with
                                    NMERR_OUT_OF_MEMORY (limit, exhausted heap, absurd size) */
    ULONGLONG OverrunsDetected;        /* blocks found written past their end; 0 unless the
                                          key checks for corruption */
    ULONGLONG WritesAfterFreeDetected; /* freed blocks found written to; 0 unless the key
                                          checks for corruption */
} EXPERTHOSTMEMORYSTATS;

/* Creates a live key with memory of its own: regions of address space reserved from the OS
 * for this key alone (the first, 64 KiB, at its first allocation), released at destroy, and
 * records in 16 KiB chunks of address space the DLL shares among keys (the first, also at the
 * first allocation), given back at destroy. A key holding a small block thus reserves 80 KiB:
 * about 16,000 keys fit in a 32-bit process, and under Wine each takes about 4 of the
 * process's Linux memory mappings (vm.max_map_count).
 *   pInfo  [in, optional]  NULL for defaults (no limit, zeroed startup info, no callbacks).
 *   phKey  [out]           receives the key.
 * Returns NMERR_SUCCESS; NMERR_INVALID_PARAMETER (phKey NULL, wrong cbSize, unknown Flags);
 * NMERR_OUT_OF_MEMORY (no more memory for a key; how many keys fit depends on the process's
 * address space). Thread-safe. */
DWORD WINAPI ExpertHostCreateKey(const EXPERTHOSTKEYINFO *pInfo, HEXPERTKEY *phKey);

/* Tells the expert to terminate: from now on ExpertAllocMemory, ExpertReallocMemory and
 * ExpertIndicateStatus fail with NMERR_EXPERT_TERMINATE; ExpertFreeMemory and ExpertMemorySize
 * keep working. Idempotent; any thread, any time.
 * Returns NMERR_SUCCESS or NMERR_INVALID_EXPERT_HANDLE. */
DWORD WINAPI ExpertHostTerminate(HEXPERTKEY hKey);

/* Copies the key's exact memory figures into *pStats (its cbSize must be set).
 * Returns NMERR_SUCCESS; NMERR_INVALID_EXPERT_HANDLE; NMERR_INVALID_PARAMETER (pStats NULL or
 * wrong cbSize). Thread-safe; the figures are one consistent snapshot. */
DWORD WINAPI ExpertHostQueryMemory(HEXPERTKEY hKey, EXPERTHOSTMEMORYSTATS *pStats);

/* Copies the latest status the expert indicated (all zero before the first one).
 * Returns NMERR_SUCCESS; NMERR_INVALID_EXPERT_HANDLE; NMERR_INVALID_PARAMETER (pStatus NULL).
 * Works after terminate. Thread-safe. */
DWORD WINAPI ExpertHostGetStatus(HEXPERTKEY hKey, EXPERTSTATUS *pStatus);

/* Destroys the key: the key is dead for new calls at once, calls already inside the DLL on it
 * finish first (a thread terminated inside one counts as finished), then everything the
 * expert still held is freed at once by releasing the key's memory regions to the system.
 *   pReclaimed [out, optional]  what was freed: LiveBlocks and LiveBytes at destruction, the
 *                               other figures as a final query would give them. Its cbSize must
 *                               be set when it is not NULL.
 * When blocks were left, a line naming the expert (szDisplayName) and the figures goes to
 * OutputDebugString.
 * Returns NMERR_SUCCESS; NMERR_INVALID_EXPERT_HANDLE (also to all but one of several threads
 * destroying the same key); NMERR_INVALID_PARAMETER (wrong cbSize; the key is left alive).
 * Thread-safe; may be called from a host callback of the same key (callbacks run with the key
 * released). */
DWORD WINAPI ExpertHostDestroyKey(HEXPERTKEY hKey, EXPERTHOSTMEMORYSTATS *pReclaimed);

/* ---------------------------------------------------------------------------------------------
 * Everything else Nmapi.dll exported. nmapi.dll also exports, undecorated, every function that
 * <netmon.h> declares and the Network Monitor 2.x reference documents in Nmapi.dll (display
 * filters, protocol and property look-ups, capture and frame queries, ...; the list is
 * nmapi.def, the page of each is in src/surface/exports.tsv), so that any SDK-built expert
 * loads. They are outside this runtime's scope (expert memory): each returns its documented
 * failure value (NULL, FALSE, 0, or NMERR_NOT_SUPPORTED where an NMERR_* is returned) without
 * reading its arguments - unless forwarding is on, in which case it calls the same function of an
 * original Nmapi.dll with the same arguments. The Expert* family above is never forwarded.
 * Forwarding is turned on by ExpertHostForwardTo, or, for hosts that cannot be changed, by
 * the environment variable NMAPI_FORWARD naming the original (looked at on the first call of
 * such a function; when it cannot be used, a line goes to OutputDebugString).
 * ------------------------------------------------------------------------------------------- */

/* Forwards every function outside the Expert* family to the original Nmapi.dll at
 * szOriginalNmapi, resolved once here with GetProcAddress; a function the original lacks keeps
 * returning its failure value. The original stays loaded for the life of the process; a later
 * call replaces the target.
 *   szOriginalNmapi [in]            path of the original (LoadLibraryEx search rules), in
 *                                   the ANSI code page; ExpertHostForwardToW takes any name.
 *   pResolved       [out, optional] how many of the functions the original provides.
 * Returns NMERR_SUCCESS; NMERR_INVALID_PARAMETER (NULL or empty path, this DLL itself, or a
 * DLL that exports none of the functions); NMERR_FILE_NOT_FOUND (cannot be loaded). Nothing
 * changes on failure. Thread-safe; a call racing a forwarded call makes that call go to the
 * old target or the new one. */
DWORD WINAPI ExpertHostForwardTo(LPCSTR szOriginalNmapi, DWORD *pResolved);
/* ExpertHostForwardTo with a wide-character path: the same contract, for a path the ANSI
 * code page cannot spell. */
DWORD WINAPI ExpertHostForwardToW(LPCWSTR szOriginalNmapi, DWORD *pResolved);

typedef DWORD (WINAPI *PFN_ExpertHostCreateKey)(const EXPERTHOSTKEYINFO *, HEXPERTKEY *);
typedef DWORD (WINAPI *PFN_ExpertHostTerminate)(HEXPERTKEY);
typedef DWORD (WINAPI *PFN_ExpertHostQueryMemory)(HEXPERTKEY, EXPERTHOSTMEMORYSTATS *);
typedef DWORD (WINAPI *PFN_ExpertHostGetStatus)(HEXPERTKEY, EXPERTSTATUS *);
typedef DWORD (WINAPI *PFN_ExpertHostDestroyKey)(HEXPERTKEY, EXPERTHOSTMEMORYSTATS *);
typedef DWORD (WINAPI *PFN_ExpertHostForwardTo)(LPCSTR, DWORD *);
typedef DWORD (WINAPI *PFN_ExpertHostForwardToW)(LPCWSTR, DWORD *);

#ifdef __cplusplus
}
#endif

#endif /* NMAPI_H */
