/*
 * Bounded stress with fixed seeds: it runs STRESS_SECONDS (NMAPI_STRESS_SECONDS overrides it)
 * and stops by itself; every wait is bounded, so a hang fails the test.
 *
 *   workers     each churns pattern-stamped blocks of random sizes on its own key (every
 *               other worker's key checks for corruption, and must find none), checks
 *               every byte before each free and reallocation, compares the key's statistics
 *               with its own model, and throws wild pointers (its own freed and interior
 *               pointers, another worker's live block, the stack, unmapped addresses) and
 *               forged keys at the DLL. When its key is terminated it cleans up half of its
 *               blocks, destroys the key, checks the reclaimed figures against its model to
 *               the byte, and starts again on a new key;
 *   terminator  terminates the workers' keys at random;
 *   callers     hammer one shared key without ever touching its memory (it may vanish at any
 *               moment); every call succeeds or reports the key dead;
 *   replacer    publishes a new shared key, then destroys the old one under the callers and
 *               checks that what it reclaimed is exactly what the callers still held on it.
 *
 * Threads record their first failure (a line number and a note) and stop; the test thread
 * reports it.
 */
#include "nmapi_test.h"

#define STRESS_SECONDS 12
#define WORKERS 2
#define CALLERS 2
#define SLOTS 256
#define CALLER_SLOTS 32
#define MAX_SHARED_KEYS 8192

struct failure { int line; const char *what; };
static LONG volatile stop;

/* A failed check records where, stops every thread, and returns from the thread's function. */
#define CHECK(f, cond) do { if (!(cond)) { (f)->line = __LINE__; (f)->what = #cond; \
                                           InterlockedExchange(&stop, 1); return 1; } } while (0)

static unsigned next_random(unsigned *state)
{
    unsigned x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Sizes: mostly small, sometimes a few pages, rarely 64 KiB. */
static SIZE_T random_size(unsigned *rng)
{
    unsigned r = next_random(rng);
    switch (r % 16) {
    case 0:  return r % 65536;
    case 1:
    case 2:  return r % 8192;
    default: return r % 256;
    }
}

/* --- workers on their own keys -------------------------------------------------------------- */
struct stamped { unsigned char *p; SIZE_T size; unsigned char stamp; };

struct worker {
    int id;
    unsigned rng;
    HEXPERTKEY volatile key;
    struct stamped slots[SLOTS];
    SIZE_T live_blocks, live_bytes, peak_bytes;
    ULONGLONG total_allocations;
    void *freed;                        /* the last block it freed, for double frees */
    unsigned long long ops, keys_used, bytes_checked;
    struct failure failure;
};

static struct worker workers[WORKERS];
static void *volatile exposed[WORKERS];   /* a live block of each worker, for the others to attack */

static int intact(const struct stamped *s)
{
    for (SIZE_T i = 0; i < s->size; i++)
        if (s->p[i] != s->stamp)
            return 0;
    return 1;
}

static void model_bytes(struct worker *w, SIZE_T released, SIZE_T acquired)
{
    w->live_bytes = w->live_bytes - released + acquired;
    if (w->live_bytes > w->peak_bytes)
        w->peak_bytes = w->live_bytes;
}

static int new_worker_key(struct worker *w)
{
    /* Odd workers' keys check for corruption: they must find none, and change nothing. */
    EXPERTHOSTKEYINFO info = { .cbSize = sizeof info };
    info.Flags = w->id % 2 ? EXPERTHOST_FLAG_CHECK_CORRUPTION : 0;
    HEXPERTKEY key;
    CHECK(&w->failure, ExpertHostCreateKey(&info, &key) == NMERR_SUCCESS);
    w->key = key;
    memset(w->slots, 0, sizeof w->slots);
    w->live_blocks = w->live_bytes = w->peak_bytes = 0;
    w->total_allocations = 0;
    w->freed = NULL;
    w->keys_used++;
    return 0;
}

static int statistics_match(struct worker *w)
{
    EXPERTHOSTMEMORYSTATS s = { .cbSize = sizeof s };
    CHECK(&w->failure, ExpertHostQueryMemory(w->key, &s) == NMERR_SUCCESS);
    CHECK(&w->failure, s.LiveBlocks == w->live_blocks && s.LiveBytes == w->live_bytes);
    CHECK(&w->failure, s.PeakBytes == w->peak_bytes && s.TotalAllocations == w->total_allocations);
    CHECK(&w->failure, s.FailedAllocations == 0);
    CHECK(&w->failure, s.OverrunsDetected == 0 && s.WritesAfterFreeDetected == 0);
    return 0;
}

static int free_slot(struct worker *w, struct stamped *s)
{
    CHECK(&w->failure, intact(s));
    w->bytes_checked += s->size;
    if (exposed[w->id] == s->p)
        exposed[w->id] = NULL;
    CHECK(&w->failure, ExpertFreeMemory(w->key, s->p) == NMERR_SUCCESS);
    w->freed = s->p;
    w->live_blocks--;
    model_bytes(w, s->size, 0);
    s->p = NULL;
    return 0;
}

/* The key was terminated: free half the blocks (allowed after terminate), destroy the key,
 * and check that it reclaimed exactly the other half. */
static int retire_terminated_key(struct worker *w)
{
    for (int i = 0; i < SLOTS; i += 2)
        if (w->slots[i].p && free_slot(w, &w->slots[i]))
            return 1;
    for (int i = 1; i < SLOTS; i += 2)
        CHECK(&w->failure, !w->slots[i].p || intact(&w->slots[i]));
    if (statistics_match(w))
        return 1;
    exposed[w->id] = NULL;
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    CHECK(&w->failure, ExpertHostDestroyKey(w->key, &r) == NMERR_SUCCESS);
    CHECK(&w->failure, r.LiveBlocks == w->live_blocks && r.LiveBytes == w->live_bytes);
    CHECK(&w->failure, r.PeakBytes == w->peak_bytes && r.TotalAllocations == w->total_allocations);
    CHECK(&w->failure, r.OverrunsDetected == 0 && r.WritesAfterFreeDetected == 0);
    return new_worker_key(w);
}

/* Pointers that are not live blocks of the worker's key, and keys that are not live. */
static int throw_garbage(struct worker *w)
{
    struct stamped *s = &w->slots[next_random(&w->rng) % SLOTS];
    int local;
    void *wild[8];
    int n = 0;
    void *other = exposed[(w->id + 1) % WORKERS];
    if (other)
        wild[n++] = other;                          /* another worker's live block */
    if (w->freed)
        wild[n++] = w->freed;                       /* double free (unless reused since) */
    if (s->p) {
        wild[n++] = s->p + 8;                       /* interior */
        wild[n++] = s->p + 3;                       /* misaligned */
    }
    wild[n++] = &local;
    wild[n++] = (void *)(uintptr_t)0x10;
    wild[n++] = (void *)(uintptr_t)(0xdead0000u | (next_random(&w->rng) & 0xfff0));
    void *p = wild[next_random(&w->rng) % n];
    int ours = 0;
    for (int i = 0; i < SLOTS; i++)
        ours |= w->slots[i].p == p;   /* a freed address the heap handed out again */
    if (!ours) {
        DWORD e = ExpertFreeMemory(w->key, p);
        CHECK(&w->failure, e == NMERR_INVALID_PARAMETER);
        CHECK(&w->failure, ExpertMemorySize(w->key, p) == SIZE_FAILED);
    }
    HEXPERTKEY forged = (HEXPERTKEY)((uintptr_t)w->key ^ ((uintptr_t)1 << (16 + next_random(&w->rng) % 14)));
    DWORD error = POISON_ERROR;
    CHECK(&w->failure, ExpertAllocMemory(forged, 16, &error) == NULL);
    CHECK(&w->failure, error == NMERR_INVALID_EXPERT_HANDLE);
    if (s->p)
        CHECK(&w->failure, ExpertFreeMemory(forged, s->p) == NMERR_INVALID_EXPERT_HANDLE);
    return 0;
}

static DWORD WINAPI worker_main(LPVOID arg)
{
    struct worker *w = arg;
    if (new_worker_key(w))
        return 1;
    while (!stop) {
        unsigned r = next_random(&w->rng);
        struct stamped *s = &w->slots[(r >> 8) % SLOTS];
        DWORD error = POISON_ERROR;
        w->ops++;
        switch (r % 100) {
        default: {                                           /* allocate (replacing) */
            if (s->p && free_slot(w, s))
                return 1;
            SIZE_T size = random_size(&w->rng);
            unsigned char *p = ExpertAllocMemory(w->key, size, &error);
            if (!p) {
                CHECK(&w->failure, error == NMERR_EXPERT_TERMINATE);
                if (retire_terminated_key(w))
                    return 1;
                break;
            }
            for (SIZE_T i = 0; i < size; i++)
                CHECK(&w->failure, p[i] == 0);
            *s = (struct stamped){ p, size, (unsigned char)(r >> 24) };
            memset(p, s->stamp, size);
            w->live_blocks++;
            w->total_allocations++;
            model_bytes(w, 0, size);
            if (r & 0x100)
                exposed[w->id] = p;
            break;
        }
        case 50 ... 69: {                                    /* reallocate */
            if (!s->p)
                break;
            CHECK(&w->failure, intact(s));
            SIZE_T size = random_size(&w->rng);
            unsigned char *p = ExpertReallocMemory(w->key, s->p, size, &error);
            if (!p) {
                CHECK(&w->failure, error == NMERR_EXPERT_TERMINATE && intact(s));
                if (retire_terminated_key(w))
                    return 1;
                break;
            }
            SIZE_T kept = size < s->size ? size : s->size;
            for (SIZE_T i = 0; i < size; i++)
                CHECK(&w->failure, p[i] == (i < kept ? s->stamp : 0));
            if (p != s->p) {
                if (exposed[w->id] == s->p)
                    exposed[w->id] = NULL;
                w->freed = s->p;
            }
            model_bytes(w, s->size, size);
            s->p = p;
            s->size = size;
            s->stamp = (unsigned char)(r >> 24);
            memset(p, s->stamp, size);
            break;
        }
        case 70 ... 84:                                      /* free */
            if (s->p && free_slot(w, s))
                return 1;
            break;
        case 85 ... 89:                                      /* exact figures */
            if (s->p)
                CHECK(&w->failure, ExpertMemorySize(w->key, s->p) == s->size);
            if (statistics_match(w))
                return 1;
            break;
        case 90 ... 99:
            if (throw_garbage(w))
                return 1;
            break;
        }
    }
    return 0;
}

static struct failure terminator_failure;
static unsigned long long terminations;

static DWORD WINAPI terminator_main(LPVOID arg)
{
    unsigned rng = (unsigned)(uintptr_t)arg;
    while (!stop) {
        Sleep(2 + next_random(&rng) % 20);
        DWORD e = ExpertHostTerminate(workers[next_random(&rng) % WORKERS].key);
        /* A key the worker is just replacing is dead: both answers are right. */
        CHECK(&terminator_failure, e == NMERR_SUCCESS || e == NMERR_INVALID_EXPERT_HANDLE);
        terminations += e == NMERR_SUCCESS;
    }
    return 0;
}

/* --- callers on a shared key that is destroyed and replaced under them ---------------------- */
struct shared_key {
    HEXPERTKEY key;
    LONG volatile callers_done;     /* callers that have left this key for good */
    LONG volatile held_blocks;      /* what they held on it when it died */
    LONG volatile held_bytes;
};

static struct shared_key *shared;   /* MAX_SHARED_KEYS records, published in order */
static LONG volatile shared_current;

struct caller {
    unsigned rng;
    void *held[CALLER_SLOTS];
    SIZE_T held_size[CALLER_SLOTS];
    unsigned long long ops, keys_seen;
    struct failure failure;
};

static struct caller callers[CALLERS];

/* The key is dead (or the test is stopping): hand in what was held on it and move on. */
static void leave_shared_key(struct caller *c, LONG index)
{
    LONG blocks = 0, bytes = 0;
    for (int i = 0; i < CALLER_SLOTS; i++) {
        if (c->held[i]) {
            blocks++;
            bytes += (LONG)c->held_size[i];
        }
        c->held[i] = NULL;
    }
    InterlockedExchangeAdd(&shared[index].held_blocks, blocks);
    InterlockedExchangeAdd(&shared[index].held_bytes, bytes);
    InterlockedIncrement(&shared[index].callers_done);
}

/* Was the failed call's key really dead? A dead key never comes back. */
static int is_dead(HEXPERTKEY key)
{
    EXPERTHOSTMEMORYSTATS s = { .cbSize = sizeof s };
    return ExpertHostQueryMemory(key, &s) == NMERR_INVALID_EXPERT_HANDLE;
}

/* An allocating call on the shared key returned p: hold it, or the key must have died. */
static int hold_or_dead(struct caller *c, unsigned slot, void *p, SIZE_T size, DWORD error,
                        int *died)
{
    if (p) {
        c->held[slot] = p;
        c->held_size[slot] = size;
        return 0;
    }
    CHECK(&c->failure, error == NMERR_INVALID_EXPERT_HANDLE);
    *died = 1;
    return 0;
}

static DWORD WINAPI caller_main(LPVOID arg)
{
    struct caller *c = arg;
    /* Start at the first shared key, even if it is gone by the time this thread runs: the
     * replacer waits for every caller to have left each key. */
    LONG index = 0;
    HEXPERTKEY key = shared[index].key;
    c->keys_seen = 1;
    for (;;) {
        if (stop) {
            leave_shared_key(c, index);
            return 0;
        }
        unsigned r = next_random(&c->rng);
        unsigned slot = (r >> 8) % CALLER_SLOTS;
        int died = 0;
        DWORD error = POISON_ERROR;
        c->ops++;
        switch (r % 8) {
        case 0: case 1: case 2: {
            if (c->held[slot]) {                          /* make room first */
                DWORD e = ExpertFreeMemory(key, c->held[slot]);
                if (e != NMERR_SUCCESS) {
                    CHECK(&c->failure, e == NMERR_INVALID_EXPERT_HANDLE);
                    died = 1;
                    break;
                }
                c->held[slot] = NULL;
            }
            SIZE_T size = random_size(&c->rng);
            void *p = ExpertAllocMemory(key, size, &error);
            if (hold_or_dead(c, slot, p, size, error, &died))
                return 1;
            break;
        }
        case 3: case 4:
            if (c->held[slot]) {
                SIZE_T size = random_size(&c->rng);
                void *p = ExpertReallocMemory(key, c->held[slot], size, &error);
                if (hold_or_dead(c, slot, p, size, error, &died))
                    return 1;
            }
            break;
        case 5: {
            DWORD e = ExpertFreeMemory(key, c->held[slot]);
            if (e == NMERR_SUCCESS) {
                c->held[slot] = NULL;
            } else {
                CHECK(&c->failure, e == NMERR_INVALID_EXPERT_HANDLE);
                died = 1;
            }
            break;
        }
        case 6:
            if (c->held[slot] && ExpertMemorySize(key, c->held[slot]) != c->held_size[slot]) {
                CHECK(&c->failure, is_dead(key));
                died = 1;
            }
            break;
        default: {                                        /* wild pointers on the shared key */
            int local;
            /* Misaligned (never another caller's block), the stack, or unmapped. */
            void *wild = c->held[slot] && (r & 0x10000) ? (void *)((char *)c->held[slot] + 3)
                       : (r & 0x20000) ? (void *)&local : (void *)(uintptr_t)0xdead0000u;
            DWORD e = ExpertFreeMemory(key, wild);
            CHECK(&c->failure, e == NMERR_INVALID_PARAMETER || e == NMERR_INVALID_EXPERT_HANDLE);
            died = e == NMERR_INVALID_EXPERT_HANDLE;
            break;
        }
        }
        if (died) {
            CHECK(&c->failure, is_dead(key));
            leave_shared_key(c, index);
            /* The replacer publishes the next key before it destroys this one. */
            CHECK(&c->failure, InterlockedCompareExchange(&shared_current, 0, 0) > index);
            key = shared[++index].key;
            c->keys_seen++;
        }
    }
}

static struct failure replacer_failure;
static unsigned long long shared_keys_replaced;

/* Waits (bounded) until every caller has left shared key i, then compares its figures. */
static int check_reclaimed(LONG i, const EXPERTHOSTMEMORYSTATS *r)
{
    for (int waited = 0; InterlockedCompareExchange(&shared[i].callers_done, 0, 0) < CALLERS; waited++) {
        CHECK(&replacer_failure, waited < 20000);   /* a caller stuck: fail before the join does */
        Sleep(1);
    }
    CHECK(&replacer_failure, r->LiveBlocks == (SIZE_T)shared[i].held_blocks);
    CHECK(&replacer_failure, r->LiveBytes == (SIZE_T)shared[i].held_bytes);
    return 0;
}

static DWORD WINAPI replacer_main(LPVOID arg)
{
    unsigned rng = (unsigned)(uintptr_t)arg;
    while (!stop && shared_current + 1 < MAX_SHARED_KEYS) {
        Sleep(1 + next_random(&rng) % 15);
        LONG old = shared_current;
        CHECK(&replacer_failure, ExpertHostCreateKey(NULL, &shared[old + 1].key) == NMERR_SUCCESS);
        InterlockedExchange(&shared_current, old + 1);
        EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
        CHECK(&replacer_failure, ExpertHostDestroyKey(shared[old].key, &r) == NMERR_SUCCESS);
        if (check_reclaimed(old, &r))
            return 1;
        shared_keys_replaced++;
    }
    return 0;
}

/* --- the test --------------------------------------------------------------------------------- */
static void report_failure(const char *who, int index, const struct failure *f)
{
    if (f->line)
        fail_msg("%s %d failed at line %d: %s", who, index, f->line, f->what);
}

static DWORD stress_seconds(void)
{
    const char *s = getenv("NMAPI_STRESS_SECONDS");
    DWORD n = s ? (DWORD)strtoul(s, NULL, 10) : 0;
    return n ? n : STRESS_SECONDS;
}

static void test_stress_keeps_every_byte_and_every_figure(void **state)
{
    (void)state;
    DWORD seconds = stress_seconds();
    DWORD heaps_before = GetProcessHeaps(0, NULL);
    shared = calloc(MAX_SHARED_KEYS, sizeof *shared);
    assert_non_null(shared);
    assert_int_equal(ExpertHostCreateKey(NULL, &shared[0].key), NMERR_SUCCESS);

    enum { THREADS = WORKERS + CALLERS + 2 };
    HANDLE threads[THREADS];
    int n = 0;
    for (int i = 0; i < WORKERS; i++) {
        workers[i].id = i;
        workers[i].rng = 0x9E3779B9u * (unsigned)(i + 1);
        threads[n++] = CreateThread(NULL, 0, worker_main, &workers[i], 0, NULL);
    }
    for (int i = 0; i < CALLERS; i++) {
        callers[i].rng = 0x85EBCA6Bu * (unsigned)(i + 1);
        threads[n++] = CreateThread(NULL, 0, caller_main, &callers[i], 0, NULL);
    }
    threads[n++] = CreateThread(NULL, 0, terminator_main, (LPVOID)(uintptr_t)0xC2B2AE35u, 0, NULL);
    threads[n++] = CreateThread(NULL, 0, replacer_main, (LPVOID)(uintptr_t)0x27D4EB2Fu, 0, NULL);
    for (int i = 0; i < n; i++)
        assert_non_null(threads[i]);

    DWORD start = GetTickCount();
    Sleep(seconds * 1000);
    InterlockedExchange(&stop, 1);
    DWORD joined = WaitForMultipleObjects(THREADS, threads, TRUE, 90000);
    double elapsed = (GetTickCount() - start) / 1000.0;
    assert_int_equal(joined, WAIT_OBJECT_0);   /* no hang */
    for (int i = 0; i < THREADS; i++)
        CloseHandle(threads[i]);

    for (int i = 0; i < WORKERS; i++)
        report_failure("worker", i, &workers[i].failure);
    for (int i = 0; i < CALLERS; i++)
        report_failure("caller", i, &callers[i].failure);
    report_failure("terminator", 0, &terminator_failure);
    report_failure("replacer", 0, &replacer_failure);

    /* What is left: every worker's key and the last shared key, reclaimed exactly. */
    unsigned long long ops = 0, checked = 0, worker_keys = 0, caller_keys = 0;
    for (int i = 0; i < WORKERS; i++) {
        struct worker *w = &workers[i];
        for (int s = 0; s < SLOTS; s++)
            assert_true(!w->slots[s].p || intact(&w->slots[s]));
        EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
        assert_int_equal(ExpertHostDestroyKey(w->key, &r), NMERR_SUCCESS);
        assert_int_equal(r.LiveBlocks, w->live_blocks);
        assert_int_equal(r.LiveBytes, w->live_bytes);
        assert_int_equal(r.TotalAllocations, w->total_allocations);
        assert_int_equal(r.OverrunsDetected + r.WritesAfterFreeDetected, 0);
        ops += w->ops;
        checked += w->bytes_checked;
        worker_keys += w->keys_used;
    }
    LONG last = shared_current;
    EXPERTHOSTMEMORYSTATS r = { .cbSize = sizeof r };
    assert_int_equal(ExpertHostDestroyKey(shared[last].key, &r), NMERR_SUCCESS);
    assert_int_equal(r.LiveBlocks, (SIZE_T)shared[last].held_blocks);
    assert_int_equal(r.LiveBytes, (SIZE_T)shared[last].held_bytes);
    for (int i = 0; i < CALLERS; i++) {
        ops += callers[i].ops;
        caller_keys += callers[i].keys_seen;
    }
    assert_int_equal(GetProcessHeaps(0, NULL), heaps_before);
    assert_true(terminations > 0 && shared_keys_replaced > 0);

    print_message("stress: %.1f s, %llu operations, %.0f operations/s; %llu bytes checked, "
                  "0 corrupted; %llu worker keys, %llu terminations; %llu shared keys destroyed "
                  "under %d callers (%llu key changes seen), reclaimed exactly\n",
                  elapsed, ops, ops / elapsed, checked, worker_keys, terminations,
                  shared_keys_replaced, CALLERS, caller_keys);
    free(shared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress_keeps_every_byte_and_every_figure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
