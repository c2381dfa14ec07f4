/*
 * tidy_expert.c - a sample Network Monitor 2.x expert, built against <netmon.h> only, that
 * does everything right: it builds a frame-size histogram in ExpertAllocMemory memory, grows
 * its list of busy sizes with ExpertReallocMemory, reports progress, frees every block and
 * returns TRUE. Under nmexpert it leaves nothing behind.
 */
#include <windows.h>
#include <netmon.h>
#include <stdio.h>

#include "sample_register.h"

#define FRAMES 2000
#define BUCKETS 16            /* frame sizes in 100-byte buckets, 0..1599 */

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    return sample_register(pInfo, "Tidy frame-size histogram",
                           "Builds a histogram of frame sizes and frees all it allocated", 0);
}

/* Cleans up and returns FALSE: what an expert does when told to terminate. */
static BOOL give_up(HEXPERTKEY key, DWORD *histogram, DWORD *busy)
{
    ExpertFreeMemory(key, busy);        /* NULL is a no-op */
    ExpertFreeMemory(key, histogram);
    return FALSE;
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pConfig; (void)StartupFlags; (void)hWnd;
    DWORD error;
    char text[200];
    snprintf(text, sizeof text, "reading %s",
             pStartupInfo && pStartupInfo->szCaptureFile[0] ? pStartupInfo->szCaptureFile
                                                            : "a synthetic capture");
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_STARTING, 0, text, 0);

    DWORD *histogram = ExpertAllocMemory(hExpertKey, BUCKETS * sizeof *histogram, &error);
    if (!histogram)
        return FALSE;
    DWORD *busy = NULL, busy_count = 0;          /* buckets that reached 100 frames */
    for (DWORD frame = 0; frame < FRAMES; frame++) {
        DWORD size = 60 + (frame * 7919u) % 1500u;   /* a deterministic spread of sizes */
        DWORD bucket = size / 100;
        if (++histogram[bucket] == 100) {
            DWORD *grown = ExpertReallocMemory(hExpertKey, busy,
                                               (busy_count + 1) * sizeof *busy, &error);
            if (!grown)
                return give_up(hExpertKey, histogram, busy);
            busy = grown;
            busy[busy_count++] = bucket;
        }
        if (frame % 200 == 0 &&
            ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, "sorting frames by size",
                                 (LONG)(frame * 100 / FRAMES)) == NMERR_EXPERT_TERMINATE)
            return give_up(hExpertKey, histogram, busy);
    }
    snprintf(text, sizeof text, "%lu frames; %lu sizes seen 100 times or more",
             (unsigned long)FRAMES, (unsigned long)busy_count);
    give_up(hExpertKey, histogram, busy);        /* the same cleanup, on success */
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_DONE, 0, text, 99);
    return TRUE;
}
