/*
 * consumer.c - a program built the way MSVC builds one: clang for *-pc-windows-msvc, no Windows
 * headers, no C runtime, linked by lld-link against nmapi.lib alone. It declares the exports as
 * <netmon.h> and nmapi.h do - WINAPI (__stdcall) and without dllimport, so each call goes to the
 * decorated thunk _ExpertAllocMemory@12 of the import library - and runs them under Wine.
 * all_exports.c (generated from the .def) takes every export's address through __imp_.
 *
 * The entry point returns 0, or the number of the step that went wrong (the exit code).
 */
typedef unsigned long DWORD;         /* 32 bits on both architectures with the MSVC ABI */
typedef __SIZE_TYPE__ SIZE_T;
typedef void *HEXPERTKEY;

#define WINAPI __stdcall
#define NMERR_SUCCESS 0
#define NMERR_INVALID_PARAMETER 76
#define NMERR_INVALID_EXPERT_HANDLE 130
#define EXPERTSTATUS_RUNNING 2

void *WINAPI ExpertAllocMemory(HEXPERTKEY hExpertKey, SIZE_T nBytes, DWORD *pError);
void *WINAPI ExpertReallocMemory(HEXPERTKEY hExpertKey, void *pOriginal, SIZE_T nBytes, DWORD *pError);
DWORD WINAPI ExpertFreeMemory(HEXPERTKEY hExpertKey, void *pOriginal);
SIZE_T WINAPI ExpertMemorySize(HEXPERTKEY hExpertKey, void *pOriginal);
DWORD WINAPI ExpertIndicateStatus(HEXPERTKEY hExpertKey, int Status, DWORD SubStatus,
                                  const char *szText, long PercentDone);
DWORD WINAPI ExpertHostCreateKey(const void *pInfo, HEXPERTKEY *phKey);
DWORD WINAPI ExpertHostDestroyKey(HEXPERTKEY hKey, void *pReclaimed);

/* all_exports.c */
extern const unsigned all_exports_count;
unsigned all_exports_resolved(void);

static int all_zero(const volatile unsigned char *p, SIZE_T from, SIZE_T to)
{
    for (SIZE_T i = from; i < to; i++)
        if (p[i])
            return 0;
    return 1;
}

int msvc_consumer_entry(void)
{
    HEXPERTKEY key = 0;
    DWORD error = 0xDEADBEEF;
    if (all_exports_resolved() != all_exports_count)
        return 1;
    if (ExpertHostCreateKey(0, &key) != NMERR_SUCCESS || !key)
        return 2;
    volatile unsigned char *p = ExpertAllocMemory(key, 100, &error);
    if (!p || error != NMERR_SUCCESS || !all_zero(p, 0, 100))
        return 3;
    p[0] = 0x5A;
    p[99] = 0xA5;
    if (ExpertMemorySize(key, (void *)p) != 100)
        return 4;
    error = 0xDEADBEEF;
    volatile unsigned char *q = ExpertReallocMemory(key, (void *)p, 300, &error);
    if (!q || error != NMERR_SUCCESS || q[0] != 0x5A || q[99] != 0xA5 || !all_zero(q, 100, 300))
        return 5;
    if (ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 0, "linked by lld-link", 50) != NMERR_SUCCESS)
        return 6;
    if (ExpertFreeMemory(key, (void *)q) != NMERR_SUCCESS)
        return 7;
    if (ExpertFreeMemory(key, (void *)q) != NMERR_INVALID_PARAMETER)
        return 8;
    if (ExpertHostDestroyKey(key, 0) != NMERR_SUCCESS)
        return 9;
    error = 0;
    if (ExpertAllocMemory(key, 1, &error) != 0 || error != NMERR_INVALID_EXPERT_HANDLE)
        return 10;
    return 0;
}
