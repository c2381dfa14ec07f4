/*
 * bench.c - nmapi_bench: nmapi.dll's allocator against the raw Win32 private heap it replaces,
 * a mimalloc heap and msvcrt's calloc/free, on the figures the README's "Performance" lists.
 * Everything runs in one process; each figure is measured over alternating rounds (the order of the contenders
 * rotates from round to round) and reported as the median of the per-round ratios, with the
 * smallest and largest. It never judges: it prints the targets beside the values.
 *
 *   nmapi_bench [--rounds N] [--quick] [--only LIST] [--json]
 *
 * LIST is a comma-separated choice of small, mixed, large, destroy, keys, threads, overhead,
 * refusal.
 * --quick runs tiny sizes (a smoke run that proves the program works, not a measurement).
 * Exit status: 0 when every run completed, 1 when an allocation failed, 64 on usage errors.
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#define MAX_ROUNDS 51
#define MAX_REFS 3

struct series {
    double v[MAX_ROUNDS];
    unsigned n;
};

enum unit { UNIT_RATIO, UNIT_PERCENT, UNIT_BYTES, UNIT_NS, UNIT_US, UNIT_MS };

struct figure {
    const char *id;
    const char *label;
    enum unit unit;
    double target;      /* NAN: shown for information, no target */
    int at_least;       /* the target is a floor, not a ceiling */
    struct series value;
    const char *ref_names[MAX_REFS];
    struct series refs[MAX_REFS];
};

enum {
    F_SMALL, F_SMALL_MI, F_MIXED, F_MIXED_MI, F_LARGE, F_LARGE_MI, F_DESTROY, F_DESTROY_RAW,
    F_KEYS, F_THREADS, F_OVERHEAD, F_REFUSAL,
    /* absolute times, for information */
    F_SMALL_NS, F_MIXED_NS, F_LARGE_NS, F_MASS_MS,
    F_COUNT
};

/* The targets are issue 12's; those it does not restate (mixed vs win32, destroy vs freeing
 * each, many keys) keep the earlier issue's. */
static struct figure figures[F_COUNT] = {
    [F_SMALL] = { .id = "small_churn_vs_win32", .label = "small churn 1-128 B, time vs win32 heap",
                  .unit = UNIT_RATIO, .target = 0.45, .ref_names = { "mimalloc", "msvcrt" } },
    [F_SMALL_MI] = { .id = "small_churn_vs_mimalloc", .label = "small churn, time vs mimalloc heap",
                     .unit = UNIT_RATIO, .target = 1.2 },
    [F_MIXED] = { .id = "mixed_churn_vs_win32", .label = "mixed churn 1 B-16 KiB, time vs win32 heap",
                  .unit = UNIT_RATIO, .target = 0.90, .ref_names = { "mimalloc", "msvcrt" } },
    [F_MIXED_MI] = { .id = "mixed_churn_vs_mimalloc", .label = "mixed churn, time vs mimalloc heap",
                     .unit = UNIT_RATIO, .target = 1.0 },
    [F_LARGE] = { .id = "large_churn_vs_win32", .label = "large churn 1 B-1 MiB, time vs win32 heap",
                  .unit = UNIT_RATIO, .target = NAN, .ref_names = { "mimalloc", "msvcrt" } },
    [F_LARGE_MI] = { .id = "large_churn_vs_mimalloc", .label = "large churn, time vs mimalloc heap",
                     .unit = UNIT_RATIO, .target = 1.2 },
    [F_DESTROY] = { .id = "destroy_vs_alloc", .label = "destroy key of 1M x 64 B, vs allocating them",
                    .unit = UNIT_PERCENT, .target = 0.02, .ref_names = { "mimalloc", "win32" } },
    [F_DESTROY_RAW] = { .id = "destroy_vs_win32_free",
                        .label = "destroy key of 1M x 64 B, vs win32 freeing each",
                        .unit = UNIT_PERCENT, .target = 0.10 },
    [F_KEYS] = { .id = "many_keys_vs_one", .label = "per-call time, many live keys vs 1",
                 .unit = UNIT_RATIO, .target = 1.05 },
    [F_THREADS] = { .id = "two_threads_vs_one", .label = "throughput, 2 threads on 2 keys vs 1",
                    .unit = UNIT_RATIO, .target = 1.8, .at_least = 1,
                    .ref_names = { "win32", "mimalloc", "msvcrt" } },
    [F_OVERHEAD] = { .id = "overhead_bytes_per_block", .label = "heap bytes per live block beyond request",
                     .unit = UNIT_BYTES, .target = 16, .ref_names = { "win32", "mimalloc", "msvcrt" } },
    [F_REFUSAL] = { .id = "refusal_us", .label = "refusing a size that cannot be granted, per call",
                    .unit = UNIT_US, .target = 10, .ref_names = { "slowest size" } },
    [F_SMALL_NS] = { .id = "small_churn_ns", .label = "small churn, ns per free+alloc", .unit = UNIT_NS,
                     .target = NAN, .ref_names = { "win32", "mimalloc", "msvcrt" } },
    [F_MIXED_NS] = { .id = "mixed_churn_ns", .label = "mixed churn, ns per free+alloc", .unit = UNIT_NS,
                     .target = NAN, .ref_names = { "win32", "mimalloc", "msvcrt" } },
    [F_LARGE_NS] = { .id = "large_churn_ns", .label = "large churn, ns per free+alloc", .unit = UNIT_NS,
                     .target = NAN, .ref_names = { "win32", "mimalloc", "msvcrt" } },
    [F_MASS_MS] = { .id = "destroy_ms", .label = "destroy key of 1M x 64 B, ms", .unit = UNIT_MS,
                    .target = NAN, .ref_names = { "alloc", "win32-free", "win32-alloc" } },
};

struct config {
    unsigned rounds;
    int json;
    const char *only;
    struct churn_spec small, mixed, large, keys, threads, overhead;
    size_t mass_count;
    unsigned other_keys;
};

static int failures;

static void push(struct series *s, double v)
{
    if (s->n < MAX_ROUNDS)
        s->v[s->n++] = v;
}

/* Median, smallest and largest of a series; NAN when empty. */
static void summarise(const struct series *s, double *median, double *lo, double *hi)
{
    if (!s->n) {
        *median = *lo = *hi = NAN;
        return;
    }
    double v[MAX_ROUNDS];
    memcpy(v, s->v, s->n * sizeof v[0]);
    bench_sort(v, s->n);
    *median = s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
    *lo = v[0];
    *hi = v[s->n - 1];
}

static double median_of(const struct series *s)
{
    double m, lo, hi;
    summarise(s, &m, &lo, &hi);
    return m;
}

/* A run that failed counts against the exit status and leaves its round out. */
static int ok(double seconds, const char *what)
{
    if (seconds > 0)
        return 1;
    fprintf(stderr, "nmapi_bench: a run of %s failed (allocation refused)\n", what);
    failures++;
    return 0;
}

static int wanted(const struct config *cfg, const char *name)
{
    if (!cfg->only)
        return 1;
    size_t len = strlen(name);
    for (const char *p = cfg->only; (p = strstr(p, name)) != NULL; p += len)
        if ((p == cfg->only || p[-1] == ',') && (p[len] == ',' || p[len] == 0))
            return 1;
    return 0;
}

/* --- the figures -------------------------------------------------------------------------- */
static const struct contender *const churners[] = {
    &contender_shim, &contender_win32, &contender_mimalloc, &contender_msvcrt,
};
#define CHURNERS 4

static void measure_churn(const struct config *cfg, const struct churn_spec *spec,
                          struct figure *vs_win32, struct figure *vs_mimalloc,
                          struct figure *ns)
{
    for (unsigned r = 0; r < cfg->rounds; r++) {
        double t[CHURNERS];
        int all = 1;
        for (unsigned j = 0; j < CHURNERS; j++) {
            unsigned c = (r + j) % CHURNERS;
            t[c] = churn_once(churners[c], spec, 0x1234567u + r);
            all &= ok(t[c], churners[c]->name);
        }
        if (!all)
            continue;
        push(&vs_win32->value, t[0] / t[1]);
        push(&vs_win32->refs[0], t[2] / t[1]);
        push(&vs_win32->refs[1], t[3] / t[1]);
        push(&vs_mimalloc->value, t[0] / t[2]);
        push(&ns->value, t[0] * 1e9 / spec->ops);
        for (unsigned c = 1; c < CHURNERS; c++)
            push(&ns->refs[c - 1], t[c] * 1e9 / spec->ops);
    }
}

static void measure_destroy(const struct config *cfg)
{
    struct figure *f = &figures[F_DESTROY], *raw = &figures[F_DESTROY_RAW], *ms = &figures[F_MASS_MS];
    for (unsigned r = 0; r < cfg->rounds; r++) {
        struct { const struct contender *c; int by_close; double alloc, drop; } run[4] = {
            { &contender_shim, 1, 0, 0 },       /* ExpertHostDestroyKey */
            { &contender_mimalloc, 1, 0, 0 },   /* mi_heap_destroy */
            { &contender_win32, 1, 0, 0 },      /* HeapDestroy */
            { &contender_win32, 0, 0, 0 },      /* HeapFree, one by one */
        };
        int all = 1;
        for (unsigned j = 0; j < 4; j++) {
            unsigned k = (r + j) % 4;
            all &= ok(mass_run(run[k].c, cfg->mass_count, 64, run[k].by_close, &run[k].alloc,
                               &run[k].drop) == 0 ? 1 : -1, run[k].c->name);
        }
        if (!all)
            continue;
        push(&f->value, run[0].drop / run[0].alloc);
        push(&f->refs[0], run[1].drop / run[1].alloc);
        push(&f->refs[1], run[2].drop / run[2].alloc);
        push(&raw->value, run[0].drop / run[3].drop);
        push(&ms->value, run[0].drop * 1e3);
        push(&ms->refs[0], run[0].alloc * 1e3);
        push(&ms->refs[1], run[3].drop * 1e3);
        push(&ms->refs[2], run[3].alloc * 1e3);
    }
}

static void measure_keys(const struct config *cfg)
{
    struct figure *f = &figures[F_KEYS];
    for (unsigned r = 0; r < cfg->rounds; r++) {
        double one = 0, many = 0;
        for (unsigned j = 0; j < 2; j++) {
            if ((r + j) % 2)
                many = keys_run(&cfg->keys, cfg->other_keys, 0xABCDEFu + r);
            else
                one = keys_run(&cfg->keys, 0, 0xABCDEFu + r);
        }
        if (ok(one, "nmapi (1 key)") && ok(many, "nmapi (many keys)"))
            push(&f->value, many / one);
    }
}

static void measure_threads(const struct config *cfg)
{
    struct figure *f = &figures[F_THREADS];
    for (unsigned r = 0; r < cfg->rounds; r++) {
        for (unsigned j = 0; j < CHURNERS; j++) {
            unsigned c = (r + j) % CHURNERS;
            double one = 0, two = 0;
            for (unsigned k = 0; k < 2; k++) {
                if ((r + k) % 2)
                    two = threads_run(churners[c], &cfg->threads, 2, 0x5151u + r);
                else
                    one = threads_run(churners[c], &cfg->threads, 1, 0x5151u + r);
            }
            if (!ok(one, churners[c]->name) || !ok(two, churners[c]->name))
                continue;
            push(c == 0 ? &f->value : &f->refs[c - 1], 2 * one / two);
        }
    }
}

static void measure_overhead(const struct config *cfg)
{
    struct figure *f = &figures[F_OVERHEAD];
    unsigned rounds = cfg->rounds < 3 ? cfg->rounds : 3;   /* nearly deterministic */
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned c = 0; c < CHURNERS; c++) {
            double b = overhead_run(churners[c], &cfg->overhead, 16, 0x777u + r);
            if (b == -1) {
                ok(-1, churners[c]->name);
                continue;
            }
            push(c == 0 ? &f->value : &f->refs[c - 1], b);
        }
    }
}

static void measure_refusal(const struct config *cfg)
{
    struct figure *f = &figures[F_REFUSAL];
    for (unsigned r = 0; r < cfg->rounds; r++) {
        double typical, slowest;
        if (ok(refusal_run(&typical, &slowest) == 0 ? 1 : -1, "nmapi (refusals)")) {
            push(&f->value, typical * 1e6);
            push(&f->refs[0], slowest * 1e6);
        }
    }
}

/* --- output ---------------------------------------------------------------------------------- */
static double shown(enum unit u, double v)
{
    return u == UNIT_PERCENT ? v * 100 : v;
}

static const char *unit_name(enum unit u)
{
    switch (u) {
    case UNIT_RATIO:   return "x";
    case UNIT_PERCENT: return "%";
    case UNIT_BYTES:   return "B";
    case UNIT_NS:      return "ns";
    case UNIT_US:      return "us";
    default:           return "ms";
    }
}

static int met(const struct figure *f, double v)
{
    return f->at_least ? v >= f->target : v <= f->target;
}

static void format_value(char *out, size_t size, enum unit u, double v)
{
    if (isnan(v))
        snprintf(out, size, "-");
    else
        snprintf(out, size, u == UNIT_RATIO ? "%.2f%s" : u == UNIT_PERCENT ? "%.1f%s" : "%.1f %s",
                 shown(u, v), unit_name(u));
}

static const char *wine_version(void)
{
    typedef const char *(CDECL *get_version_fn)(void);
    get_version_fn get = (get_version_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "wine_get_version");
    return get ? get() : "none (Windows)";
}

static const char *arch(void) { return sizeof(void *) == 8 ? "x86_64" : "i686"; }

static unsigned cpus(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwNumberOfProcessors;
}

static void print_table(const struct config *cfg)
{
    printf("nmapi_bench: %s under Wine %s, %u CPUs, %u rounds; value = median of per-round "
           "values [min..max]\n\n", arch(), wine_version(), cpus(), cfg->rounds);
    printf("%-48s %-24s %-9s %-4s %s\n", "figure", "nmapi", "target", "met", "references (median)");
    for (int i = 0; i < F_COUNT; i++) {
        const struct figure *f = &figures[i];
        if (!f->value.n)
            continue;
        if (i == F_SMALL_NS)
            printf("\n%-48s %-24s %s\n", "absolute times", "nmapi", "references (median)");
        double m, lo, hi;
        summarise(&f->value, &m, &lo, &hi);
        char value[64], a[24], b[24], target[24] = "";
        format_value(a, sizeof a, f->unit, lo);
        format_value(b, sizeof b, f->unit, hi);
        format_value(value, sizeof value, f->unit, m);
        snprintf(value + strlen(value), sizeof value - strlen(value), " [%s..%s]", a, b);
        if (!isnan(f->target)) {
            char t[24];
            format_value(t, sizeof t, f->unit, f->target);
            snprintf(target, sizeof target, "%s %s", f->at_least ? ">=" : "<=", t);
            printf("%-48s %-24s %-9s %-4s", f->label, value, target, met(f, m) ? "yes" : "NO");
        } else if (i < F_SMALL_NS) {
            printf("%-48s %-24s %-9s %-4s", f->label, value, "-", "");
        } else {
            printf("%-48s %-24s", f->label, value);
        }
        for (int k = 0; k < MAX_REFS && f->ref_names[k]; k++) {
            char r[24];
            format_value(r, sizeof r, f->unit, median_of(&f->refs[k]));
            printf("%s%s %s", k ? ", " : " ", f->ref_names[k], r);
        }
        printf("\n");
    }
    printf("\nsizes: small %u slots, %lu ops; mixed %u slots, %lu ops, large %u slots, %lu ops "
           "(log-uniform sizes); destroy %lu blocks; keys %u others, %lu ops; threads %lu ops each\n",
           cfg->small.slots, cfg->small.ops, cfg->mixed.slots, cfg->mixed.ops, cfg->large.slots,
           cfg->large.ops,
           (unsigned long)cfg->mass_count, cfg->other_keys, cfg->keys.ops, cfg->threads.ops);
}

static void print_json_number(double v)
{
    if (isnan(v))
        printf("null");
    else
        printf("%.6g", v);
}

static void print_json(const struct config *cfg)
{
    printf("{\"arch\":\"%s\",\"wine\":\"%s\",\"cpus\":%u,\"rounds\":%u,\"other_keys\":%u,"
           "\"figures\":[", arch(), wine_version(), cpus(), cfg->rounds, cfg->other_keys);
    int first = 1;
    for (int i = 0; i < F_COUNT; i++) {
        const struct figure *f = &figures[i];
        if (!f->value.n)
            continue;
        double m, lo, hi;
        summarise(&f->value, &m, &lo, &hi);
        printf("%s{\"id\":\"%s\",\"label\":\"%s\",\"unit\":\"%s\",\"value\":", first ? "" : ",",
               f->id, f->label, unit_name(f->unit));
        print_json_number(shown(f->unit, m));
        printf(",\"min\":");
        print_json_number(shown(f->unit, lo));
        printf(",\"max\":");
        print_json_number(shown(f->unit, hi));
        printf(",\"rounds\":%u,\"target\":", f->value.n);
        print_json_number(shown(f->unit, f->target));
        printf(",\"at_least\":%s,\"met\":%s,\"references\":{", f->at_least ? "true" : "false",
               isnan(f->target) ? "null" : met(f, m) ? "true" : "false");
        for (int k = 0; k < MAX_REFS && f->ref_names[k]; k++) {
            printf("%s\"%s\":", k ? "," : "", f->ref_names[k]);
            print_json_number(shown(f->unit, median_of(&f->refs[k])));
        }
        printf("}}");
        first = 0;
    }
    printf("]}\n");
}

/* --- main ---------------------------------------------------------------------------------- */
static int usage(void)
{
    fprintf(stderr, "usage: nmapi_bench [--rounds N] [--quick] [--json] "
                    "[--only small,mixed,large,destroy,keys,threads,overhead,refusal]\n");
    return 64;
}

int main(int argc, char **argv)
{
    int quick = 0;
    struct config cfg = { 0 };
    cfg.rounds = 7;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            cfg.json = 1;
        else if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            cfg.rounds = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            cfg.only = argv[++i];
        else
            return usage();
    }
    if (cfg.rounds < 1 || cfg.rounds > MAX_ROUNDS)
        return usage();

    unsigned long scale = quick ? 50 : 1;
    cfg.small = (struct churn_spec){ 4096, 128, 0, 1000000 / scale };
    cfg.mixed = (struct churn_spec){ 4096, 16384, 1, 200000 / scale };
    /* Log-uniform up to 1 MiB: half the blocks above 1 KiB, a quarter of the octaves from
     * 16 KiB; 512 slots hold about 80 MB live, which i686 has room for beside the others. */
    cfg.large = (struct churn_spec){ 512, 1 << 20, 1, 20000 / scale };
    cfg.keys = (struct churn_spec){ 4096, 128, 0, 300000 / scale };
    cfg.threads = (struct churn_spec){ 4096, 128, 0, 500000 / scale };
    cfg.overhead = (struct churn_spec){ 4096, 128, 0, 160000 / scale };
    cfg.mass_count = 1000000 / scale;
    cfg.other_keys = quick ? 20 : 9999;   /* i686 holds at least 10,000 keys, x86_64 100,000 */
    if (quick && cfg.rounds == 7)
        cfg.rounds = 1;

    if (wanted(&cfg, "small"))
        measure_churn(&cfg, &cfg.small, &figures[F_SMALL], &figures[F_SMALL_MI], &figures[F_SMALL_NS]);
    if (wanted(&cfg, "mixed"))
        measure_churn(&cfg, &cfg.mixed, &figures[F_MIXED], &figures[F_MIXED_MI], &figures[F_MIXED_NS]);
    if (wanted(&cfg, "large"))
        measure_churn(&cfg, &cfg.large, &figures[F_LARGE], &figures[F_LARGE_MI], &figures[F_LARGE_NS]);
    if (wanted(&cfg, "destroy"))
        measure_destroy(&cfg);
    if (wanted(&cfg, "keys"))
        measure_keys(&cfg);
    if (wanted(&cfg, "threads"))
        measure_threads(&cfg);
    if (wanted(&cfg, "overhead"))
        measure_overhead(&cfg);
    if (wanted(&cfg, "refusal"))
        measure_refusal(&cfg);

    if (cfg.json)
        print_json(&cfg);
    else
        print_table(&cfg);
    fflush(stdout);
    return failures ? 1 : 0;
}
