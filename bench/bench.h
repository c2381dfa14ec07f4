/*
 * bench.h - what the benchmark's parts share: the allocators under comparison behind one
 * interface, the clock, and the workloads that time one run of one allocator.
 *
 * Every workload times a single run; bench.c repeats runs in alternating rounds inside one
 * process and reports the median of per-round ratios, so that drift of the machine (other
 * builds on the two cores, CPU frequency) hits both sides of a ratio alike.
 */
#ifndef NMAPI_BENCH_H
#define NMAPI_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* An allocator under comparison. An arena is what one owner allocates from: a nmapi key, a
 * private Win32 heap, a mimalloc heap, or (msvcrt) the C runtime's one heap. Every alloc is
 * zero-filled, as ExpertAllocMemory's blocks are. */
struct contender {
    const char *name;
    void *(*open)(void);                        /* NULL on failure */
    void (*close)(void *arena);                 /* drops the arena with whatever it holds */
    void *(*alloc)(void *arena, size_t size);   /* zero-filled; NULL on failure */
    void (*release)(void *arena, void *block);
    /* Heap bytes held for the arena's live blocks, or -1 when the contender cannot say
     * (then the process-wide heap walk is used). */
    long long (*held_bytes)(void *arena);
};

extern const struct contender contender_shim;     /* nmapi.dll: ExpertAllocMemory on a key */
extern const struct contender contender_win32;    /* HeapAlloc(HEAP_ZERO_MEMORY) on a private heap */
extern const struct contender contender_mimalloc; /* mi_heap_zalloc / mi_free on a mi_heap_new() */
extern const struct contender contender_msvcrt;   /* calloc / free */

/* Sorts n values in ascending order. */
void bench_sort(double *v, size_t n);

/* Seconds on a monotonic clock. */
double bench_now(void);

/* Bytes in busy blocks over every heap of the process (HeapWalk), block overhead included. */
long long bench_heap_busy_bytes(void);

/* Touching every block it gets, and reading a byte of it, keeps the compiler from dropping
 * any work; the sink is printed nowhere but is volatile. */
extern volatile unsigned bench_sink;

/* --- workloads: each times one run of one contender ---------------------------------------- */

/* Random free + alloc over `slots` live slots; sizes uniform in [1, max_size] (small) or
 * log-uniform over [1, max_size] (log_sizes). Returns seconds for `ops` operations after a
 * warm-up; -1 on allocation failure. */
struct churn_spec {
    unsigned slots;
    size_t max_size;
    int log_sizes;
    unsigned long ops;
};
double churn_run(const struct contender *c, void *arena, const struct churn_spec *spec,
                 uint64_t seed);
/* Opens an arena, runs churn_run, frees everything, closes it. */
double churn_once(const struct contender *c, const struct churn_spec *spec, uint64_t seed);

/* Fills an arena with `count` blocks of `size` bytes (timed: *alloc_s), then either closes it
 * at once (by_close) or frees the blocks one by one and then closes it; *drop_s times that
 * second part. 0 on success. */
int mass_run(const struct contender *c, size_t count, size_t size, int by_close,
             double *alloc_s, double *drop_s);

/* Churn on a fresh key while `others` further keys (each holding one block) are live.
 * Seconds; -1 on failure. */
double keys_run(const struct churn_spec *spec, unsigned others, uint64_t seed);

/* `threads` threads each churn on their own arena at once; wall seconds from the first start
 * to the last end; -1 on failure. */
double threads_run(const struct contender *c, const struct churn_spec *spec, unsigned threads,
                   uint64_t seed);

/* Heap bytes per live block beyond its requested size, averaged over `samples` points of a
 * churn; -1 when it cannot be measured. */
double overhead_run(const struct contender *c, const struct churn_spec *spec, unsigned samples,
                    uint64_t seed);

/* ExpertAllocMemory of sizes no architecture can grant (2^31 ... 2^63 where size_t holds
 * them, and SIZE_MAX - k): *typical is the median seconds per refusal over every size, *slowest
 * the slowest size's median. 0 on success; -1 when a size was granted or refused with another
 * error. */
int refusal_run(double *typical, double *slowest);

#endif
