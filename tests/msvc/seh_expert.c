/*
 * seh_expert.c - an expert's own __try/__except around a call that faults inside the DLL.
 * Built the way MSVC builds one (clang for *-pc-windows-msvc, lld-link, nmapi.lib, no C
 * runtime): the fault is caught by the program's handler, and the unwinding that follows runs
 * through the DLL's frames, whose frame handler must release what the call had claimed.
 *
 * Each round makes the page of a small block inaccessible and reallocates the block into
 * another size class: the copy reads the old block and faults; the program catches the access
 * violation. While the page is still inaccessible, the key must answer at once - an
 * allocation, a size, a free, a query - which it could not if the caught call still held the
 * key's gate. There are more rounds than a key has touch entries (8), so a caught call that
 * kept its entry would make a later round wait for ever; the last check is a destroy, which
 * waits for every touch entry. Run with a timeout: a hang is the failure.
 *
 * The entry point returns 0, or the number of the step that went wrong (the exit code).
 */
typedef unsigned long DWORD;
typedef unsigned long long ULONGLONG;
typedef __SIZE_TYPE__ SIZE_T;
typedef void *HEXPERTKEY;

#define WINAPI __stdcall
#define NMERR_SUCCESS 0
#define PAGE_NOACCESS 0x01
#define STATUS_ACCESS_VIOLATION 0xC0000005u
#define PAGE 4096u
#define ROUNDS 12u
#define SMALL 24u     /* the block whose page is made inaccessible */
#define MOVED 3000u   /* another size class: the reallocation moves and copies */

typedef struct {      /* nmapi.h's EXPERTHOSTMEMORYSTATS */
    DWORD cbSize, Reserved;
    SIZE_T LiveBlocks, LiveBytes, PeakBytes, MemoryLimit;
    ULONGLONG TotalAllocations, FailedAllocations, OverrunsDetected, WritesAfterFreeDetected;
} EXPERTHOSTMEMORYSTATS;

void *WINAPI ExpertAllocMemory(HEXPERTKEY hExpertKey, SIZE_T nBytes, DWORD *pError);
void *WINAPI ExpertReallocMemory(HEXPERTKEY hExpertKey, void *pOriginal, SIZE_T nBytes,
                                 DWORD *pError);
DWORD WINAPI ExpertFreeMemory(HEXPERTKEY hExpertKey, void *pOriginal);
SIZE_T WINAPI ExpertMemorySize(HEXPERTKEY hExpertKey, void *pOriginal);
DWORD WINAPI ExpertHostCreateKey(const void *pInfo, HEXPERTKEY *phKey);
DWORD WINAPI ExpertHostQueryMemory(HEXPERTKEY hKey, EXPERTHOSTMEMORYSTATS *pStats);
DWORD WINAPI ExpertHostDestroyKey(HEXPERTKEY hKey, EXPERTHOSTMEMORYSTATS *pReclaimed);
__declspec(dllimport) int WINAPI VirtualProtect(void *address, SIZE_T size, DWORD protect,
                                                DWORD *old);

static void *page_of(void *p) { return (void *)((SIZE_T)p & ~(SIZE_T)(PAGE - 1)); }

/* 1 when the reallocation raised an access violation that this frame caught. */
static int realloc_faults(HEXPERTKEY key, void *block)
{
    __try {
        ExpertReallocMemory(key, block, MOVED, 0);
    } __except (_exception_code() == STATUS_ACCESS_VIOLATION) {
        return 1;
    }
    return 0;
}

/* Every allocator call on the key, answered right, away from the inaccessible page. */
static int key_answers(HEXPERTKEY key)
{
    void *p = ExpertAllocMemory(key, 5 * PAGE, 0);
    int ok = p && ExpertMemorySize(key, p) == 5 * PAGE;
    ok = ok && ExpertFreeMemory(key, p) == NMERR_SUCCESS;
    EXPERTHOSTMEMORYSTATS s = { .cbSize = sizeof s };
    return ok && ExpertHostQueryMemory(key, &s) == NMERR_SUCCESS;
}

int seh_expert_entry(void)
{
    HEXPERTKEY key = 0;
    if (ExpertHostCreateKey(0, &key) != NMERR_SUCCESS)
        return 1;
    for (unsigned round = 0; round < ROUNDS; round++) {
        unsigned char *p = ExpertAllocMemory(key, SMALL, 0);
        if (!p)
            return 2;
        p[0] = (unsigned char)round;
        DWORD was;
        if (!VirtualProtect(page_of(p), PAGE, PAGE_NOACCESS, &was))
            return 3;
        if (!realloc_faults(key, p))
            return 4;
        if (!key_answers(key))
            return 5;
        DWORD none;
        if (!VirtualProtect(page_of(p), PAGE, was, &none))
            return 6;
    }
    /* Each caught call counts as done: its new block is the key's, reclaimed at destroy. */
    EXPERTHOSTMEMORYSTATS s = { .cbSize = sizeof s };
    if (ExpertHostQueryMemory(key, &s) != NMERR_SUCCESS || s.LiveBlocks != ROUNDS ||
        s.LiveBytes != ROUNDS * MOVED)
        return 7;
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    if (ExpertHostDestroyKey(key, &r) != NMERR_SUCCESS || r.LiveBlocks != ROUNDS)
        return 8;
    return 0;
}
