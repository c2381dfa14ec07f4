/*
 * behaviour_expert.c - a test expert whose behaviour is its configuration: the stored
 * RawConfigData (nmexpert's --config FILE) names what Run or Configure does, so one DLL drives
 * every outcome of the runner. Built against <netmon.h> only and exported with
 * __declspec(dllexport) and no .def, so that on i686 its entry points carry mingw's stdcall
 * decoration (Run@20) and the runner's decorated look-up is exercised.
 *
 * Run first allocates LEAK_BLOCKS blocks of LEAK_BLOCK_BYTES it never frees, and indicates
 * RUNNING at 42% with the behaviour's name, then acts. The environment variable
 * BEHAVIOUR_EXPERT_REGISTER makes Register crash ("crash"), crash holding a lock that DllMain
 * takes when the DLL is unloaded ("crash-holding-lock"), or decline ("false");
 * BEHAVIOUR_EXPERT_DLLMAIN makes DllMain block on DLL_PROCESS_ATTACH ("attach-blocks"), crash
 * there ("attach-crashes"), wait on DLL_PROCESS_DETACH for a thread it started on attach
 * (whose exit needs the loader lock DllMain holds: "detach-waits-for-thread"), or crash there
 * ("detach-crashes").
 */
#include <windows.h>
#include <netmon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The faults below are on purpose. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
#pragma GCC diagnostic ignored "-Warray-bounds"

#define LEAK_BLOCKS 3
#define LEAK_BLOCK_BYTES 100
#define LEAK_MANY_SMALL 100000   /* "leak-many": blocks of 64 bytes */
#define LEAK_MANY_LARGE 64       /* and of 1 MiB */

#define EXPORT __declspec(dllexport)

/* The configuration's text, or "" without one. */
static void behaviour_of(const EXPERTCONFIG *config, char *out, size_t capacity)
{
    size_t n = 0;
    if (config && config->RawConfigLength > sizeof(DWORD)) {
        n = config->RawConfigLength - sizeof(DWORD);
        if (n >= capacity)
            n = capacity - 1;
        memcpy(out, config->RawConfigData, n);
    }
    out[n] = '\0';
}

static BOOL is(const char *behaviour, const char *name)
{
    return strcmp(behaviour, name) == 0;
}

static CRITICAL_SECTION unload_lock;    /* taken by DllMain when the DLL is unloaded */
static char dllmain_mode[32];           /* BEHAVIOUR_EXPERT_DLLMAIN */
static HANDLE worker, worker_stop;      /* "detach-waits-for-thread" */

static DWORD WINAPI wait_for_stop(void *unused)
{
    (void)unused;
    WaitForSingleObject(worker_stop, INFINITE);
    return 0;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    if (reason == DLL_PROCESS_ATTACH) {
        InitializeCriticalSection(&unload_lock);
        GetEnvironmentVariableA("BEHAVIOUR_EXPERT_DLLMAIN", dllmain_mode, sizeof dllmain_mode);
        if (!strcmp(dllmain_mode, "attach-blocks"))
            Sleep(INFINITE);
        if (!strcmp(dllmain_mode, "attach-crashes"))
            *(volatile int *)(ULONG_PTR)0x10 = 1;
        if (!strcmp(dllmain_mode, "detach-waits-for-thread")) {
            worker_stop = CreateEventA(NULL, TRUE, FALSE, NULL);
            worker = CreateThread(NULL, 0, wait_for_stop, NULL, 0, NULL);
        }
    } else if (reason == DLL_PROCESS_DETACH && !reserved) {     /* FreeLibrary, not exit */
        EnterCriticalSection(&unload_lock);
        LeaveCriticalSection(&unload_lock);
        if (!strcmp(dllmain_mode, "detach-waits-for-thread")) {
            SetEvent(worker_stop);
            WaitForSingleObject(worker, INFINITE);   /* its exit waits for the loader lock */
        }
        if (!strcmp(dllmain_mode, "detach-crashes"))
            *(volatile int *)(ULONG_PTR)0x10 = 1;
    }
    return TRUE;
}

/* An expert's own last-chance filter, of the kind crash reporters install: it would end the
 * process on the spot. */
static LONG WINAPI end_everything(EXCEPTION_POINTERS *unused)
{
    (void)unused;
    TerminateProcess(GetCurrentProcess(), 99);
    return EXCEPTION_EXECUTE_HANDLER;
}

/* ntdll's loader lock, as a DllMain or a LoadLibrary in progress holds it. */
NTSTATUS NTAPI LdrLockLoaderLock(ULONG flags, ULONG *state, ULONG_PTR *cookie);

static DWORD WINAPI fault_on_own_thread(void *unused)
{
    (void)unused;
    *(volatile int *)(ULONG_PTR)0x10 = 1;
    return 0;
}

EXPORT BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    const char *mode = getenv("BEHAVIOUR_EXPERT_REGISTER");
    if (mode && !strcmp(mode, "crash"))
        *(volatile int *)pInfo->hModule = 0;        /* writes into its own image header */
    if (mode && !strcmp(mode, "crash-holding-lock")) {
        EnterCriticalSection(&unload_lock);          /* never left */
        *(volatile int *)pInfo->hModule = 0;
    }
    if (mode && !strcmp(mode, "false"))
        return FALSE;
    lstrcpynA(pInfo->szName, "Behaviour expert", EXPERTSTRINGLENGTH);
    lstrcpynA(pInfo->szVendor, "nmapi tests", EXPERTSTRINGLENGTH);
    lstrcpynA(pInfo->szDescription, "Does what its configuration says", EXPERTSTRINGLENGTH);
    pInfo->Version = 0x00020003;
    pInfo->Flags = EXPERT_ENUM_FLAG_CONFIGURABLE | EXPERT_ENUM_FLAG_NO_VIEWER;
    return TRUE;
}

static int recurse_forever(volatile char *previous)
{
    volatile char frame[4096];
    frame[0] = previous ? previous[0] + 1 : 0;
    return recurse_forever(frame) + frame[1];
}

/* What a hostile expert can reach without an import: the host API's destroy, by name. */
typedef DWORD (WINAPI *destroy_key_fn)(HEXPERTKEY key, void *stats);

static DWORD destroy_own_key(HEXPERTKEY key)
{
    destroy_key_fn destroy =
        (destroy_key_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("nmapi.dll"),
                                                       "ExpertHostDestroyKey");
    return destroy ? destroy(key, NULL) : ~0u;
}

/* Until told to terminate: the documented loop. */
static void wait_for_terminate(HEXPERTKEY key)
{
    while (ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 0, "waiting", 50) !=
           NMERR_EXPERT_TERMINATE)
        Sleep(5);
}

EXPORT BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig,
                       PEXPERTSTARTUPINFO pStartupInfo, DWORD StartupFlags, HWND hWnd)
{
    (void)StartupFlags; (void)hWnd;
    char behaviour[64];
    behaviour_of(pConfig, behaviour, sizeof behaviour);
    DWORD error;
    for (int i = 0; i < LEAK_BLOCKS; i++)
        if (!ExpertAllocMemory(hExpertKey, LEAK_BLOCK_BYTES, &error))
            return FALSE;
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, behaviour, 42);

    if (is(behaviour, "return-true"))
        return TRUE;
    if (is(behaviour, "obey-terminate")) {             /* returns TRUE, but only when told */
        wait_for_terminate(hExpertKey);
        return TRUE;
    }
    if (is(behaviour, "ignore-terminate"))
        for (;;)
            Sleep(5);
    if (is(behaviour, "ignore-terminate-in-calls"))   /* ended by TerminateThread, likely inside */
        for (SIZE_T i = 0;; i++) {
            void *p = ExpertAllocMemory(hExpertKey, 16 + i % 40000, &error);
            ExpertMemorySize(hExpertKey, p);
            p = ExpertReallocMemory(hExpertKey, p, 16 + (i * 7) % 70000, &error);
            ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, "busy", (LONG)(i % 100));
            ExpertFreeMemory(hExpertKey, p);
        }
    if (is(behaviour, "access-violation"))
        *(volatile int *)(ULONG_PTR)0x10 = 1;
    if (is(behaviour, "stack-overflow"))
        return recurse_forever(NULL);
    if (is(behaviour, "divide-by-zero")) {
        volatile int zero = 0;
        return 10 / zero;
    }
    if (is(behaviour, "noncontinuable"))
        RaiseException(0xE0000001u, EXCEPTION_NONCONTINUABLE, 0, NULL);
    if (is(behaviour, "wild-status-text"))            /* faults inside nmapi.dll */
        ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, (const char *)(ULONG_PTR)0x10, 1);
    if (is(behaviour, "wild-startup-info"))           /* faults inside nmapi.dll too */
        ExpertGetStartupInfo(hExpertKey, (PEXPERTSTARTUPINFO)(ULONG_PTR)0x10);
    if (is(behaviour, "crash-in-printf"))             /* inside msvcrt, its stream lock held */
        printf("%s %d\n", (const char *)(ULONG_PTR)0x10, 1);
    if (is(behaviour, "crash-holding-heap-lock")) {   /* the process heap's lock held */
        HeapLock(GetProcessHeap());
        *(volatile int *)(ULONG_PTR)0x10 = 1;
    }
    if (is(behaviour, "crash-with-direction-flag")) {
        __asm__ volatile("std");
        *(volatile int *)(ULONG_PTR)0x10 = 1;
    }
    if (is(behaviour, "own-filter-then-crash")) {     /* the guard must still take it */
        SetUnhandledExceptionFilter(end_everything);
        *(volatile int *)(ULONG_PTR)0x10 = 1;
    }
    if (is(behaviour, "return-holding-loader-lock")) {   /* its thread's exit will wait forever */
        ULONG_PTR cookie;
        LdrLockLoaderLock(0, NULL, &cookie);
        return TRUE;
    }
    if (is(behaviour, "destroy-own-key"))             /* the runner's teardown finds it gone */
        return destroy_own_key(hExpertKey) == 0;
    if (is(behaviour, "exit-thread"))
        ExitThread(1);
    if (is(behaviour, "leak-many")) {                  /* a large key for the teardown */
        for (int i = 0; i < LEAK_MANY_SMALL; i++)
            if (!ExpertAllocMemory(hExpertKey, 64, &error))
                return FALSE;
        for (int i = 0; i < LEAK_MANY_LARGE; i++)
            if (!ExpertAllocMemory(hExpertKey, 1u << 20, &error))
                return FALSE;
        return TRUE;
    }
    if (is(behaviour, "close-every-handle")) {         /* the runner's included */
        for (ULONG_PTR h = 4; h < 65536; h += 4)
            CloseHandle((HANDLE)h);
        return TRUE;
    }
    if (is(behaviour, "return-90"))                   /* an NMERR code, as BLRPLATE returns */
        return 90;
    if (is(behaviour, "free-nmapi")) {                /* unloads the runner's nmapi.dll */
        HMODULE nmapi;
        while ((nmapi = GetModuleHandleA("nmapi.dll")))
            FreeLibrary(nmapi);
        return TRUE;
    }
    if (is(behaviour, "crash-on-own-thread")) {       /* a thread no guard can own */
        HANDLE t = CreateThread(NULL, 0, fault_on_own_thread, NULL, 0, NULL);
        WaitForSingleObject(t, INFINITE);
    }
    if (is(behaviour, "corrupt-memory")) {             /* for --check-corruption only */
        char *p = ExpertAllocMemory(hExpertKey, 10, &error);
        char *q = ExpertAllocMemory(hExpertKey, 20, &error);
        if (!p || !q)
            return FALSE;
        p[10] = 1;                                     /* one byte past the end */
        ExpertFreeMemory(hExpertKey, p);
        ExpertFreeMemory(hExpertKey, q);
        q[5] = 2;                                      /* after free: found at destroy */
        return TRUE;
    }
    if (is(behaviour, "fill-memory")) {                /* until the memory limit refuses */
        while (ExpertAllocMemory(hExpertKey, 1024, &error))
            ;
        return error == NMERR_OUT_OF_MEMORY;
    }
    if (is(behaviour, "check-startup")) {              /* the runner's startup info, twice */
        EXPERTSTARTUPINFO copy;
        if (!pStartupInfo || ExpertGetStartupInfo(hExpertKey, &copy) != NMERR_SUCCESS ||
            strcmp(copy.szCaptureFile, pStartupInfo->szCaptureFile))
            return FALSE;
        ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_DONE, 0, pStartupInfo->szCaptureFile, 99);
        return TRUE;
    }
    if (is(behaviour, "control-text"))                 /* escape sequences and quotes */
        ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_DONE, 0, "a\"b\\c\x1b[2J\r\n\xe9", 99);
    return FALSE;                                      /* "return-false" and anything else */
}

/* "configure-race": the block Configure returns, freed by a thread of its own at once. */
#define RACE_CONFIG_BYTES (1u << 20)

struct race {
    HEXPERTKEY key;
    PEXPERTCONFIG config;
};

static DWORD WINAPI free_after_return(void *arg)
{
    struct race *race = arg;
    ExpertFreeMemory(race->key, race->config);
    return 0;
}

EXPORT BOOL WINAPI Configure(HEXPERTKEY hExpertKey, PEXPERTCONFIG *ppConfig,
                             PEXPERTSTARTUPINFO pStartupInfo, DWORD StartupFlags, HWND hWnd)
{
    (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    static EXPERTCONFIG not_a_block;
    char behaviour[64];
    behaviour_of(*ppConfig, behaviour, sizeof behaviour);
    DWORD error;
    if (is(behaviour, "configure-grow")) {             /* appends "+grown" */
        static const char suffix[] = "+grown";
        DWORD length = (*ppConfig)->RawConfigLength;
        PEXPERTCONFIG grown = ExpertReallocMemory(hExpertKey, *ppConfig,
                                                  length + sizeof suffix - 1, &error);
        if (!grown)
            return FALSE;
        memcpy((BYTE *)grown + length, suffix, sizeof suffix - 1);
        grown->RawConfigLength = length + sizeof suffix - 1;
        *ppConfig = grown;
        return TRUE;
    }
    if (is(behaviour, "configure-chdir")) {            /* as a file dialog would */
        char temp[MAX_PATH];
        GetTempPathA(sizeof temp, temp);
        SetCurrentDirectoryA(temp);
        return TRUE;
    }
    if (is(behaviour, "configure-foreign-pointer")) {
        *ppConfig = &not_a_block;
        return TRUE;
    }
    if (is(behaviour, "configure-length-lie")) {
        (*ppConfig)->RawConfigLength = 1u << 20;
        return TRUE;
    }
    if (is(behaviour, "configure-dialog-fails"))       /* DialogBox's failure value */
        return -1;
    if (is(behaviour, "configure-race")) {             /* a thread frees what it returns */
        static const char text[] = "raced";
        PEXPERTCONFIG config = ExpertAllocMemory(hExpertKey, RACE_CONFIG_BYTES, &error);
        if (!config)
            return FALSE;
        config->RawConfigLength = RACE_CONFIG_BYTES;
        memset(config->RawConfigData, 'r', RACE_CONFIG_BYTES - sizeof(DWORD));
        memcpy(config->RawConfigData, text, sizeof text - 1);
        static struct race race;
        race.key = hExpertKey;
        race.config = config;
        CloseHandle(CreateThread(NULL, 0, free_after_return, &race, 0, NULL));
        *ppConfig = config;
        return TRUE;
    }
    if (is(behaviour, "configure-null")) {             /* TRUE, and no configuration */
        ExpertFreeMemory(hExpertKey, *ppConfig);
        *ppConfig = NULL;
        return TRUE;
    }
    return FALSE;                                      /* "configure-false" */
}
