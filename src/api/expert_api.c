/*
 * expert_api.c - the Expert* entry points of <netmon.h>. They validate the key, translate,
 * and report; the work is in the registry and the key heap.
 */
#include "api_util.h"
#include "captures.h"
#include "expert_frames.h"
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
    if (k && !owner_is(k->session, OWNER_EXPERT)) {   /* a capture's key */
        registry_release(k);
        k = NULL;
    }
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

static void touch(void *t) { keyheap_touch(t); }

/* Under the gate, after an allocator call that left work on the expert's memory: the toucher
 * entry that lets it be done once the gate is left (NULL when there is nothing to do). */
static int32_t volatile *claim_touch(struct expert_key *k, const struct keyheap_touch *t)
{
    return t->what ? registry_claim_touch(k) : NULL;
}

/* The second half of an allocator call, with the gate released: its work on the expert's
 * memory under a toucher entry only (a fault there finds nothing of the DLL held, and a
 * caught one clears the entry as the frame unwinds), then, when due, the settling under the
 * gate again - skipped when the key was destroyed or sealed meanwhile, whose regions then
 * take the block in transit with them. */
static void finish(HEXPERTKEY hExpertKey, struct keyheap_touch *t, int32_t volatile *entry)
{
    if (!entry)
        return;
    plat_call_guarded(touch, t, entry);
    registry_touched(entry);
    if (!(t->what & KEYHEAP_TOUCH_SETTLE))
        return;
    struct expert_key *k = registry_enter(key_value(hExpertKey));
    if (k) {
        keyheap_settle(&k->heap, t);
        registry_leave(k);
    }
}

LPVOID WINAPI ExpertAllocMemory(HEXPERTKEY hExpertKey, SIZE_T nBytes, DWORD *pError)
{
    DWORD error;
    struct expert_key *k = enter_running(hExpertKey, &error);
    if (!k)
        return report(pError, error, NULL);
    void *block = NULL;
    struct keyheap_touch t;
    error = nmerr_from_keyheap(keyheap_alloc(&k->heap, nBytes, &block, &t));
    int32_t volatile *entry = block ? claim_touch(k, &t) : NULL;
    registry_leave(k);
    finish(hExpertKey, &t, entry);
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
    struct keyheap_touch t;
    error = nmerr_from_keyheap(keyheap_realloc(&k->heap, pOriginalMemory, nBytes, &block, &t));
    int32_t volatile *entry = block ? claim_touch(k, &t) : NULL;
    registry_leave(k);
    finish(hExpertKey, &t, entry);
    return report(pError, error, block);
}

DWORD WINAPI ExpertFreeMemory(HEXPERTKEY hExpertKey, LPVOID pOriginalMemory)
{
    struct expert_key *k = registry_enter(key_value(hExpertKey));
    if (!k)
        return NMERR_INVALID_EXPERT_HANDLE;
    struct keyheap_touch t;
    DWORD error = nmerr_from_keyheap(keyheap_free(&k->heap, pOriginalMemory, &t));
    int32_t volatile *entry = error == NMERR_SUCCESS ? claim_touch(k, &t) : NULL;
    registry_leave(k);
    finish(hExpertKey, &t, entry);
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
    captures_bind_thread((uintptr_t)copy.hCapture);   /* none: CCHeap* fall back */
    /* Written with the key released: a wild pointer faults with nothing of the DLL held. */
    *pExpertStartupInfo = copy;
    return NMERR_SUCCESS;
}

/* The callbacks of a running key, copied. Host callbacks run on the copies with the key
 * released: they may destroy the key, or wait for a thread that does, without deadlocking on
 * the caller's reference. */
static DWORD running_callbacks(HEXPERTKEY hExpertKey, struct session_callbacks *cb,
                               HCAPTURE *capture)
{
    DWORD error;
    struct expert_key *k = acquire_running(hExpertKey, &error);
    if (!k)
        return error;
    struct expert_session *s = k->session;
    *cb = s->callbacks;
    if (capture)
        *capture = s->startup.hCapture;
    registry_release(k);
    return NMERR_SUCCESS;
}

DWORD WINAPI ExpertSubmitEvent(HEXPERTKEY hExpertKey, PNMEVENTDATA pExpertEvent)
{
    struct session_callbacks cb;
    DWORD error = running_callbacks(hExpertKey, &cb, NULL);
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
    HCAPTURE capture;
    DWORD error = running_callbacks(hExpertKey, &cb, &capture);
    if (error != NMERR_SUCCESS)
        return error;
    captures_bind_thread((uintptr_t)capture);           /* CCHeap*'s capture, see nmapi.h */
    if (!pEFrameDescriptor)
        return NMERR_INVALID_PARAMETER;
    if (cb.get_frame)
        return cb.get_frame(cb.context, hExpertKey, Direction, RequestFlags,
                            RequestedFrameNumber, hFilter, pEFrameDescriptor);
    return capture ? expert_frames_get(hExpertKey, capture, Direction, RequestFlags,
                                       RequestedFrameNumber, hFilter, pEFrameDescriptor)
                   : NMERR_NOT_SUPPORTED;
}
