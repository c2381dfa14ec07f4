/*
 * dropin_expert.c - a test expert written as a Network Monitor 2.x expert was: it knows only
 * <netmon.h>, links against nmapi's import library, and exports Register/Configure/Run.
 * Its first configuration byte picks a scenario:
 *   'M'  exercise every memory call, leak three blocks (10 + 20 + 30 bytes), return TRUE
 *        when every check held; a failed check is reported through ExpertIndicateStatus.
 *   'T'  allocate and report progress until a call says NMERR_EXPERT_TERMINATE, then free
 *        everything and return TRUE when all of that went as documented.
 */
#include <windows.h>
#include <netmon.h>

#ifdef NMAPI_H
#error "the drop-in expert must be built against <netmon.h> only"
#endif

static BOOL failed(HEXPERTKEY key, const char *what)
{
    ExpertIndicateStatus(key, EXPERTSTATUS_PROBLEM, 1, what, 0);
    return FALSE;
}

static BOOL all_bytes(const BYTE *p, BYTE value, SIZE_T n)
{
    for (SIZE_T i = 0; i < n; i++)
        if (p[i] != value)
            return FALSE;
    return TRUE;
}

static BOOL exercise_memory(HEXPERTKEY key)
{
    DWORD error = 0xFFFFFFFF;
    BYTE *p = ExpertAllocMemory(key, 100, &error);
    if (!p || error != NMERR_SUCCESS || !all_bytes(p, 0, 100))
        return failed(key, "alloc");
    FillMemory(p, 100, 0xAB);
    p = ExpertReallocMemory(key, p, 200, &error);
    if (!p || error != NMERR_SUCCESS || !all_bytes(p, 0xAB, 100) || !all_bytes(p + 100, 0, 100))
        return failed(key, "realloc");
    if (ExpertMemorySize(key, p) != 200)
        return failed(key, "size");
    if (ExpertFreeMemory(key, p) != NMERR_SUCCESS)
        return failed(key, "free");
    if (ExpertFreeMemory(key, p) != NMERR_INVALID_PARAMETER)
        return failed(key, "double free");
    if (ExpertFreeMemory(key, NULL) != NMERR_SUCCESS)
        return failed(key, "free NULL");
    if (ExpertMemorySize(key, &error) != (SIZE_T)-1)
        return failed(key, "size of a stack address");
    if (ExpertAllocMemory(NULL, 1, &error) || error != NMERR_INVALID_EXPERT_HANDLE)
        return failed(key, "NULL key");
    if (ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 0, "leaking three blocks", 50) != NMERR_SUCCESS)
        return failed(key, "status");
    for (SIZE_T n = 10; n <= 30; n += 10)
        if (!ExpertAllocMemory(key, n, NULL))
            return failed(key, "leak");
    ExpertIndicateStatus(key, EXPERTSTATUS_DONE, 0, "done", 99);
    return TRUE;
}

static BOOL run_until_terminated(HEXPERTKEY key)
{
    enum { HELD = 100 };
    void *held[HELD] = { 0 };
    DWORD error = NMERR_SUCCESS;
    for (unsigned i = 0; error == NMERR_SUCCESS; i++) {
        void *p = ExpertAllocMemory(key, 64, &error);
        if (p) {
            if (held[i % HELD] && ExpertFreeMemory(key, held[i % HELD]) != NMERR_SUCCESS)
                return FALSE;
            held[i % HELD] = p;
            error = ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 0, "working", (LONG)(i % 100));
        }
    }
    if (error != NMERR_EXPERT_TERMINATE)
        return FALSE;
    for (unsigned i = 0; i < HELD; i++)
        if (held[i] && ExpertFreeMemory(key, held[i]) != NMERR_SUCCESS)
            return FALSE;
    return TRUE;
}

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    lstrcpyA(pInfo->szName, "Drop-in test expert");
    lstrcpyA(pInfo->szVendor, "nmapi tests");
    lstrcpyA(pInfo->szDescription, "Exercises the expert memory calls through <netmon.h> only");
    pInfo->Version = 0x00010000;
    pInfo->Flags = 0;
    return TRUE;
}

BOOL WINAPI Configure(HEXPERTKEY hExpertKey, PEXPERTCONFIG *ppConfig,
                      PEXPERTSTARTUPINFO pStartupInfo, DWORD StartupFlags, HWND hWnd)
{
    (void)hExpertKey; (void)ppConfig; (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    return FALSE;   /* nothing to configure */
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    if (!pConfig || pConfig->RawConfigLength < 1)
        return failed(hExpertKey, "no scenario");
    switch (pConfig->RawConfigData[0]) {
    case 'M': return exercise_memory(hExpertKey);
    case 'T': return run_until_terminated(hExpertKey);
    default:  return failed(hExpertKey, "unknown scenario");
    }
}
