/*
 * expert_frames.c - ExpertGetFrame's frames when the host gave no pfnGetFrame and the key's
 * startup info names a capture of ours: the walk through the capture, the display filter
 * the host set (FLAGS_DEFER_TO_UI_FILTER) and the expert's own filter, and the descriptor.
 * The filters are copied before the walk; the descriptor is written once the capture is
 * released, so a wild descriptor faults with nothing of the DLL held.
 */
#include "expert_frames.h"

#include "captures.h"
#include "filters.h"

#define TERMINATE_CHECK 4096     /* frames walked between looks at the key's terminate flag */

DWORD expert_frames_get(HEXPERTKEY hExpertKey, HCAPTURE hCapture, DWORD Direction,
                        DWORD RequestFlags, DWORD RequestedFrameNumber, HFILTER hFilter,
                        LPEXPERTFRAMEDESCRIPTOR pDescriptor)
{
    if (Direction > GET_FRAME_NEXT_BACKWARD ||
        (RequestFlags & ~(DWORD)(FLAGS_DEFER_TO_UI_FILTER | FLAGS_ATTACH_PROPERTIES)))
        return NMERR_INVALID_PARAMETER;
    struct filter_program mine, display;
    int has_mine = 0, has_display = 0;
    if (hFilter) {
        DWORD error = filters_copy(hFilter, &mine);
        if (error != NMERR_SUCCESS)
            return error;
        has_mine = 1;
    }
    struct expert_key *k;
    struct open_capture *c = captures_acquire(hCapture, &k);
    if (!c)
        return NMERR_INVALID_HCAPTURE;
    if (RequestFlags & FLAGS_DEFER_TO_UI_FILTER)
        has_display = captures_display_filter(c, &display);
    const struct filter_program *a = has_display ? &display : NULL;
    const struct filter_program *b = has_mine ? &mine : NULL;

    uint32_t count = c->file.count;
    struct served_frame f;
    DWORD error;
    uint32_t n = RequestedFrameNumber;
    if (Direction == GET_SPECIFIED_FRAME) {
        error = captures_read(c, n, a, b, &f);
    } else {
        /* RequestedFrameNumber is a position: (DWORD)-1 is before the first frame, count
         * or more is after the last. */
        int64_t at = RequestedFrameNumber == (DWORD)-1 ? -1 : (int64_t)RequestedFrameNumber;
        if (at > (int64_t)count)
            at = count;
        int step = Direction == GET_FRAME_NEXT_FORWARD ? 1 : -1;
        error = NMERR_NO_MORE_FRAMES;
        for (uint32_t walked = 1;; walked++) {
            at += step;
            if (at < 0 || at >= (int64_t)count)
                break;
            DWORD e = captures_read(c, (uint32_t)at, a, b, &f);
            if (e == NMERR_SUCCESS || e != NMERR_FRAME_FAILED_FILTER) {
                error = e;
                n = (uint32_t)at;
                break;
            }
            if (walked % TERMINATE_CHECK == 0) {
                struct expert_key *expert = registry_acquire((uintptr_t)hExpertKey);
                int stop = !expert || registry_is_terminated(expert);
                if (expert)
                    registry_release(expert);
                if (stop) {
                    error = NMERR_EXPERT_TERMINATE;
                    break;
                }
            }
        }
    }
    HFRAME handle = error == NMERR_SUCCESS ? captures_frame_handle(c, n) : NULL;
    if (error == NMERR_SUCCESS)
        InterlockedIncrement(&c->frames_served);
    captures_release(k);
    if (error != NMERR_SUCCESS)
        return error;
    pDescriptor->FrameNumber = n;
    pDescriptor->hFrame = handle;
    pDescriptor->pFrame = (ULPFRAME)f.frame;
    pDescriptor->lpRecognizeDataTable = NULL;   /* no parsers: nothing recognised by them */
    pDescriptor->lpPropertyTable = NULL;        /* no parsers: no properties to attach */
    return NMERR_SUCCESS;
}
