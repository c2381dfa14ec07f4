/*
 * demo_host.c - the smallest host: loads nmapi.dll and an expert with LoadLibrary, runs the
 * expert under a fresh key, then destroys the key and prints what the expert left behind.
 * Usage: demo_host [EXPERT.dll]   (default: leaky_expert.dll beside it)
 */
#include <stdio.h>
#include <string.h>

#include "nmapi.h"

#define RESOLVE(module, name) ((PFN_##name)(void *)GetProcAddress(module, #name))

int main(int argc, char **argv)
{
    const char *expert_path = argc > 1 ? argv[1] : "leaky_expert.dll";
    HMODULE nmapi = LoadLibraryA("nmapi.dll");
    if (!nmapi) {
        fprintf(stderr, "demo_host: cannot load nmapi.dll (error %lu)\n", GetLastError());
        return 65;
    }
    PFN_ExpertHostCreateKey create_key = RESOLVE(nmapi, ExpertHostCreateKey);
    PFN_ExpertHostGetStatus get_status = RESOLVE(nmapi, ExpertHostGetStatus);
    PFN_ExpertHostQueryMemory query_memory = RESOLVE(nmapi, ExpertHostQueryMemory);
    PFN_ExpertHostDestroyKey destroy_key = RESOLVE(nmapi, ExpertHostDestroyKey);
    if (!create_key || !get_status || !query_memory || !destroy_key) {
        fprintf(stderr, "demo_host: nmapi.dll lacks the host API\n");
        return 65;
    }

    HMODULE expert = LoadLibraryA(expert_path);
    if (!expert) {
        fprintf(stderr, "demo_host: cannot load %s (error %lu)\n", expert_path, GetLastError());
        return 65;
    }
    PEXPERTREGISTERPROC expert_register = (PEXPERTREGISTERPROC)(void *)GetProcAddress(expert, EXPERTENTRY_REGISTER);
    PEXPERTRUNPROC expert_run = (PEXPERTRUNPROC)(void *)GetProcAddress(expert, EXPERTENTRY_RUN);
    if (!expert_register || !expert_run) {
        fprintf(stderr, "demo_host: %s exports no Register/Run\n", expert_path);
        return 65;
    }
    EXPERTENUMINFO about;
    memset(&about, 0, sizeof about);
    if (!expert_register(&about)) {
        fprintf(stderr, "demo_host: %s declined to register\n", expert_path);
        return 65;
    }

    EXPERTHOSTKEYINFO info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    info.MemoryLimit = 1 << 20;
    info.szDisplayName = about.szName;
    HEXPERTKEY key;
    DWORD error = create_key(&info, &key);
    if (error != NMERR_SUCCESS) {
        fprintf(stderr, "demo_host: ExpertHostCreateKey failed with NMERR %lu\n", error);
        return 1;
    }

    EXPERTSTARTUPINFO startup;
    memset(&startup, 0, sizeof startup);
    BOOL ok = expert_run(key, NULL, &startup, 0, NULL);

    EXPERTSTATUS status;
    EXPERTHOSTMEMORYSTATS stats = { .cbSize = sizeof stats };
    get_status(key, &status);
    query_memory(key, &stats);
    EXPERTHOSTMEMORYSTATS reclaimed = { .cbSize = sizeof reclaimed };
    destroy_key(key, &reclaimed);

    printf("expert      %s (%s)\n", about.szName, expert_path);
    printf("returned    %s\n", ok ? "TRUE" : "FALSE");
    printf("status      %lu%% \"%s\"\n", (unsigned long)status.PercentDone, status.szStatusText);
    printf("allocations %llu (%llu refused), peak %lu bytes of a %lu-byte limit\n",
           stats.TotalAllocations, stats.FailedAllocations, (unsigned long)stats.PeakBytes,
           (unsigned long)stats.MemoryLimit);
    printf("reclaimed   %lu blocks, %lu bytes, freed at once with the key's heap\n",
           (unsigned long)reclaimed.LiveBlocks, (unsigned long)reclaimed.LiveBytes);
    FreeLibrary(expert);
    FreeLibrary(nmapi);
    return ok ? 0 : 1;
}
