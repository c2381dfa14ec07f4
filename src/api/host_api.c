/* host_api.c - the ExpertHost* entry points: argument checks, then the registry. */
#include "api_util.h"
#include "captures.h"
#include "filters.h"
#include "forward.h"
#include "session.h"

DWORD WINAPI ExpertHostCreateKey(const EXPERTHOSTKEYINFO *pInfo, HEXPERTKEY *phKey)
{
    if (!phKey)
        return NMERR_INVALID_PARAMETER;
    if (pInfo && (pInfo->cbSize != sizeof *pInfo || (pInfo->Flags & ~EXPERTHOST_KNOWN_FLAGS)))
        return NMERR_INVALID_PARAMETER;

    struct expert_session *s = session_create(pInfo);
    if (!s)
        return NMERR_OUT_OF_MEMORY;
    uintptr_t key;
    int check_corruption = pInfo && (pInfo->Flags & EXPERTHOST_FLAG_CHECK_CORRUPTION);
    enum registry_status st = registry_create(pInfo ? pInfo->MemoryLimit : 0, check_corruption,
                                              s, &key);
    if (st != REGISTRY_OK) {
        session_destroy(s);
        return nmerr_from_registry(st);
    }
    *phKey = (HEXPERTKEY)key;
    return NMERR_SUCCESS;
}

/* The key with a reference held when it is an expert's (not a capture's), else NULL. */
static struct expert_key *acquire_expert(HEXPERTKEY hKey)
{
    struct expert_key *k = registry_acquire(key_value(hKey));
    if (k && !owner_is(k->session, OWNER_EXPERT)) {
        registry_release(k);
        return NULL;
    }
    return k;
}

DWORD WINAPI ExpertHostTerminate(HEXPERTKEY hKey)
{
    struct expert_key *k = acquire_expert(hKey);
    if (!k)
        return NMERR_INVALID_EXPERT_HANDLE;
    registry_release(k);
    return nmerr_from_registry(registry_terminate(key_value(hKey)));
}

DWORD WINAPI ExpertHostQueryMemory(HEXPERTKEY hKey, EXPERTHOSTMEMORYSTATS *pStats)
{
    struct keyheap_stats stats;
    if (registry_query(key_value(hKey), &stats) != REGISTRY_OK)
        return NMERR_INVALID_EXPERT_HANDLE;
    if (!pStats || pStats->cbSize != sizeof *pStats)
        return NMERR_INVALID_PARAMETER;
    stats_to_public(&stats, pStats);
    return NMERR_SUCCESS;
}

DWORD WINAPI ExpertHostGetStatus(HEXPERTKEY hKey, EXPERTSTATUS *pStatus)
{
    struct expert_key *k = acquire_expert(hKey);
    if (!k)
        return NMERR_INVALID_EXPERT_HANDLE;
    DWORD error = NMERR_INVALID_PARAMETER;
    if (pStatus) {
        session_get_status(k->session, pStatus);
        error = NMERR_SUCCESS;
    }
    registry_release(k);
    return error;
}

DWORD WINAPI ExpertHostDestroyKey(HEXPERTKEY hKey, EXPERTHOSTMEMORYSTATS *pReclaimed)
{
    /* A capture's key is closed by ExpertHostCloseCapture only; a dead key is reported as
     * such even when the stats argument is also wrong. */
    struct expert_key *k = acquire_expert(hKey);
    if (!k)
        return NMERR_INVALID_EXPERT_HANDLE;
    registry_release(k);
    if (pReclaimed && pReclaimed->cbSize != sizeof *pReclaimed)
        return NMERR_INVALID_PARAMETER;
    struct keyheap_stats reclaimed;
    void *session;
    enum registry_status st = registry_destroy(key_value(hKey), &reclaimed, &session);
    if (st != REGISTRY_OK)
        return nmerr_from_registry(st);
    if (reclaimed.live_blocks)
        session_report_leak(session, reclaimed.live_blocks, reclaimed.live_bytes);
    session_destroy(session);
    if (pReclaimed)
        stats_to_public(&reclaimed, pReclaimed);
    return NMERR_SUCCESS;
}

DWORD WINAPI ExpertHostForwardToW(LPCWSTR szOriginalNmapi, DWORD *pResolved)
{
    nmapi_forward_resolve();      /* NMAPI_FORWARD is looked at first: the host's call wins */
    if (captures_open_count() || filters_live_count())
        return NMERR_NOT_SUPPORTED;   /* the original would get our handles */
    return forward_to(szOriginalNmapi, pResolved);
}

DWORD WINAPI ExpertHostForwardTo(LPCSTR szOriginalNmapi, DWORD *pResolved)
{
    WCHAR path[MAX_PATH];
    if (!szOriginalNmapi)
        return ExpertHostForwardToW(NULL, pResolved);
    if (!MultiByteToWideChar(CP_ACP, 0, szOriginalNmapi, -1, path, MAX_PATH))
        return GetLastError() == ERROR_INSUFFICIENT_BUFFER ? NMERR_FILE_NOT_FOUND
                                                           : NMERR_INVALID_PARAMETER;
    return ExpertHostForwardToW(path, pResolved);
}
