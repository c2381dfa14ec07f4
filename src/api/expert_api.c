/*
 * expert_api.c - the Expert* entry points of <netmon.h>. They validate the key, translate,
 * and report; the work is in the registry and the key heap.
 */
#include "api_util.h"
#include "session.h"

/* Writes *pError when the caller gave one; returns value, for one-line failure returns. */
static LPVOID report(DWORD *pError, DWORD error, LPVOID value)
{
    if (pError)
        *pError = error;
    return value;
}

/* Acquires a key for a call that a terminated expert may no longer make (allocating,
 * reporting, asking for frames): fails for a dead or a terminated key. */
static struct expert_key *acquire_running(HEXPERTKEY hExpertKey, DWORD *error)
{
    struct expert_key *k = registry_acquire(key_value(hExpertKey));
    if (!k) {
        *error = NMERR_INVALID_EXPERT_HANDLE;
        return NULL;
    }
    if (registry_is_terminated(k)) {
        registry_release(k);
        *error = NMERR_EXPERT_TERMINATE;
        return NULL;
    }
    return k;
}

/* Enters a key's allocator for a call that a terminated expert may no longer make: fails for
 * a dead or a terminated key. The gate is held on success. */
static struct expert_key *enter_running(HEXPERTKEY hExpertKey, DWORD *error)
{
    struct expert_key *k = registry_enter(key_value(hExpertKey));
    if (!k) {
        *error = NMERR_INVALID_EXPERT_HANDLE;
        return NULL;
    }
    if (registry_is_terminated(k)) {
        registry_leave(k);
        *error = NMERR_EXPERT_TERMINATE;
        return NULL;
    }
    return k;
}

LPVOID WINAPI ExpertAllocMemory(HEXPERTKEY hExpertKey, SIZE_T nBytes, DWORD *pError)
{
    DWORD error;
    struct expert_key *k = enter_running(hExpertKey, &error);
    if (!k)
        return report(pError, error, NULL);
    void *block = NULL;
    error = nmerr_from_keyheap(keyheap_alloc(&k->heap, nBytes, &block));
    registry_leave(k);
    return report(pError, error, block);
}

LPVOID WINAPI ExpertReallocMemory(HEXPERTKEY hExpertKey, LPVOID pOriginalMemory, SIZE_T nBytes,
                                  DWORD *pError)
{
    DWORD error;
    struct expert_key *k = enter_running(hExpertKey, &error);
    if (!k)
        return report(pError, error, NULL);
    void *block = NULL;
    error = nmerr_from_keyheap(keyheap_realloc(&k->heap, pOriginalMemory, nBytes, &block));
    registry_leave(k);
    return report(pError, error, block);
}

DWORD WINAPI ExpertFreeMemory(HEXPERTKEY hExpertKey, LPVOID pOriginalMemory)
{
    struct expert_key *k = registry_enter(key_value(hExpertKey));
    if (!k)
        return NMERR_INVALID_EXPERT_HANDLE;
    DWORD error = nmerr_from_keyheap(keyheap_free(&k->heap, pOriginalMemory));
    registry_leave(k);
    return error;
}

SIZE_T WINAPI ExpertMemorySize(HEXPERTKEY hExpertKey, LPVOID pOriginalMemory)
{
    struct expert_key *k = registry_enter(key_value(hExpertKey));
    if (!k)
        return (SIZE_T)-1;
    size_t size;
    if (keyheap_size(&k->heap, pOriginalMemory, &size) != KEYHEAP_OK)
        size = (SIZE_T)-1;
    registry_leave(k);
    return size;
}

DWORD WINAPI ExpertIndicateStatus(HEXPERTKEY hExpertKey, EXPERTSTATUSENUMERATION Status,
                                  DWORD SubStatus, const char *szText, LONG PercentDone)
{
    /* The expert's text is read before the key is acquired: a wild pointer faults here with no
     * lock or reference of the DLL held, so a host that survives the fault can still destroy
     * the key. */
    EXPERTSTATUS recorded;
    session_copy_text(recorded.szStatusText, sizeof recorded.szStatusText, szText);
    DWORD error;
    struct expert_key *k = acquire_running(hExpertKey, &error);
    if (!k)
        return error;
    struct expert_session *s = k->session;
    session_set_status(s, Status, SubStatus, recorded.szStatusText, PercentDone, &recorded);
    struct session_callbacks cb = s->callbacks;
    registry_release(k);
    if (cb.status_changed)
        cb.status_changed(cb.context, hExpertKey, &recorded);
    return NMERR_SUCCESS;
}

DWORD WINAPI ExpertGetStartupInfo(HEXPERTKEY hExpertKey, PEXPERTSTARTUPINFO pExpertStartupInfo)
{
    DWORD error;
    struct expert_key *k = acquire_running(hExpertKey, &error);
    if (!k)
        return error;
    EXPERTSTARTUPINFO copy = ((struct expert_session *)k->session)->startup;
    registry_release(k);
    if (!pExpertStartupInfo)
        return NMERR_INVALID_PARAMETER;
    /* Written with the key released: a wild pointer faults with nothing of the DLL held. */
    *pExpertStartupInfo = copy;
    return NMERR_SUCCESS;
}

/* The callbacks of a running key, copied. Host callbacks run on the copies with the key
 * released: they may destroy the key, or wait for a thread that does, without deadlocking on
 * the caller's reference. */
static DWORD running_callbacks(HEXPERTKEY hExpertKey, struct session_callbacks *cb)
{
    DWORD error;
    struct expert_key *k = acquire_running(hExpertKey, &error);
    if (!k)
        return error;
    *cb = ((struct expert_session *)k->session)->callbacks;
    registry_release(k);
    return NMERR_SUCCESS;
}

DWORD WINAPI ExpertSubmitEvent(HEXPERTKEY hExpertKey, PNMEVENTDATA pExpertEvent)
{
    struct session_callbacks cb;
    DWORD error = running_callbacks(hExpertKey, &cb);
    if (error != NMERR_SUCCESS)
        return error;
    if (!pExpertEvent)
        return NMERR_INVALID_PARAMETER;
    return cb.submit_event ? cb.submit_event(cb.context, hExpertKey, pExpertEvent)
                           : NMERR_NOT_SUPPORTED;
}

DWORD WINAPI ExpertGetFrame(HEXPERTKEY hExpertKey, DWORD Direction, DWORD RequestFlags,
                            DWORD RequestedFrameNumber, HFILTER hFilter,
                            LPEXPERTFRAMEDESCRIPTOR pEFrameDescriptor)
{
    struct session_callbacks cb;
    DWORD error = running_callbacks(hExpertKey, &cb);
    if (error != NMERR_SUCCESS)
        return error;
    if (!pEFrameDescriptor)
        return NMERR_INVALID_PARAMETER;
    return cb.get_frame ? cb.get_frame(cb.context, hExpertKey, Direction, RequestFlags,
                                       RequestedFrameNumber, hFilter, pEFrameDescriptor)
                        : NMERR_NOT_SUPPORTED;
}
