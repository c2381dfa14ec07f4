/*
 * runaway_expert.c - a sample expert that never finishes on its own: it watches a "live"
 * capture, a little memory per tick, until the host tells it to terminate. Then, as the
 * documentation asks, it cleans up what it can and returns at once. Run it with a timeout:
 *   nmexpert run runaway_expert.dll --timeout 500
 */
#include <windows.h>
#include <netmon.h>

#include "sample_register.h"

struct sample {
    struct sample *next;
    DWORD tick;
    BYTE payload[40];
};

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    return sample_register(pInfo, "Runaway live watcher",
                           "Watches a live capture until it is told to terminate", 0);
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pConfig; (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    struct sample *recent = NULL;
    DWORD error = NMERR_SUCCESS;
    for (DWORD tick = 0;; tick++) {
        struct sample *s = ExpertAllocMemory(hExpertKey, sizeof *s, &error);
        if (!s)
            break;                      /* NMERR_EXPERT_TERMINATE (or out of memory) */
        s->tick = tick;
        s->next = recent;
        recent = s;
        if (ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, "watching the wire",
                                 (LONG)(tick % 100)) == NMERR_EXPERT_TERMINATE) {
            error = NMERR_EXPERT_TERMINATE;
            break;
        }
        Sleep(10);
    }
    /* Told to stop: free the newest samples while there is time, leave the rest to the host. */
    for (int i = 0; i < 10 && recent; i++) {
        struct sample *next = recent->next;
        ExpertFreeMemory(hExpertKey, recent);
        recent = next;
    }
    return error == NMERR_EXPERT_TERMINATE ? FALSE : TRUE;
}
