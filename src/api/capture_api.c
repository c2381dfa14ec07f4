/*
 * capture_api.c - the host API for captures (ExpertHostOpenCapture[W],
 * ExpertHostCloseCapture, ExpertHostQueryCapture, ExpertHostSetDisplayFilter) and the
 * capture queries of <netmon.h> (GetCaptureTotalFrames, GetCaptureMacType,
 * GetCaptureTimeStamp, GetCaptureComment, GetFrame) over captures.h.
 */
#include "api_util.h"
#include "captures.h"
#include "filters.h"
#include "forward.h"
#include "native.h"

#include <string.h>

DWORD WINAPI ExpertHostOpenCaptureW(LPCWSTR szPath, HCAPTURE *phCapture)
{
    if (!szPath || !szPath[0] || !phCapture)
        return NMERR_INVALID_PARAMETER;
    nmapi_forward_resolve();
    if (forward_active())
        return NMERR_NOT_SUPPORTED;     /* the original's functions would get our handles */
    return captures_open(szPath, phCapture);
}

DWORD WINAPI ExpertHostOpenCapture(LPCSTR szPath, HCAPTURE *phCapture)
{
    WCHAR path[MAX_PATH];
    if (!szPath || !szPath[0] || !phCapture)
        return NMERR_INVALID_PARAMETER;
    if (!MultiByteToWideChar(CP_ACP, 0, szPath, -1, path, MAX_PATH))
        return GetLastError() == ERROR_INSUFFICIENT_BUFFER ? NMERR_FILE_NOT_FOUND
                                                           : NMERR_INVALID_PARAMETER;
    return ExpertHostOpenCaptureW(path, phCapture);
}

DWORD WINAPI ExpertHostCloseCapture(HCAPTURE hCapture, EXPERTHOSTMEMORYSTATS *pReclaimed)
{
    if (pReclaimed && pReclaimed->cbSize != sizeof *pReclaimed) {
        struct expert_key *k;
        if (!captures_acquire(hCapture, &k))
            return NMERR_INVALID_HCAPTURE;
        captures_release(k);
        return NMERR_INVALID_PARAMETER;
    }
    struct keyheap_stats reclaimed;
    DWORD error = captures_close(hCapture, &reclaimed);
    if (error == NMERR_SUCCESS && pReclaimed)
        stats_to_public(&reclaimed, pReclaimed);
    return error;
}

DWORD WINAPI ExpertHostQueryCapture(HCAPTURE hCapture, EXPERTHOSTCAPTUREINFO *pInfo)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return NMERR_INVALID_HCAPTURE;
    if (!pInfo || pInfo->cbSize != sizeof *pInfo) {
        captures_release(k);
        return NMERR_INVALID_PARAMETER;
    }
    EXPERTHOSTCAPTUREINFO info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    info.Format = c->file.format;
    info.MacType = c->file.interface_count ? captures_mac_type(c->file.interfaces[0].link)
                                           : MAC_TYPE_UNKNOWN;
    info.LinkType = c->file.interface_count ? c->file.interfaces[0].link : CAP_LINK_UNKNOWN;
    info.TotalFrames = c->file.count;
    info.Interfaces = c->file.interface_count;
    info.Damage = c->file.damage;
    info.DamageOffset = c->file.damage_offset;
    info.FileSize = c->file.io.size;
    info.IndexBytes = (ULONGLONG)c->file.count * CAP_INDEX_ENTRY_BYTES;
    info.StartTime = c->file.start_ns / 100 + 116444736000000000LL;
    info.FramesServed = (ULONGLONG)InterlockedCompareExchange(&c->frames_served, 0, 0);
    uintptr_t key = c->key;
    captures_release(k);
    struct keyheap_stats memory;
    if (registry_query(key, &memory) == REGISTRY_OK) {
        info.CCHeapBlocks = memory.live_blocks;
        info.CCHeapBytes = memory.live_bytes;
    }
    *pInfo = info;
    return NMERR_SUCCESS;
}

DWORD WINAPI ExpertHostSetDisplayFilter(HCAPTURE hCapture, HFILTER hFilter)
{
    struct filter_program program;
    if (hFilter) {
        DWORD error = filters_copy(hFilter, &program);
        if (error != NMERR_SUCCESS)
            return error;
    }
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return NMERR_INVALID_HCAPTURE;
    captures_set_display_filter(c, hFilter ? &program : NULL);
    captures_release(k);
    return NMERR_SUCCESS;
}

DWORD WINAPI NATIVE(GetCaptureTotalFrames)(HCAPTURE hCapture)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return 0;
    DWORD n = c->file.count;
    captures_release(k);
    return n;
}
NATIVE_AGREES(GetCaptureTotalFrames);

DWORD WINAPI NATIVE(GetCaptureMacType)(HCAPTURE hCapture)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return NMERR_INVALID_HCAPTURE;
    DWORD type = c->file.interface_count ? captures_mac_type(c->file.interfaces[0].link)
                                         : MAC_TYPE_UNKNOWN;
    captures_release(k);
    return type;
}
NATIVE_AGREES(GetCaptureMacType);

LPSYSTEMTIME WINAPI NATIVE(GetCaptureTimeStamp)(HCAPTURE hCapture)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return NULL;
    LPSYSTEMTIME t = (LPSYSTEMTIME)c->info_ro;
    captures_release(k);
    return t;
}
NATIVE_AGREES(GetCaptureTimeStamp);

LPSTR WINAPI NATIVE(GetCaptureComment)(HCAPTURE hCapture)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return NULL;
    LPSTR comment = c->file.comment ? (LPSTR)(c->info_ro + sizeof(SYSTEMTIME)) : NULL;
    captures_release(k);
    return comment;
}
NATIVE_AGREES(GetCaptureComment);

HFRAME WINAPI NATIVE(GetFrame)(HCAPTURE hCapture, DWORD FrameNumber)
{
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return NULL;
    HFRAME h = FrameNumber < c->file.count ? captures_frame_handle(c, FrameNumber) : NULL;
    captures_release(k);
    return h;
}
NATIVE_AGREES(GetFrame);
