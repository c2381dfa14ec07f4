/* workloads.c - one timed run of one contender per call; see bench.h. */
#include "bench.h"

#include <stdlib.h>

#include <windows.h>

#include "nmapi.h"

volatile unsigned bench_sink;

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_sort(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], compare_doubles);
}

double bench_now(void)
{
    static double tick;
    LARGE_INTEGER t;
    if (!tick) {
        LARGE_INTEGER f;
        QueryPerformanceFrequency(&f);
        tick = 1.0 / (double)f.QuadPart;
    }
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * tick;
}

long long bench_heap_busy_bytes(void)
{
    HANDLE heaps[4096];
    DWORD n = GetProcessHeaps(sizeof heaps / sizeof heaps[0], heaps);
    if (n > sizeof heaps / sizeof heaps[0])
        return -1;
    long long busy = 0;
    for (DWORD i = 0; i < n; i++) {
        PROCESS_HEAP_ENTRY e;
        e.lpData = NULL;
        HeapLock(heaps[i]);
        while (HeapWalk(heaps[i], &e))
            if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
                busy += (long long)e.cbData + e.cbOverhead;
        HeapUnlock(heaps[i]);
    }
    return busy;
}

/* The bench's own records come from the process heap, never from an arena under test. */
static void *own_zalloc(size_t size) { return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size); }
static void own_free(void *p) { HeapFree(GetProcessHeap(), 0, p); }

/* xorshift64*: the same seed gives every contender the same sequence of slots and sizes. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static unsigned log2_floor(size_t n)
{
    unsigned b = 0;
    while (n >>= 1)
        b++;
    return b;
}

/* 32-bit arithmetic only: a 64-bit modulo is a library call on i686 and would weigh on the
 * loop being timed. */
static size_t draw_size(const struct churn_spec *spec, uint32_t r)
{
    if (!spec->log_sizes)
        return 1 + r % (uint32_t)spec->max_size;
    uint32_t octave = (r & 0xFF) % log2_floor(spec->max_size);   /* [2^o, 2^(o+1)) */
    uint32_t low = (uint32_t)1 << octave;
    return low + (r >> 8) % low;
}

struct slot {
    unsigned char *p;
    size_t n;
};

struct churn {
    const struct contender *c;
    void *arena;
    const struct churn_spec *spec;
    struct slot *slots;
    uint64_t rng;
    size_t live_bytes;
    unsigned sink;
};

static int churn_alloc(struct churn *w, unsigned i, size_t n)
{
    unsigned char *p = w->c->alloc(w->arena, n);
    if (!p)
        return -1;
    w->sink += p[n - 1];             /* read (zero) and write the memory we were given */
    p[0] = (unsigned char)i;
    p[n - 1] = (unsigned char)n;
    w->slots[i].p = p;
    w->slots[i].n = n;
    w->live_bytes += n;
    return 0;
}

/* The slot table comes first, so that a heap measurement can start after it. */
static int churn_prepare(struct churn *w, const struct contender *c, const struct churn_spec *spec,
                         uint64_t seed)
{
    w->c = c;
    w->spec = spec;
    w->rng = seed | 1;
    w->live_bytes = 0;
    w->sink = 0;
    w->slots = own_zalloc(spec->slots * sizeof *w->slots);
    return w->slots ? 0 : -1;
}

static int churn_fill(struct churn *w, void *arena)
{
    w->arena = arena;
    for (unsigned i = 0; i < w->spec->slots; i++)
        if (churn_alloc(w, i, draw_size(w->spec, (uint32_t)next_random(&w->rng))) != 0)
            return -1;
    return 0;
}

static int churn_start(struct churn *w, const struct contender *c, void *arena,
                       const struct churn_spec *spec, uint64_t seed)
{
    return churn_prepare(w, c, spec, seed) == 0 ? churn_fill(w, arena) : -1;
}

static int churn_steps(struct churn *w, unsigned long count)
{
    const struct contender *c = w->c;
    for (unsigned long k = 0; k < count; k++) {
        uint64_t r = next_random(&w->rng);
        unsigned i = (uint32_t)(r >> 32) % w->spec->slots;
        w->sink += w->slots[i].p[0];
        c->release(w->arena, w->slots[i].p);
        w->live_bytes -= w->slots[i].n;
        if (churn_alloc(w, i, draw_size(w->spec, (uint32_t)r)) != 0)
            return -1;
    }
    return 0;
}

/* Frees what is still live (when the arena was not already dropped) and the slot table. */
static void churn_end(struct churn *w, int free_blocks)
{
    if (w->slots && free_blocks)
        for (unsigned i = 0; i < w->spec->slots; i++)
            if (w->slots[i].p)
                w->c->release(w->arena, w->slots[i].p);
    bench_sink += w->sink;
    own_free(w->slots);
    w->slots = NULL;
}

/* Fill, warm up with a quarter of the operations, then time them all. */
static double churn_timed(struct churn *w)
{
    if (churn_steps(w, w->spec->ops / 4) != 0)
        return -1;
    double t0 = bench_now();
    int failed = churn_steps(w, w->spec->ops);
    double t1 = bench_now();
    return failed ? -1 : t1 - t0;
}

double churn_run(const struct contender *c, void *arena, const struct churn_spec *spec,
                 uint64_t seed)
{
    struct churn w = { 0 };
    double s = churn_start(&w, c, arena, spec, seed) == 0 ? churn_timed(&w) : -1;
    churn_end(&w, 1);
    return s;
}

double churn_once(const struct contender *c, const struct churn_spec *spec, uint64_t seed)
{
    void *arena = c->open();
    if (!arena)
        return -1;
    double s = churn_run(c, arena, spec, seed);
    c->close(arena);
    return s;
}

int mass_run(const struct contender *c, size_t count, size_t size, int by_close,
             double *alloc_s, double *drop_s)
{
    unsigned char **blocks = own_zalloc(count * sizeof *blocks);
    void *arena = blocks ? c->open() : NULL;
    if (!arena) {
        own_free(blocks);
        return -1;
    }
    unsigned sink = 0;
    size_t made = 0;
    double t0 = bench_now();
    for (; made < count; made++) {
        blocks[made] = c->alloc(arena, size);
        if (!blocks[made])
            break;
        sink += blocks[made][size - 1];
        blocks[made][0] = (unsigned char)made;
    }
    double t1 = bench_now();
    if (!by_close)
        for (size_t i = 0; i < made; i++)
            c->release(arena, blocks[i]);
    c->close(arena);
    double t2 = bench_now();
    bench_sink += sink;
    own_free(blocks);
    *alloc_s = t1 - t0;
    *drop_s = t2 - t1;
    return made == count ? 0 : -1;
}

double keys_run(const struct churn_spec *spec, unsigned others, uint64_t seed)
{
    HEXPERTKEY *keys = own_zalloc((others + 1) * sizeof *keys);
    if (!keys)
        return -1;
    double s = -1;
    unsigned made = 0;
    for (; made < others; made++) {
        if (ExpertHostCreateKey(NULL, &keys[made]) != NMERR_SUCCESS)
            goto out;
        if (!ExpertAllocMemory(keys[made], 64, NULL))
            goto out;
    }
    s = churn_once(&contender_shim, spec, seed);   /* its key is the newest one */
out:
    for (unsigned i = 0; i < others; i++)
        if (keys[i])
            ExpertHostDestroyKey(keys[i], NULL);
    own_free(keys);
    return s;
}

struct runner {
    const struct contender *c;
    const struct churn_spec *spec;
    uint64_t seed;
    LONG volatile *ready;
    HANDLE go;
    double start, end;
    int failed;
};

static DWORD WINAPI churn_thread(LPVOID arg)
{
    struct runner *r = arg;
    struct churn w = { 0 };
    void *arena = r->c->open();   /* on this thread: a mimalloc heap belongs to its creator */
    r->failed = !arena || churn_start(&w, r->c, arena, r->spec, r->seed) != 0 ||
                churn_steps(&w, r->spec->ops / 4) != 0;
    InterlockedIncrement(r->ready);
    WaitForSingleObject(r->go, INFINITE);
    r->start = bench_now();
    if (!r->failed)
        r->failed = churn_steps(&w, r->spec->ops) != 0;
    r->end = bench_now();
    churn_end(&w, arena != NULL);
    if (arena)
        r->c->close(arena);
    return 0;
}

double threads_run(const struct contender *c, const struct churn_spec *spec, unsigned threads,
                   uint64_t seed)
{
    struct runner runners[8];
    HANDLE handles[8];
    LONG volatile ready = 0;
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!go || threads > 8)
        return -1;
    unsigned started = 0;
    for (; started < threads; started++) {
        runners[started] = (struct runner){ c, spec, seed + started * 0x9E3779B97F4A7C15ull,
                                            &ready, go, 0, 0, 0 };
        handles[started] = CreateThread(NULL, 0, churn_thread, &runners[started], 0, NULL);
        if (!handles[started])
            break;
    }
    while (InterlockedCompareExchange(&ready, 0, 0) < (LONG)started)
        Sleep(1);
    SetEvent(go);
    WaitForMultipleObjects(started, handles, TRUE, INFINITE);
    double first = 0, last = 0;
    int failed = started < threads;
    for (unsigned i = 0; i < started; i++) {
        CloseHandle(handles[i]);
        failed |= runners[i].failed;
        if (i == 0 || runners[i].start < first)
            first = runners[i].start;
        if (runners[i].end > last)
            last = runners[i].end;
    }
    CloseHandle(go);
    return failed ? -1 : last - first;
}

double overhead_run(const struct contender *c, const struct churn_spec *spec, unsigned samples,
                    uint64_t seed)
{
    struct churn w = { 0 };
    if (churn_prepare(&w, c, spec, seed) != 0)
        return -1;
    long long baseline = c->held_bytes ? 0 : bench_heap_busy_bytes();
    void *arena = baseline >= 0 ? c->open() : NULL;
    double sum = 0;
    unsigned taken = 0;
    if (arena && churn_fill(&w, arena) == 0) {
        for (; taken < samples; taken++) {
            if (churn_steps(&w, spec->ops / samples) != 0)
                break;
            long long held = c->held_bytes ? c->held_bytes(arena)
                                           : bench_heap_busy_bytes() - baseline;
            sum += (double)(held - (long long)w.live_bytes) / spec->slots;
        }
    }
    churn_end(&w, arena != NULL);
    if (arena)
        c->close(arena);
    return taken == samples ? sum / samples : -1;
}

/* Each size is asked REFUSAL_TRIES times; a size's figure is the median of its tries. */
#define REFUSAL_TRIES 101

int refusal_run(double *typical, double *slowest)
{
    SIZE_T sizes[80];
    unsigned n = 0;
    /* Every power of two above both the user address space and the commit limit (what the
     * DLL refuses without asking the OS), then the last sizes below SIZE_MAX. */
    MEMORYSTATUSEX ms = { .dwLength = sizeof ms };
    if (!GlobalMemoryStatusEx(&ms))
        return -1;
    DWORDLONG most = ms.ullTotalVirtual < ms.ullTotalPageFile ? ms.ullTotalVirtual
                                                              : ms.ullTotalPageFile;
    unsigned shift = 31;
    while (shift < sizeof(SIZE_T) * 8 - 1 && ((DWORDLONG)1 << shift) <= most)
        shift++;
    for (; shift < sizeof(SIZE_T) * 8; shift++)
        sizes[n++] = (SIZE_T)1 << shift;
    const SIZE_T below_max[] = { 0, 1, 15, 4095, 65535, 65536, 1u << 20 };
    for (unsigned i = 0; i < sizeof below_max / sizeof *below_max; i++)
        sizes[n++] = (SIZE_T)-1 - below_max[i];
    HEXPERTKEY key = NULL;
    if (ExpertHostCreateKey(NULL, &key) != NMERR_SUCCESS)
        return -1;
    double medians[80], tries[REFUSAL_TRIES];
    int failed = 0;
    for (unsigned i = 0; i < n && !failed; i++) {
        for (unsigned t = 0; t < REFUSAL_TRIES && !failed; t++) {
            DWORD error = 0;
            double t0 = bench_now();
            void *p = ExpertAllocMemory(key, sizes[i], &error);
            tries[t] = bench_now() - t0;
            failed = p != NULL || error != NMERR_OUT_OF_MEMORY;
        }
        bench_sort(tries, REFUSAL_TRIES);
        medians[i] = tries[REFUSAL_TRIES / 2];
    }
    ExpertHostDestroyKey(key, NULL);
    if (failed)
        return -1;
    bench_sort(medians, n);
    *typical = medians[n / 2];
    *slowest = medians[n - 1];
    return 0;
}
