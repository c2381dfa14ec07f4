/*
 * crashing_expert.c - a sample expert with the classic bug: it allocates its tables, starts
 * working, and follows a pointer it never set. The access violation would take the whole
 * host down; under nmexpert only the expert's thread ends, and its key is destroyed with
 * every block it held.
 */
#include <windows.h>
#include <netmon.h>

#include "sample_register.h"

struct table {
    DWORD *counters;      /* meant to be allocated "later"; never is */
    DWORD size;
};

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    return sample_register(pInfo, "Crashing protocol counter",
                           "Counts protocols through a pointer it never set", 0);
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pConfig; (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    DWORD error;
    for (int i = 0; i < 8; i++)                          /* per-protocol buffers */
        if (!ExpertAllocMemory(hExpertKey, 512, &error))
            return FALSE;
    struct table *volatile t = ExpertAllocMemory(hExpertKey, sizeof *t, &error);
    if (!t)
        return FALSE;
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, "counting protocols", 10);
    t->counters[7]++;                                    /* counters is NULL */
    return TRUE;
}
