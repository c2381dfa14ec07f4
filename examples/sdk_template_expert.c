/*
 * sdk_template_expert.c - a sample expert shaped like the Network Monitor SDK's expert
 * template, written against <netmon.h> only. Besides the Expert* family it imports what the
 * template's Run imports from Nmapi.dll - CreateFilter, FilterAddObject, DestroyFilter,
 * GetProtocolFromName, GetCaptureTotalFrames - so it loads only if nmapi.dll exports them.
 * Its Run, like the template's, dereferences the startup info without a check, builds a
 * display filter, walks the frames with ExpertGetFrame while indicating progress, then builds
 * an event in ExpertAllocMemory memory and submits it. Every Nmapi.dll call may fail (they do
 * under nmapi.dll unless forwarded to an original); the expert carries on without what failed
 * and ends cleanly.
 */
#include <windows.h>
#include <netmon.h>
#include <stdio.h>
#include <string.h>

#include "sample_register.h"

#define STATUS_EVERY 50   /* frames */

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    return sample_register(pInfo, "SDK template expert",
                           "Filters TCP frames and reports them as an event, as the SDK's "
                           "template does", 0);
}

/* The template's display filter: frames that carry the TCP protocol. NULL without one. */
static HFILTER tcp_filter(HPROTOCOL tcp)
{
    HFILTER filter = CreateFilter();
    if (!filter || !tcp)
        return filter;
    FILTEROBJECT2 object;
    memset(&object, 0, sizeof object);
    object.Action = FILTERACTION_PROTOCOLEXIST;
    object.hProtocol = tcp;
    if (FilterAddObject(filter, &object) != NMERR_SUCCESS) {
        DestroyFilter(filter);
        return NULL;
    }
    return filter;
}

/* An event with one column, built in the expert's own memory, as the documentation asks. */
static DWORD submit_summary(HEXPERTKEY key, DWORD frames, DWORD total)
{
    DWORD error;
    PNMEVENTDATA event = ExpertAllocMemory(key, sizeof *event + sizeof(NMCOLUMNINFO), &error);
    if (!event)
        return error;
    char *text = ExpertAllocMemory(key, 128, &error);
    if (!text) {
        ExpertFreeMemory(key, event);
        return error;
    }
    snprintf(text, 128, "%lu TCP frames of %lu", (unsigned long)frames, (unsigned long)total);
    event->Version = 0;
    event->EventIdent = 1;
    event->Severity = 0;
    event->NumColumns = 1;
    event->szSourceName = "SDK template expert";
    event->szEventName = "TCP summary";
    event->szDescription = text;
    GetSystemTime(&event->SysTime);
    event->Column[0].szColumnName = "Frames";
    event->Column[0].VariantData.Type = NMCOLUMNTYPE_UINT32;
    event->Column[0].VariantData.Value.Uint32Val = frames;
    error = ExpertSubmitEvent(key, event);
    ExpertFreeMemory(key, text);
    ExpertFreeMemory(key, event);
    return error;
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pConfig; (void)StartupFlags; (void)hWnd;
    HCAPTURE capture = pStartupInfo->hCapture;          /* unchecked, as in the template */
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_STARTING, 0, pStartupInfo->szCaptureFile, 0);

    HFILTER filter = tcp_filter(GetProtocolFromName("TCP"));
    DWORD total = GetCaptureTotalFrames(capture);
    EXPERTFRAMEDESCRIPTOR frame;
    memset(&frame, 0, sizeof frame);
    DWORD frames = 0;
    DWORD error = ExpertGetFrame(hExpertKey, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0,
                                 filter, &frame);
    while (error == NMERR_SUCCESS) {
        if (++frames % STATUS_EVERY == 0 &&
            ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, "walking the frames",
                                 total ? (LONG)(frames * 100ull / total) : 0) ==
                NMERR_EXPERT_TERMINATE)
            break;
        error = ExpertGetFrame(hExpertKey, GET_FRAME_NEXT_FORWARD, FLAGS_DEFER_TO_UI_FILTER,
                               frame.FrameNumber, filter, &frame);
    }
    BOOL told_to_stop = error == NMERR_EXPERT_TERMINATE;
    if (!told_to_stop)
        submit_summary(hExpertKey, frames, total);
    if (filter)
        DestroyFilter(filter);
    if (told_to_stop)
        return FALSE;
    char text[96];
    snprintf(text, sizeof text, "%lu frames walked", (unsigned long)frames);
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_DONE, 0, text, 99);
    return TRUE;
}
