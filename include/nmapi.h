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

/* Gets a frame. With a host pfnGetFrame, asks it and returns what it returns. Otherwise,
 * when the startup info's hCapture is a capture the host opened (ExpertHostOpenCapture),
 * serves it: GET_SPECIFIED_FRAME the frame RequestedFrameNumber (frames count from 0);
 * GET_FRAME_NEXT_FORWARD / _BACKWARD the nearest frame after / before the position
 * RequestedFrameNumber, where (DWORD)-1 is before the first frame and GetCaptureTotalFrames
 * or more is after the last. A frame served passes the capture's display filter when
 * FLAGS_DEFER_TO_UI_FILTER is set and the host set one (ExpertHostSetDisplayFilter), then
 * hFilter when it is not NULL. *pEFrameDescriptor gets FrameNumber, hFrame, pFrame (a
 * read-only FRAME, valid until at least 63 more frames of the capture were read, and
 * readable - possibly another frame's bytes - until the capture is closed), and NULL
 * lpRecognizeDataTable and lpPropertyTable: there are no protocol parsers, so
 * FLAGS_ATTACH_PROPERTIES attaches nothing. On failure it is not written. Returns
 * NMERR_SUCCESS; NMERR_NO_MORE_FRAMES (nothing further passes); NMERR_FRAME_NOT_FOUND and
 * NMERR_FRAME_FAILED_FILTER (GET_SPECIFIED_FRAME: no such frame, or it fails a filter);
 * NMERR_INVALID_PARAMETER (NULL descriptor, unknown Direction or RequestFlags bits);
 * NMERR_INVALID_HFILTER; NMERR_INVALID_HCAPTURE (the capture was closed);
 * NMERR_FILE_READ_ERROR; NMERR_NOT_SUPPORTED (no callback and no capture);
 * NMERR_EXPERT_TERMINATE - the documented way an expert in its frame loop learns that it was
 * aborted, also during a long walk; NMERR_INVALID_EXPERT_HANDLE. */
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
 * <netmon.h> declares and the Network Monitor 2.x reference documents in Nmapi.dll, and the
 * two that Microsoft's PROPDIST sample imports (the list is nmapi.def; the page of each is in
 * src/surface/exports.tsv), so that any SDK-built expert loads. Three kinds:
 *   - implemented by the runtime (redeclared below with their contracts): the capture and
 *     frame queries, display filters, the protocol table, per-capture memory, and the
 *     helpers that need no parser;
 *   - outside its scope - protocol parsers and their properties (GetProperty,
 *     FindPropertyInstance, ...), parser registration, capture files written: each returns
 *     its documented failure value (NULL, FALSE, 0, -1, or NMERR_NOT_SUPPORTED where an NMERR_*
 *     is returned) without reading its arguments;
 *   - with forwarding on, every one of both kinds calls the same function of an original
 *     Nmapi.dll with the same arguments instead (its own captures and handles; see Captures
 *     for why the two never mix). The Expert* family above is never forwarded.
 * Forwarding is turned on by ExpertHostForwardTo, or, for hosts that cannot be changed, by
 * the environment variable NMAPI_FORWARD naming the original (looked at on the first call of
 * such a function; when it cannot be used, a line goes to OutputDebugString).
 * ------------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------------
 * Helpers that need no key or capture - declared by <netmon.h> (the last two by PROPDIST, the
 * SDK sample that imports them), implemented by nmapi.dll itself. All are thread-safe, keep no
 * state, and on refusal write nothing. An "address" here is an ADDRESS2 (or the older 16-byte
 * ADDRESS): its DWORD Type, then the address bytes of that type; Flags is never read.
 * ------------------------------------------------------------------------------------------- */

/* Writes lpAddress (an ADDRESS2 seen as bytes; only Type and that type's bytes are read, any
 * alignment) as text into string; returns string, or NULL for a NULL argument, an unknown Type
 * or a wildcard Type (ANY, ANY_GROUP, FIND_HIGHEST, LOCAL_ONLY). At most 40 bytes are written
 * (IPv6), 22 for every other type. Decided: Ethernet, Token Ring, FDDI, ATM and 1394 as 12
 * uppercase hex digits ("00AA00B4C5D6", Netmon's display form); IP dotted decimal; IPX/XNS
 * "NNNNNNNN.HHHHHHHHHHHH"; VINES "NNNNNNNN:SSSS" (bytes as stored); IPv6 per RFC 5952 (lowercase,
 * longest zero run as "::", ::ffff:a.b.c.d for IPv4-mapped). */
LPSTR WINAPI AddressToString(LPSTR string,BYTE *lpAddress);

/* Parses string as an address of the type already in lpAddress's Type and writes only that
 * type's bytes (Type, Flags and the rest of the union untouched); returns lpAddress, or NULL
 * (nothing written) for a NULL argument, an unknown or wildcard Type, or text that is not
 * wholly such an address. Decided: AddressToString's forms, case-insensitive, plus MACs as six
 * pairs separated all by '-' or all by ':'; IPv4 parts without leading zeros; IPv6 as RFC 4291
 * (one "::", optional dotted tail). No surrounding spaces, brackets or zone IDs. */
LPBYTE WINAPI StringToAddress(BYTE *lpAddress,LPSTR string);

/* Orders two addresses: returns exactly -1, 0 or 1. Type first (numerically), then the type's
 * address bytes as unsigned bytes in stored order (all 16 union bytes for a Type this DLL does
 * not know; none for a wildcard Type). Decided: Flags are ignored; NULL sorts before every
 * address and two NULLs are equal (no failure value exists). Reads only Type and those bytes. */
int WINAPI CompareAddresses(LPADDRESS2 lpAddress1,LPADDRESS2 lpAddress2);

/* Returns the ADDRESS_TYPE_* of a MAC_TYPE_*: ETHERNET, TOKENRING, FDDI as documented, and
 * (decided, the constants pair up) ATM -> ADDRESS_TYPE_ATM, 1394 -> ADDRESS_TYPE_1394;
 * (DWORD)-1 for MAC_TYPE_UNKNOWN and every other value, as documented. */
DWORD WINAPI MacTypeToAddressType(DWORD MacType);

/* Look up Value in a labeled set (lpSet->lpLabeledByteTable / lpLabeledWordTable /
 * lpLabeledDwordTable, nEntries entries, the stride <netmon.h> gives: byte-packed on i686).
 * Return the Label of the first entry with that Value, in table order, or NULL when none has
 * it, nEntries is 0, or lpSet or its table is NULL. All bits of Value are compared. */
LPBYTE WINAPI LookupByteSetString (LPSET lpSet,BYTE Value);
LPBYTE WINAPI LookupWordSetString (LPSET lpSet,WORD Value);
LPBYTE WINAPI LookupDwordSetString (LPSET lpSet,DWORD Value);

/* Converts the ValueLen (1..4) bytes at pValue to an unsigned DWORD in *lpDword (the higher
 * bytes zero); returns lpDword, or NULL (nothing written) for a NULL pointer or ValueLen 0 or
 * over 4. Decided: fIsByteswapped FALSE reads least significant byte first (as x86 stores it),
 * any non-zero value most significant first (network order, Netmon's "byte-swapped"). */
LPDWORD WINAPI VarLenSmallIntToDword(LPBYTE pValue,WORD ValueLen,WINBOOL fIsByteswapped,LPDWORD lpDword);

/* The BER (X.690) readers. No input length is passed, so only the header is read - a
 * one-octet tag and a definite length (short form, or long form of 1-4 octets), each octet only
 * once the one before it says it is there - and the content never; checking that
 * *pHeaderLength + *pDataLength lies within its own data is the caller's. Refused (FALSE,
 * nothing written): any NULL argument, tag 0, the high-tag-number form (0x1f), the indefinite
 * length, more than 4 length octets, an element ending past the top of the address space.
 * BERGetInteger: tag INTEGER (0x02) or the SNMP integer types Counter32 0x41, Gauge32 0x42,
 * TimeTicks 0x43, Counter64 0x46, at least one content octet (decided: a non-minimal encoding
 * is accepted); *ppValuePointer = the content octets in place (big-endian, two's complement
 * for INTEGER, *pDataLength of them; no conversion), *ppNext = past the element. */
WINBOOL __cdecl BERGetInteger(ULPBYTE pCurrentPointer,ULPBYTE *ppValuePointer,LPDWORD pHeaderLength,LPDWORD pDataLength,ULPBYTE *ppNext);
/* BERGetString: the same for a primitive OCTET STRING (0x04), the SNMP IpAddress 0x40, Opaque
 * 0x44, NsapAddress 0x45, or an X.680 character string type (UTF8String 0x0c, 0x12-0x16,
 * 0x19-0x1c, BMPString 0x1e); zero length allowed; constructed strings are refused. */
WINBOOL __cdecl BERGetString(ULPBYTE pCurrentPointer,ULPBYTE *ppValuePointer,LPDWORD pHeaderLength,LPDWORD pDataLength,ULPBYTE *ppNext);
/* BERGetHeader: any tag, primitive or constructed; *pTag = the tag octet, *pHeaderLength = tag
 * and length octets, *ppNext = the first content octet (not past the element), so that the
 * caller can descend into the chosen alternative. */
WINBOOL __cdecl BERGetHeader(ULPBYTE pCurrentPointer,ULPBYTE pTag,LPDWORD pHeaderLength,LPDWORD pDataLength,ULPBYTE *ppNext);

/* Writes into FullPath "<directory of nmapi.dll>\PARSERS\<IniFileName>.INI" (the name kept as
 * given) and returns FullPath; NULL, nothing written, for a NULL argument, an empty name, a
 * name with a control character or any of < > : " / \ | ? *, or a result longer than
 * INI_PATH_LENGTH (256) bytes with its NUL. Decided: the directory is this DLL's (where
 * Network Monitor's own Nmapi.dll sat); a path the ANSI code page cannot spell exactly is
 * refused rather than best-fitted. The file need not exist. */
LPSTR __cdecl BuildINIPath(char *FullPath,char *IniFileName);

/* Not in <netmon.h>, no reference page: PROPDIST's prototype (stdcall, @12 on i686).
 * Converts the counted UTF-16 string szIn - Len is in bytes (an odd last byte is dropped), the
 * string ends earlier at a NUL, any alignment - to the ANSI code page in szOut, NUL-terminated,
 * and returns its length in bytes. Decided: szOut must hold MAX_PATH bytes (PROPDIST's
 * buffer): the text is cut at MAX_PATH - 1 bytes, never inside a double-byte character; a
 * character the code page cannot spell becomes one '?'; a NULL szIn gives ""; a NULL szOut
 * returns 0. */
DWORD WINAPI HelperFormatUnicodeString(LPSTR szOut, LPCWSTR szIn, WORD Len);

/* Not in <netmon.h>, no reference page: PROPDIST's prototype (stdcall, @12 on i686).
 * Decodes the DataLen content octets (no tag or length) of a BER OBJECT IDENTIFIER into
 * lpOID->lpIdentifier, one DWORD per arc (the first octet split into two arcs, X.690 8.19),
 * sets lpOID->Length to the number of arcs and returns NMERR_SUCCESS; formatting them
 * ("1.3.6.1...") is the caller's. Decided: on entry lpOID->Length is the size of lpIdentifier
 * in bytes, as PROPDIST sets it ((DataLen + 1) * 4 always suffices). Errors, lpOID untouched:
 * NMERR_INVALID_PARAMETER (NULL lpData, lpOID or lpIdentifier; DataLen 0); NMERR_INVALID_DATA
 * (last subidentifier cut off, an arc over 32 bits); NMERR_BUFFER_TOO_SMALL. A leading 0x80
 * octet is accepted. Reads only DataLen bytes. */
DWORD WINAPI DecodeSNMPObjectIdentifier(LPBYTE lpData, DWORD DataLen, LPOBJECT_IDENTIFIER lpOID);

/* --- Capture queries: for captures opened with ExpertHostOpenCapture. A bad handle gives the
 * failure value named. All thread-safe; what they return points into the DLL's memory. --- */

/* The number of frames; 0 for a bad handle (and for an empty capture). */
DWORD WINAPI GetCaptureTotalFrames(HCAPTURE hCapture);
/* The first interface's MAC type (MAC_TYPE_*, NMAPI_MAC_TYPE_*); NMERR_INVALID_HCAPTURE for a
 * bad handle (the page's NMERR_MAC_TYPE_UNKNOWN is defined nowhere). */
DWORD WINAPI GetCaptureMacType(HCAPTURE hCapture);
/* The capture's start (see Captures: a .cap header's time as written, else the first frame's,
 * UTC), in read-only memory valid until the capture is closed; NULL for a bad handle. */
LPSYSTEMTIME WINAPI GetCaptureTimeStamp(HCAPTURE hCapture);
/* The capture's comment (a pcapng section's opt_comment), read-only, valid until the capture
 * is closed; NULL when it has none or for a bad handle. Network Monitor files: none. */
LPSTR WINAPI GetCaptureComment(HCAPTURE hCapture);
/* The handle of frame FrameNumber (from 0); NULL beyond the last or for a bad handle. Frame
 * handles are numbers, valid until their capture is closed; a closed capture's are refused. */
HFRAME WINAPI GetFrame(HCAPTURE hCapture,DWORD FrameNumber);

/* --- Frame queries. A frame handle is checked on every call: NULL, stale or forged ones get
 * the failure value named. Thread-safe. --- */

/* The capture of a frame; NULL for a bad handle. */
HCAPTURE WINAPI GetFrameCaptureHandle(HFRAME hFrame);
/* The frame as a read-only FRAME (valid as ExpertGetFrame's pFrame); NULL for a bad handle. */
ULPFRAME WINAPI GetFrameFromFrameHandle(HFRAME hFrame);
/* The frame's number (from 0); (DWORD)-1 for a bad handle. */
DWORD WINAPI GetFrameNumber(HFRAME hFrame);
/* Its length on the wire (FRAME.FrameLength) and the bytes stored (nBytesAvail); 0 for a bad
 * handle. */
DWORD WINAPI GetFrameLength(HFRAME hFrame);
DWORD WINAPI GetFrameStoredLength(HFRAME hFrame);
/* Microseconds from the capture's start (FRAME.TimeStamp; negative for a frame stamped before
 * it): the start is on a whole microsecond, so start + TimeStamp is the frame's time truncated
 * to the microsecond; -1 for a bad handle. */
__int64 WINAPI GetFrameTimeStamp(HFRAME hFrame);
/* The frame's MAC type as GetCaptureMacType's (each pcapng interface has its own);
 * MAC_TYPE_UNKNOWN for a bad handle. */
DWORD WINAPI GetFrameMacType(HFRAME hFrame);
/* Bytes of link header (Ethernet 14, Linux cooked 16 or 20, 802.11's own, raw IP 0); 0 for a
 * bad handle or an unknown link. */
DWORD WINAPI GetFrameMacHeaderLength(HFRAME hFrame);
/* Writes the frame's source (destination) address of AddressType into lpAddress - its Type and
 * that type's bytes only, so an older 16-byte ADDRESS serves too: ADDRESS_TYPE_ETHERNET (also
 * TOKENRING, FDDI: the link's MAC address, Ethernet's, 802.11's, Linux cooked's source),
 * ADDRESS_TYPE_IP, ADDRESS_TYPE_IP6 (the outermost IP header), ADDRESS_TYPE_FIND_HIGHEST (the
 * IP address when there is one, else the MAC address). ADDRESSTYPE_FLAGS_NORMALIZE clears the
 * group/routing bit of a MAC address. Returns, checked in this order: NMERR_INVALID_HFRAME;
 * NMERR_INVALID_PARAMETER (lpAddress NULL); NMERR_PROTOCOL_NOT_FOUND (the frame has no such
 * address: the page's BHERR_* names); else NMERR_SUCCESS. */
DWORD WINAPI GetFrameSourceAddress(HFRAME hFrame,LPADDRESS2 lpAddress,DWORD AddressType,DWORD Flags);
DWORD WINAPI GetFrameDestAddress(HFRAME hFrame,LPADDRESS2 lpAddress,DWORD AddressType,DWORD Flags);
/* The offset in the frame of that address, its length in *AddressLength (optional; written,
 * whatever the Dst page says); (DWORD)-1 when the frame has none, for FIND_HIGHEST or for a
 * bad handle. */
DWORD WINAPI GetFrameSrcAddressOffset(HFRAME hFrame,DWORD AddressType,LPDWORD AddressLength);
DWORD WINAPI GetFrameDstAddressOffset(HFRAME hFrame,DWORD AddressType,LPDWORD AddressLength);
/* TRUE when the frame's source (destination) address of lpAddress's Type equals it; FALSE
 * otherwise, for a type the recogniser does not see, NULL or a bad handle. */
WINBOOL WINAPI CompareFrameSourceAddress(HFRAME hFrame,LPADDRESS2 lpAddress);
WINBOOL WINAPI CompareFrameDestAddress(HFRAME hFrame,LPADDRESS2 lpAddress);
/* The nearest frame after (before) hCurrentFrame that carries protocol ProtocolName
 * (GetProtocolFromName's names) and, when not NULL, the destination and source addresses; at
 * most up to frame nHighestFrame (down to nLowestFrame) and 1,000 frames (the page's default
 * MAXLOOKBACK; no Nmapi.ini is read) from OriginalFrameNumber ((DWORD)-1: from the current
 * frame). *ProtocolOffset (optional) gets where the protocol starts. NULL when none, for an
 * unknown name or a bad handle. */
HFRAME WINAPI FindNextFrame(HFRAME hCurrentFrame,LPSTR ProtocolName,LPADDRESS2 lpDestAddress,LPADDRESS2 lpSrcAddress,LPWORD ProtocolOffset,DWORD OriginalFrameNumber,DWORD nHighestFrame);
HFRAME WINAPI FindPreviousFrame(HFRAME hCurrentFrame,LPSTR ProtocolName,LPADDRESS2 lpDstAddress,LPADDRESS2 lpSrcAddress,LPWORD ProtocolOffset,DWORD OriginalFrameNumber,DWORD nLowestFrame);
/* Where protocol ProtocolName starts in the frame; (DWORD)-1 when the frame does not carry it,
 * for an unknown name or a bad handle. */
DWORD WINAPI GetProtocolStartOffset(HFRAME hFrame,LPSTR ProtocolName);

/* --- The protocol table: the protocols the runtime recognises itself, with no parser DLL:
 *   ETHERNET (Ethernet II and 802.3)  LLC  SNAP  VLAN (802.1Q, 802.1ad)  ARP
 *   IP (IPv4; a fragment is IP only)  IP6 (extension headers walked; a fragment is IP6 only)
 *   ICMP  ICMP6  TCP  UDP  DNS (TCP/UDP port 53, with payload)  DHCP (UDP port 67 or 68)
 *   HTTP (TCP port 80 or 8080, with payload); each frame on its own (no TCP reassembly), the
 *   datagram an ICMP/ICMP6 error quotes included
 * on Ethernet, Linux cooked (v1, v2), raw IP, BSD loopback and 802.11 (plain, radiotap,
 * Network Monitor's; addresses of management and data frames, payload of unprotected data
 * frames). Aliases: ETHER, ARP_RARP, IPV4, IPV6, ICMPV6, BOOTP, 802.1Q.
 * Handles point to read-only PROTOCOLINFOs (no property database: PropertyDatabase NULL). --- */

/* The protocol of a name, case-insensitive; NULL for any other name or NULL. */
HPROTOCOL WINAPI GetProtocolFromName(LPSTR ProtocolName);
/* Its PROTOCOLINFO (read-only); NULL for a handle that is not one of the table's. */
LPPROTOCOLINFO WINAPI GetProtocolInfo(HPROTOCOL hProtocol);
/* The whole table (read-only, every protocol is enabled); NULL for a bad capture handle. */
LPPROTOCOLTABLE WINAPI GetEnabledProtocols(HCAPTURE hCapture);

/* --- Display filters: a postfix program of objects, evaluated on the recogniser's view of a
 * frame. Objects: FILTERACTION_PROTOCOLEXIST (hProtocol), FILTERACTION_PROTOCOLSEXIST
 * (lpProtocolTable: any of them; nProtocols PROTOCOL_NUM_ANY: any protocol at all),
 * FILTERACTION_ADDRESS (lpAddress is the source or the destination), FILTERACTION_FROM,
 * FILTERACTION_TO, FILTERACTION_FROMTO (lpAddress points to two ADDRESS2s: the frame goes
 * between them, either way), FILTERACTION_ADDRESSANY (the frame has an address of lpAddress's
 * type), FILTERACTION_BOOL (Value), and the operators FILTERACTION_AND, _OR, _XOR (the two
 * results on top of the stack) and _NOT (the top one). Addresses: MAC (ETHERNET, TOKENRING,
 * FDDI), IP, IP6, read as GetFrameSourceAddress writes them. Decided: an empty filter passes
 * every frame; several results left on the stack must all be true. Objects are copied when
 * added. An HFILTER points to a FILTERDESC2 (FilterGet/SetUIInstanceData work; NumEntries is
 * kept up to date; the rest is not read). At most 1,024 filters live at once, 64 objects
 * each. --- */

/* A new empty filter; NULL when 1,024 are live. */
HFILTER WINAPI CreateFilter(VOID);
/* Destroys it: NMERR_SUCCESS, or NMERR_INVALID_HFILTER (not a live filter). */
DWORD WINAPI DestroyFilter(HFILTER hFilter);
/* Appends a copy of *lpFilterObject (read whole, with what it points to, before anything is
 * held). Returns NMERR_SUCCESS; NMERR_INVALID_HFILTER; NMERR_INVALID_PARAMETER (NULL object or
 * address, unknown Action); NMERR_INVALID_HPROTOCOL; NMERR_NOT_SUPPORTED (an object that needs
 * protocol parsers - properties, values, comparisons, pattern matches - or an address type the
 * recogniser does not see: refused, never ignored); NMERR_STACK_EMPTY (an operator without its
 * operands); NMERR_STACK_OVERFLOW (64 objects already). */
DWORD WINAPI FilterAddObject(HFILTER hFilter,LPFILTEROBJECT2 lpFilterObject);

/* --- Per-capture memory: blocks on the capture's own key, exactly as ExpertAllocMemory's
 * (zero-filled always, whatever bZeroInit says; ownership checked; counted), all reclaimed
 * and reported by ExpertHostCloseCapture. None takes a capture: each uses the capture of the
 * key whose ExpertGetFrame or ExpertGetStartupInfo the calling thread called last, if it is
 * still open, else the capture the host opened last that is still open. --- */

/* A block of dwBytes; NULL when there is no capture or no memory. */
LPVOID WINAPI CCHeapAlloc(DWORD dwBytes,WINBOOL bZeroInit);
/* Resizes a block of the capture (NULL: allocates); the added bytes are zero; NULL on failure,
 * the block untouched. */
LPVOID WINAPI CCHeapReAlloc(LPVOID lpMem,DWORD dwBytes,WINBOOL bZeroInit);
/* Frees a block of the capture: TRUE, or FALSE for anything else (NULL included). */
WINBOOL WINAPI CCHeapFree(LPVOID lpMem);
/* The size of a block of the capture; 0 for anything else. */
SIZE_T WINAPI CCHeapSize(LPVOID lpMem);
/* The capture's one instance pointer: stored as given (nothing without a capture), and read
 * back (NULL when never set or without a capture). */
VOID WINAPI SetCCInstPtr(LPVOID lpCurCaptureInst);
LPVOID WINAPI GetCCInstPtr(VOID);

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

/* ---------------------------------------------------------------------------------------------
 * Captures - the host opens capture files; experts read them.
 *
 * A capture is opened from a file of any of three formats, told apart by content, not name:
 * Network Monitor 1.x and 2.x (.cap), libpcap (either byte order, micro- or nanosecond time
 * stamps) and pcapng (sections, several interfaces with their own link types, enhanced,
 * simple and obsolete packet blocks; unknown blocks skipped). Opening reads the file once,
 * in bounded memory, and keeps an index of 16 bytes per frame; frames are then read from the
 * file on demand. A file damaged after some frames opens with those frames, the damage
 * reported by ExpertHostQueryCapture.
 *
 * Hand the capture's handle to an expert in EXPERTSTARTUPINFO.hCapture (at key creation,
 * with no pfnGetFrame): ExpertGetFrame then serves its frames, and the capture, frame,
 * filter, protocol and per-capture memory functions of Nmapi.dll answer for it (see
 * "Everything else" below). Frames are served read-only in Network Monitor's FRAME layout
 * (TimeStamp in microseconds since the capture's start, FrameLength on the wire,
 * nBytesAvail stored, the bytes as stored, link header included).
 *
 * Time: a .cap file's start is its header's SYSTEMTIME (the capturing host's local time,
 * read as UTC); a pcap or pcapng capture starts at its first frame's time stamp, shown in
 * UTC. A capture is a key of its own: the per-capture memory (CCHeap*) is that key's memory,
 * reclaimed and reported when the capture is closed. (Decided: the allocator calls and
 * ExpertHostQueryMemory therefore accept a capture's handle as a key and act on that
 * memory, as CCHeap* do; every other Expert* and ExpertHost* key call refuses it with
 * NMERR_INVALID_EXPERT_HANDLE.) Opening and closing are host calls:
 * close a capture only once no expert uses it (ExpertHostCloseCapture waits for calls inside
 * the capture; later ones fail with NMERR_INVALID_HCAPTURE). At most EXPERTHOST_CAPTURES_MAX
 * captures are open at once.
 *
 * Forwarding and native captures exclude each other, so that handles of one never reach the
 * other: with an original Nmapi.dll named, ExpertHostOpenCapture fails with
 * NMERR_NOT_SUPPORTED; while a capture or a filter of the runtime is live,
 * ExpertHostForwardTo fails with NMERR_NOT_SUPPORTED.
 * ------------------------------------------------------------------------------------------- */

#define EXPERTHOST_CAPTURES_MAX 256

/* EXPERTHOSTCAPTUREINFO.Format */
#define EXPERTHOST_CAPTURE_NETMON1 1
#define EXPERTHOST_CAPTURE_NETMON2 2
#define EXPERTHOST_CAPTURE_PCAP    3
#define EXPERTHOST_CAPTURE_PCAPNG  4

/* EXPERTHOSTCAPTUREINFO.Damage: why the frames stop before the end of the file. */
#define EXPERTHOST_DAMAGE_NONE          0
#define EXPERTHOST_DAMAGE_TRUNCATED     1   /* the file ends inside a record */
#define EXPERTHOST_DAMAGE_BAD_RECORD    2   /* a record with impossible lengths */
#define EXPERTHOST_DAMAGE_BAD_INTERFACE 3   /* pcapng: a packet of an undescribed interface */
#define EXPERTHOST_DAMAGE_TOO_MANY      4   /* more than 2^32 - 2 frames or 65,535 interfaces */
#define EXPERTHOST_DAMAGE_READ_ERROR    5

/* MAC types beyond <netmon.h>'s, as GetCaptureMacType and GetFrameMacType report them:
 * Network Monitor's own 802.11 media (frames begin with its radio metadata header), and for
 * any other link the value Network Monitor 3 stores for a frame converted from pcap:
 * 0xE000 | the libpcap LINKTYPE (raw IP 101, Linux cooked 113 and 276, 802.11 105, radiotap
 * 127, BSD loopback 0 and 108, ...). */
#define NMAPI_MAC_TYPE_NETMON_802_11 6
#define NMAPI_MAC_TYPE_LINKTYPE(linktype) (0xE000u | (DWORD)(linktype))

/* What the runtime knows of an open capture. Set cbSize before the query. */
typedef struct _EXPERTHOSTCAPTUREINFO {
    DWORD cbSize;              /* sizeof(EXPERTHOSTCAPTUREINFO), checked */
    DWORD Format;              /* EXPERTHOST_CAPTURE_* */
    DWORD MacType;             /* of the first interface, as GetCaptureMacType */
    DWORD LinkType;            /* its libpcap LINKTYPE (0xFFFF: none) */
    DWORD TotalFrames;
    DWORD Interfaces;          /* pcapng interfaces, or link types of a .cap file */
    DWORD Damage;              /* EXPERTHOST_DAMAGE_* */
    DWORD Reserved;            /* 0 */
    ULONGLONG DamageOffset;    /* file offset where the frames stop, when damaged */
    ULONGLONG FileSize;
    ULONGLONG IndexBytes;      /* memory of the frame index: 16 per frame */
    LONGLONG StartTime;        /* the capture's start (a FILETIME, 100 ns since 1601 UTC), on
                                  a whole microsecond: the first frame's time truncated, or
                                  a .cap file's header time */
    ULONGLONG FramesServed;    /* frames ExpertGetFrame served from it, all keys together */
    SIZE_T CCHeapBlocks;       /* per-capture memory live now: blocks */
    SIZE_T CCHeapBytes;        /* and their requested bytes */
} EXPERTHOSTCAPTUREINFO;

/* Opens a capture file (ExpertHostOpenCaptureW for any file name; the ANSI code page here).
 *   szPath     [in]   the file.
 *   phCapture  [out]  its handle: an opaque value, checked on every use like a key.
 * Returns NMERR_SUCCESS; NMERR_INVALID_PARAMETER (NULL or empty path, phCapture NULL);
 * NMERR_FILE_NOT_FOUND; NMERR_ACCESS_DENIED; NMERR_FILE_READ_ERROR;
 * NMERR_INVALID_FILE_FORMAT (no known format, or its file header is unusable);
 * NMERR_OUT_OF_MEMORY; NMERR_NO_HANDLES (EXPERTHOST_CAPTURES_MAX open);
 * NMERR_NOT_SUPPORTED (forwarding is on). Thread-safe. */
DWORD WINAPI ExpertHostOpenCapture(LPCSTR szPath, HCAPTURE *phCapture);
DWORD WINAPI ExpertHostOpenCaptureW(LPCWSTR szPath, HCAPTURE *phCapture);

/* Closes a capture: its handle, its frame handles and its frames' memory go, and its
 * per-capture memory is reclaimed.
 *   pReclaimed [out, optional]  the per-capture memory at close, as ExpertHostDestroyKey
 *                               reports a key's (cbSize set).
 * Returns NMERR_SUCCESS; NMERR_INVALID_HCAPTURE; NMERR_INVALID_PARAMETER (wrong cbSize; the
 * capture stays open). Waits for calls inside the capture (a thread terminated inside one
 * counts as finished). Thread-safe. */
DWORD WINAPI ExpertHostCloseCapture(HCAPTURE hCapture, EXPERTHOSTMEMORYSTATS *pReclaimed);

/* Copies what the runtime knows of an open capture into *pInfo (cbSize set).
 * Returns NMERR_SUCCESS; NMERR_INVALID_HCAPTURE; NMERR_INVALID_PARAMETER. Thread-safe. */
DWORD WINAPI ExpertHostQueryCapture(HCAPTURE hCapture, EXPERTHOSTCAPTUREINFO *pInfo);

/* Sets the capture's display filter, the one ExpertGetFrame applies first when an expert
 * asks with FLAGS_DEFER_TO_UI_FILTER (none by default: such requests are then filtered by
 * the expert's filter only). hFilter is copied as it is now (later FilterAddObject calls on
 * it do not change the capture's); NULL removes it.
 * Returns NMERR_SUCCESS; NMERR_INVALID_HCAPTURE; NMERR_INVALID_HFILTER. Thread-safe. */
DWORD WINAPI ExpertHostSetDisplayFilter(HCAPTURE hCapture, HFILTER hFilter);

typedef DWORD (WINAPI *PFN_ExpertHostOpenCapture)(LPCSTR, HCAPTURE *);
typedef DWORD (WINAPI *PFN_ExpertHostOpenCaptureW)(LPCWSTR, HCAPTURE *);
typedef DWORD (WINAPI *PFN_ExpertHostCloseCapture)(HCAPTURE, EXPERTHOSTMEMORYSTATS *);
typedef DWORD (WINAPI *PFN_ExpertHostQueryCapture)(HCAPTURE, EXPERTHOSTCAPTUREINFO *);
typedef DWORD (WINAPI *PFN_ExpertHostSetDisplayFilter)(HCAPTURE, HFILTER);

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
