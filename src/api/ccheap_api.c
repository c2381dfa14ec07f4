/*
 * ccheap_api.c - per-capture memory (CCHeapAlloc, CCHeapReAlloc, CCHeapFree, CCHeapSize) and
 * the per-capture instance pointer (SetCCInstPtr, GetCCInstPtr). A capture is a registry key
 * of its own (captures.h), so its memory is a key's memory, with the same exact accounting
 * and ownership checks, and ExpertHostCloseCapture reclaims and reports all of it. None of
 * these functions takes a capture: they use captures_current() - the capture of the key this
 * thread last asked for frames or startup info, else the capture the host opened last.
 */
#include "captures.h"
#include "native.h"

LPVOID WINAPI NATIVE(CCHeapAlloc)(DWORD dwBytes, WINBOOL bZeroInit)
{
    (void)bZeroInit;                   /* every block is zero-filled */
    uintptr_t capture = captures_current();
    return capture ? ExpertAllocMemory((HEXPERTKEY)capture, dwBytes, NULL) : NULL;
}
NATIVE_AGREES(CCHeapAlloc);

LPVOID WINAPI NATIVE(CCHeapReAlloc)(LPVOID lpMem, DWORD dwBytes, WINBOOL bZeroInit)
{
    (void)bZeroInit;                   /* the bytes a reallocation adds are zero-filled */
    uintptr_t capture = captures_current();
    return capture ? ExpertReallocMemory((HEXPERTKEY)capture, lpMem, dwBytes, NULL) : NULL;
}
NATIVE_AGREES(CCHeapReAlloc);

WINBOOL WINAPI NATIVE(CCHeapFree)(LPVOID lpMem)
{
    uintptr_t capture = captures_current();
    return capture && lpMem && ExpertFreeMemory((HEXPERTKEY)capture, lpMem) == NMERR_SUCCESS;
}
NATIVE_AGREES(CCHeapFree);

SIZE_T WINAPI NATIVE(CCHeapSize)(LPVOID lpMem)
{
    uintptr_t capture = captures_current();
    SIZE_T size = capture ? ExpertMemorySize((HEXPERTKEY)capture, lpMem) : (SIZE_T)-1;
    return size == (SIZE_T)-1 ? 0 : size;
}
NATIVE_AGREES(CCHeapSize);

VOID WINAPI NATIVE(SetCCInstPtr)(LPVOID lpCurCaptureInst)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire((HCAPTURE)captures_current(), &k);
    if (!c)
        return;
    c->cc_instance = lpCurCaptureInst;
    captures_release(k);
}
NATIVE_AGREES(SetCCInstPtr);

LPVOID WINAPI NATIVE(GetCCInstPtr)(VOID)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire((HCAPTURE)captures_current(), &k);
    if (!c)
        return NULL;
    LPVOID p = c->cc_instance;
    captures_release(k);
    return p;
}
NATIVE_AGREES(GetCCInstPtr);
