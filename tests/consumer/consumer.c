/*
 * consumer.c - a host built against an installed nmapi (find_package + nmapi::nmapi). It checks
 * that it runs with the nmapi.dll beside it and that this DLL is the one its header describes,
 * then allocates, frees, leaves one block for the key's destruction to reclaim, and prints what
 * it saw. Exit code 0, or the number of the check that failed.
 */
#include <stdio.h>
#include <string.h>
#include "nmapi.h"

static int fail(int step, const char *what)
{
    printf("FAILED %d: %s\n", step, what);
    return step;
}

/* Both paths up to the last backslash, compared without regard to case. */
static int same_folder(const char *a, const char *b)
{
    const char *ea = strrchr(a, '\\'), *eb = strrchr(b, '\\');
    return ea && eb && ea - a == eb - b && _strnicmp(a, b, (size_t)(ea - a)) == 0;
}

int main(void)
{
    char exe[MAX_PATH], dll[MAX_PATH];
    HMODULE module = GetModuleHandleA("nmapi.dll");
    if (!module || !GetModuleFileNameA(NULL, exe, sizeof exe) ||
        !GetModuleFileNameA(module, dll, sizeof dll))
        return fail(1, "nmapi.dll is not loaded");
    if (!same_folder(exe, dll))
        return fail(2, "nmapi.dll was not loaded from beside the program");

    DWORD handle = 0, info_size = GetFileVersionInfoSizeA(dll, &handle);
    static unsigned char info[4096];
    VS_FIXEDFILEINFO *fixed = NULL;
    UINT fixed_size = 0;
    if (!info_size || info_size > sizeof info || !GetFileVersionInfoA(dll, 0, sizeof info, info) ||
        !VerQueryValueA(info, "\\", (void **)&fixed, &fixed_size))
        return fail(3, "nmapi.dll has no version resource");
    if (HIWORD(fixed->dwFileVersionMS) != NMAPI_VERSION_MAJOR ||
        LOWORD(fixed->dwFileVersionMS) != NMAPI_VERSION_MINOR ||
        HIWORD(fixed->dwFileVersionLS) != NMAPI_VERSION_PATCH)
        return fail(4, "nmapi.dll's version differs from nmapi.h's");

    HEXPERTKEY key;
    if (ExpertHostCreateKey(NULL, &key) != NMERR_SUCCESS)
        return fail(5, "ExpertHostCreateKey");
    DWORD error = 0xDEADBEEF;
    unsigned char *block = ExpertAllocMemory(key, 4096, &error);
    if (!block || error != NMERR_SUCCESS || block[0] || block[4095])
        return fail(6, "ExpertAllocMemory(4096)");
    memset(block, 0x5A, 4096);
    if (ExpertMemorySize(key, block) != 4096 || ExpertFreeMemory(key, block) != NMERR_SUCCESS)
        return fail(7, "ExpertMemorySize/ExpertFreeMemory");
    if (!ExpertAllocMemory(key, 100, &error))
        return fail(8, "ExpertAllocMemory(100)");

    EXPERTHOSTMEMORYSTATS reclaimed = { .cbSize = sizeof reclaimed };
    if (ExpertHostDestroyKey(key, &reclaimed) != NMERR_SUCCESS)
        return fail(9, "ExpertHostDestroyKey");
    if (reclaimed.LiveBlocks != 1 || reclaimed.LiveBytes != 100 || reclaimed.PeakBytes != 4096 ||
        reclaimed.TotalAllocations != 2)
        return fail(10, "the reclaimed figures");

    printf("nmapi %d.%d.%d (%d-bit) from %s: peak %lu bytes, reclaimed %lu block, %lu bytes\n",
           NMAPI_VERSION_MAJOR, NMAPI_VERSION_MINOR, NMAPI_VERSION_PATCH,
           (int)sizeof(void *) * 8, dll, (unsigned long)reclaimed.PeakBytes,
           (unsigned long)reclaimed.LiveBlocks, (unsigned long)reclaimed.LiveBytes);
    return 0;
}
