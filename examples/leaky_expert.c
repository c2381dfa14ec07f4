/*
 * leaky_expert.c - a sample Network Monitor 2.x expert, built against <netmon.h> only.
 * It "analyses" a capture by building a table of conversation records with ExpertAllocMemory,
 * grows it with ExpertReallocMemory, frees part of it, and forgets the rest - the kind of
 * leak nmapi.dll's per-expert heap exists to reclaim.
 */
#include <windows.h>
#include <netmon.h>
#include <stdio.h>

#include "sample_register.h"

struct conversation {
    DWORD frames;
    DWORD bytes;
    char name[56];
};

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    return sample_register(pInfo, "Leaky conversation counter",
                           "Counts conversations and forgets to free some of them", 0);
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pConfig; (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    DWORD error = NMERR_SUCCESS;
    DWORD capacity = 16, count = 0;
    struct conversation **table = ExpertAllocMemory(hExpertKey, capacity * sizeof *table, &error);
    if (!table)
        return FALSE;
    for (DWORD frame = 0; frame < 1000; frame++) {
        if (frame % 10 == 0) {                       /* a new conversation every 10 frames */
            if (count == capacity) {
                capacity *= 2;
                void *grown = ExpertReallocMemory(hExpertKey, table, capacity * sizeof *table, &error);
                if (!grown)
                    return FALSE;
                table = grown;
            }
            struct conversation *c = ExpertAllocMemory(hExpertKey, sizeof *c, &error);
            if (!c)
                return FALSE;
            snprintf(c->name, sizeof c->name, "conversation %lu", (unsigned long)count);
            table[count++] = c;
        }
        table[count - 1]->frames++;
        table[count - 1]->bytes += 60 + frame % 1400;
        if (frame % 100 == 0 &&
            ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, "counting conversations",
                                 (LONG)(frame / 10)) == NMERR_EXPERT_TERMINATE)
            return FALSE;
    }
    /* Frees the even conversations and forgets the odd ones and the table: a leak. */
    for (DWORD i = 0; i < count; i += 2)
        ExpertFreeMemory(hExpertKey, table[i]);
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_DONE, 0, "counted 100 conversations", 99);
    return TRUE;
}
