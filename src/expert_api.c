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

/* Acquires a key for an allocating call: fails for a dead or a terminated key. */
static struct expert_key *acquire_for_allocation(HEXPERTKEY hExpertKey, DWORD *error)
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

LPVOID WINAPI ExpertAllocMemory(HEXPERTKEY hExpertKey, SIZE_T nBytes, DWORD *pError)
{
    DWORD error;
    struct expert_key *k = acquire_for_allocation(hExpertKey, &error);
    if (!k)
        return report(pError, error, NULL);
    void *block = NULL;
    error = nmerr_from_keyheap(keyheap_alloc(&k->heap, nBytes, &block));
    registry_release(k);
    return report(pError, error, block);
}

LPVOID WINAPI ExpertReallocMemory(HEXPERTKEY hExpertKey, LPVOID pOriginalMemory, SIZE_T nBytes,
                                  DWORD *pError)
{
    DWORD error;
    struct expert_key *k = acquire_for_allocation(hExpertKey, &error);
    if (!k)
        return report(pError, error, NULL);
    void *block = NULL;
    error = nmerr_from_keyheap(keyheap_realloc(&k->heap, pOriginalMemory, nBytes, &block));
    registry_release(k);
    return report(pError, error, block);
}

DWORD WINAPI ExpertFreeMemory(HEXPERTKEY hExpertKey, LPVOID pOriginalMemory)
{
    struct expert_key *k = registry_acquire(key_value(hExpertKey));
    if (!k)
        return NMERR_INVALID_EXPERT_HANDLE;
    DWORD error = nmerr_from_keyheap(keyheap_free(&k->heap, pOriginalMemory));
    registry_release(k);
    return error;
}

SIZE_T WINAPI ExpertMemorySize(HEXPERTKEY hExpertKey, LPVOID pOriginalMemory)
{
    struct expert_key *k = registry_acquire(key_value(hExpertKey));
    if (!k)
        return (SIZE_T)-1;
    size_t size;
    if (keyheap_size(&k->heap, pOriginalMemory, &size) != KEYHEAP_OK)
        size = (SIZE_T)-1;
    registry_release(k);
    return size;
}

DWORD WINAPI ExpertIndicateStatus(HEXPERTKEY hExpertKey, EXPERTSTATUSENUMERATION Status,
                                  DWORD SubStatus, const char *szText, LONG PercentDone)
{
    DWORD error;
    struct expert_key *k = acquire_for_allocation(hExpertKey, &error);
    if (!k)
        return error;
    struct expert_session *s = k->session;
    EXPERTSTATUS recorded;
    session_set_status(s, Status, SubStatus, szText, PercentDone, &recorded);
    PEXPERTHOST_STATUS_CALLBACK callback = s->on_status;
    PVOID context = s->callback_context;
    /* The callback runs on copies, with the key released: it may destroy the key, or wait for
     * a thread that does, without deadlocking on this call's reference. */
    registry_release(k);
    if (callback)
        callback(context, hExpertKey, &recorded);
    return NMERR_SUCCESS;
}
