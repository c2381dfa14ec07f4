/*
 * The bad-input matrix: every export, every parameter, every kind of bad value the contract
 * names, one table row each. A row names the call, its arguments (by kind), the return value
 * and the error it must give. Each row runs as its own cmocka test against one shared world
 * of keys and stamped blocks, and after each row the test checks that nothing changed: the
 * statistics of every key (a refusal for lack of memory adds exactly one FailedAllocations to
 * the key it was made on), the size and every byte of every live block, the recorded status,
 * the process's heap count, and output arguments the call must not write.
 *
 * The world:
 *   A  the key under test: limit LIMIT, several stamped blocks, a recorded status, and a
 *      dangling pointer to a block it freed;
 *   U  a key without limit and one block, for sizes that only the heap can refuse;
 *   B  another key with a block (a foreign block for A);
 *   T  a terminated key with a block;
 *   R  a live key that reuses the slot of the destroyed key D, so D is stale and aliased.
 */
#include "nmapi_test.h"

#define LIMIT ((SIZE_T)64 * 1024)
#define A_BLOCKS 6

enum call {
    CALL_ALLOC, CALL_REALLOC, CALL_FREE, CALL_SIZE, CALL_INDICATE, CALL_STARTUP, CALL_SUBMIT,
    CALL_GETFRAME, CALL_CREATE, CALL_TERMINATE, CALL_QUERY, CALL_STATUS, CALL_DESTROY,
};

/* Keys: the live ones of the world, then values that are not live keys. */
enum key_arg {
    K_A, K_U, K_T,
    K_NULL, K_ONE, K_SMALL, K_WORD, K_ALL_ONES, K_RANDOM_1, K_RANDOM_2, K_RANDOM_3,
    K_STACK, K_STATIC, K_BLOCK, K_CODE,        /* addresses of real memory */
    K_NO_TAG, K_TAG_ONLY, K_STAMP_ZERO, K_STAMP_PLUS_1, K_STAMP_MINUS_1, K_STAMP_TOP_FLIPPED,
    K_UNUSED_SLOT, K_DESTROYED, K_REUSED_SLOT,
};

/* Pointers given where a block of the key is expected. */
enum ptr_arg {
    P_NONE, P_NULL, P_LIVE, P_OTHER_KEYS, P_FREED, P_INTERIOR, P_MISALIGNED, P_BEFORE_BLOCK,
    P_PAST_BLOCK, P_STACK, P_STATIC, P_CODE, P_UNMAPPED_LOW, P_UNMAPPED_REGION, P_HIGH,
    P_ALL_ONES, P_HEAP_HANDLE, P_KEY_VALUE,
};

/* Sizes. */
enum size_arg {
    S_NONE, S_SMALL, S_MAX, S_MAX_MINUS_1, S_MAX_MINUS_15, S_MAX_MINUS_4K, S_MAX_MINUS_64K,
    S_HALF, S_HALF_MINUS_64K, S_LIMIT_PLUS_1,
};

/* Host structures and other pointer arguments (info, stats, status, startup, event, frame). */
enum struct_arg {
    A_NONE, A_VALID, A_NULL, A_CB_ZERO, A_CB_MINUS_1, A_CB_PLUS_1, A_CB_HALF, A_CB_ALL_ONES,
    A_FLAGS_UNKNOWN, A_FLAGS_HIGH, A_OUT_NULL,
};

enum perror_arg { E_GIVEN, E_NULL };

#define R_NULL ((uintptr_t)0)
#define R_SIZE_FAILED ((uintptr_t)-1)

struct row {
    const char *name;
    enum call call;
    enum key_arg key;
    enum ptr_arg ptr;
    enum size_arg size;
    enum struct_arg arg;
    enum perror_arg perror;
    uintptr_t ret;   /* expected return: a pointer value, a size, or the DWORD code */
    DWORD error;     /* expected *pError, or the returned code */
};

#define ROW(call, key, ptr, size, arg, perror, ret, error) \
    { #call "(" #key ", " #ptr ", " #size ", " #arg ", " #perror ") -> " #error, \
      CALL_##call, key, ptr, size, arg, perror, ret, error }

#define INVALID_KEY NMERR_INVALID_EXPERT_HANDLE
#define INVALID_PARAM NMERR_INVALID_PARAMETER
#define OOM NMERR_OUT_OF_MEMORY
#define TERMINATED NMERR_EXPERT_TERMINATE

/* Every call that takes a key, with otherwise valid arguments, on a key that is not live. */
#define BAD_KEY_ROWS(k)                                                                     \
    ROW(ALLOC,     k, P_NONE, S_SMALL, A_NONE,  E_GIVEN, R_NULL, INVALID_KEY),              \
    ROW(ALLOC,     k, P_NONE, S_SMALL, A_NONE,  E_NULL,  R_NULL, INVALID_KEY),              \
    ROW(REALLOC,   k, P_LIVE, S_SMALL, A_NONE,  E_GIVEN, R_NULL, INVALID_KEY),              \
    ROW(REALLOC,   k, P_NULL, S_SMALL, A_NONE,  E_NULL,  R_NULL, INVALID_KEY),              \
    ROW(FREE,      k, P_LIVE, S_NONE,  A_NONE,  E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(FREE,      k, P_NULL, S_NONE,  A_NONE,  E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(SIZE,      k, P_LIVE, S_NONE,  A_NONE,  E_GIVEN, R_SIZE_FAILED, 0),                 \
    ROW(INDICATE,  k, P_NONE, S_NONE,  A_VALID, E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(STARTUP,   k, P_NONE, S_NONE,  A_VALID, E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(SUBMIT,    k, P_NONE, S_NONE,  A_VALID, E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(GETFRAME,  k, P_NONE, S_NONE,  A_VALID, E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(TERMINATE, k, P_NONE, S_NONE,  A_NONE,  E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(QUERY,     k, P_NONE, S_NONE,  A_VALID, E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(STATUS,    k, P_NONE, S_NONE,  A_VALID, E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(DESTROY,   k, P_NONE, S_NONE,  A_NULL,  E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(DESTROY,   k, P_NONE, S_NONE,  A_VALID, E_GIVEN, INVALID_KEY, INVALID_KEY),         \
    ROW(DESTROY,   k, P_NONE, S_NONE,  A_CB_ZERO, E_GIVEN, INVALID_KEY, INVALID_KEY)

/* Every call that takes a block, on key A, with a pointer that is not a live block of A. */
#define BAD_POINTER_ROWS(p)                                                                 \
    ROW(REALLOC, K_A, p, S_SMALL, A_NONE, E_GIVEN, R_NULL, INVALID_PARAM),                  \
    ROW(REALLOC, K_A, p, S_SMALL, A_NONE, E_NULL,  R_NULL, INVALID_PARAM),                  \
    ROW(FREE,    K_A, p, S_NONE,  A_NONE, E_GIVEN, INVALID_PARAM, INVALID_PARAM),           \
    ROW(SIZE,    K_A, p, S_NONE,  A_NONE, E_GIVEN, R_SIZE_FAILED, 0)

/* Sizes nothing can satisfy, on the limited key A and the unlimited key U, new or resized. */
#define BAD_SIZE_ROWS(s)                                                                    \
    ROW(ALLOC,   K_A, P_NONE, s, A_NONE, E_GIVEN, R_NULL, OOM),                             \
    ROW(ALLOC,   K_U, P_NONE, s, A_NONE, E_NULL,  R_NULL, OOM),                             \
    ROW(REALLOC, K_A, P_LIVE, s, A_NONE, E_GIVEN, R_NULL, OOM),                             \
    ROW(REALLOC, K_U, P_LIVE, s, A_NONE, E_GIVEN, R_NULL, OOM),                             \
    ROW(REALLOC, K_A, P_NULL, s, A_NONE, E_NULL,  R_NULL, OOM)

static const struct row rows[] = {
    BAD_KEY_ROWS(K_NULL), BAD_KEY_ROWS(K_ONE), BAD_KEY_ROWS(K_SMALL), BAD_KEY_ROWS(K_WORD),
    BAD_KEY_ROWS(K_ALL_ONES), BAD_KEY_ROWS(K_RANDOM_1), BAD_KEY_ROWS(K_RANDOM_2),
    BAD_KEY_ROWS(K_RANDOM_3), BAD_KEY_ROWS(K_STACK), BAD_KEY_ROWS(K_STATIC),
    BAD_KEY_ROWS(K_BLOCK), BAD_KEY_ROWS(K_CODE), BAD_KEY_ROWS(K_NO_TAG),
    BAD_KEY_ROWS(K_TAG_ONLY), BAD_KEY_ROWS(K_STAMP_ZERO), BAD_KEY_ROWS(K_STAMP_PLUS_1),
    BAD_KEY_ROWS(K_STAMP_MINUS_1), BAD_KEY_ROWS(K_STAMP_TOP_FLIPPED), BAD_KEY_ROWS(K_UNUSED_SLOT),
    BAD_KEY_ROWS(K_DESTROYED), BAD_KEY_ROWS(K_REUSED_SLOT),

    BAD_POINTER_ROWS(P_OTHER_KEYS), BAD_POINTER_ROWS(P_FREED), BAD_POINTER_ROWS(P_INTERIOR),
    BAD_POINTER_ROWS(P_MISALIGNED), BAD_POINTER_ROWS(P_BEFORE_BLOCK),
    BAD_POINTER_ROWS(P_PAST_BLOCK), BAD_POINTER_ROWS(P_STACK), BAD_POINTER_ROWS(P_STATIC),
    BAD_POINTER_ROWS(P_CODE), BAD_POINTER_ROWS(P_UNMAPPED_LOW),
    BAD_POINTER_ROWS(P_UNMAPPED_REGION), BAD_POINTER_ROWS(P_HIGH),
    BAD_POINTER_ROWS(P_ALL_ONES), BAD_POINTER_ROWS(P_HEAP_HANDLE),
    BAD_POINTER_ROWS(P_KEY_VALUE),
    /* The documented NULL cases that are not errors. */
    ROW(FREE, K_A, P_NULL, S_NONE, A_NONE, E_GIVEN, NMERR_SUCCESS, NMERR_SUCCESS),
    ROW(SIZE, K_A, P_NULL, S_NONE, A_NONE, E_GIVEN, R_SIZE_FAILED, 0),

    BAD_SIZE_ROWS(S_MAX), BAD_SIZE_ROWS(S_MAX_MINUS_1), BAD_SIZE_ROWS(S_MAX_MINUS_15),
    BAD_SIZE_ROWS(S_MAX_MINUS_4K), BAD_SIZE_ROWS(S_MAX_MINUS_64K), BAD_SIZE_ROWS(S_HALF),
    BAD_SIZE_ROWS(S_HALF_MINUS_64K),
    ROW(ALLOC,   K_A, P_NONE, S_LIMIT_PLUS_1, A_NONE, E_GIVEN, R_NULL, OOM),
    ROW(ALLOC,   K_A, P_NONE, S_LIMIT_PLUS_1, A_NONE, E_NULL,  R_NULL, OOM),
    ROW(REALLOC, K_A, P_LIVE, S_LIMIT_PLUS_1, A_NONE, E_GIVEN, R_NULL, OOM),
    ROW(REALLOC, K_A, P_NULL, S_LIMIT_PLUS_1, A_NONE, E_GIVEN, R_NULL, OOM),

    /* A terminated key: allocating and reporting calls refuse. */
    ROW(ALLOC,    K_T, P_NONE, S_SMALL, A_NONE,  E_GIVEN, R_NULL, TERMINATED),
    ROW(ALLOC,    K_T, P_NONE, S_MAX,   A_NONE,  E_GIVEN, R_NULL, TERMINATED),
    ROW(REALLOC,  K_T, P_LIVE, S_SMALL, A_NONE,  E_GIVEN, R_NULL, TERMINATED),
    ROW(REALLOC,  K_T, P_NULL, S_SMALL, A_NONE,  E_NULL,  R_NULL, TERMINATED),
    ROW(REALLOC,  K_T, P_OTHER_KEYS, S_SMALL, A_NONE, E_GIVEN, R_NULL, TERMINATED),
    ROW(INDICATE, K_T, P_NONE, S_NONE,  A_VALID, E_GIVEN, TERMINATED, TERMINATED),
    ROW(INDICATE, K_T, P_NONE, S_NONE,  A_NULL,  E_GIVEN, TERMINATED, TERMINATED),
    ROW(STARTUP,  K_T, P_NONE, S_NONE,  A_VALID, E_GIVEN, TERMINATED, TERMINATED),
    ROW(STARTUP,  K_T, P_NONE, S_NONE,  A_NULL,  E_GIVEN, TERMINATED, TERMINATED),
    ROW(SUBMIT,   K_T, P_NONE, S_NONE,  A_VALID, E_GIVEN, TERMINATED, TERMINATED),
    ROW(GETFRAME, K_T, P_NONE, S_NONE,  A_VALID, E_GIVEN, TERMINATED, TERMINATED),
    ROW(FREE,     K_T, P_OTHER_KEYS, S_NONE, A_NONE, E_GIVEN, INVALID_PARAM, INVALID_PARAM),

    /* NULL and absent host callbacks for the expert's pointer arguments. */
    ROW(STARTUP,  K_A, P_NONE, S_NONE, A_NULL,  E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(SUBMIT,   K_A, P_NONE, S_NONE, A_NULL,  E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(SUBMIT,   K_A, P_NONE, S_NONE, A_VALID, E_GIVEN, NMERR_NOT_SUPPORTED, NMERR_NOT_SUPPORTED),
    ROW(GETFRAME, K_A, P_NONE, S_NONE, A_NULL,  E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(GETFRAME, K_A, P_NONE, S_NONE, A_VALID, E_GIVEN, NMERR_NOT_SUPPORTED, NMERR_NOT_SUPPORTED),

    /* Host structures: NULL, wrong cbSize, unknown flags. */
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_OUT_NULL,    E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_CB_ZERO,     E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_CB_MINUS_1,  E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_CB_PLUS_1,   E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_CB_HALF,     E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_CB_ALL_ONES, E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_FLAGS_UNKNOWN,     E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_FLAGS_HIGH,  E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(CREATE, K_NULL, P_NONE, S_NONE, A_NULL,        E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(QUERY,  K_A,    P_NONE, S_NONE, A_NULL,        E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(QUERY,  K_A,    P_NONE, S_NONE, A_CB_ZERO,     E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(QUERY,  K_A,    P_NONE, S_NONE, A_CB_MINUS_1,  E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(QUERY,  K_A,    P_NONE, S_NONE, A_CB_PLUS_1,   E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(QUERY,  K_A,    P_NONE, S_NONE, A_CB_ALL_ONES, E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(QUERY,  K_T,    P_NONE, S_NONE, A_CB_HALF,     E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(STATUS, K_A,    P_NONE, S_NONE, A_NULL,        E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(STATUS, K_T,    P_NONE, S_NONE, A_NULL,        E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(DESTROY, K_A,   P_NONE, S_NONE, A_CB_ZERO,     E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(DESTROY, K_A,   P_NONE, S_NONE, A_CB_MINUS_1,  E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(DESTROY, K_A,   P_NONE, S_NONE, A_CB_PLUS_1,   E_GIVEN, INVALID_PARAM, INVALID_PARAM),
    ROW(DESTROY, K_T,   P_NONE, S_NONE, A_CB_ALL_ONES, E_GIVEN, INVALID_PARAM, INVALID_PARAM),
};
#define ROW_COUNT (sizeof rows / sizeof rows[0])

/* --- the world ------------------------------------------------------------------------------ */
struct stamped_block { unsigned char *p; SIZE_T size; unsigned char stamp; };

struct world_key {
    HEXPERTKEY key;
    struct stamped_block blocks[A_BLOCKS];
    int block_count;
    EXPERTHOSTMEMORYSTATS stats;   /* as the last row left it */
    EXPERTSTATUS status;
};

enum { WA, WU, WB, WT, WR, WORLD_KEYS };

static struct world {
    struct world_key keys[WORLD_KEYS];
    HEXPERTKEY destroyed;         /* its slot waits in the reuse quarantine */
    HEXPERTKEY reused_slot_key;   /* destroyed; its slot now belongs to R */
    void *freed;              /* a block A freed */
    void *unmapped_region;    /* reserved and released again */
    DWORD heaps;
} w;

static char static_byte;
static void *stack_address;   /* a local of main(), live for the whole run */

static SIZE_T index_bits(void) { return sizeof(void *) == 8 ? 20 : 16; }
static uintptr_t key_tag(void) { return (uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1); }

static void add_block(struct world_key *k, SIZE_T size, unsigned char stamp)
{
    struct stamped_block *b = &k->blocks[k->block_count++];
    b->p = ExpertAllocMemory(k->key, size, NULL);
    assert_non_null(b->p);
    b->size = size;
    b->stamp = stamp;
    fill(b->p, stamp, size);
}

/* A key whose slot is the destroyed key's: keys are created and destroyed until the slot
 * comes back out of the reuse quarantine. */
static HEXPERTKEY key_in_slot_of(HEXPERTKEY destroyed)
{
    uintptr_t index_mask = ((uintptr_t)1 << index_bits()) - 1;
    for (int attempt = 0; attempt < 4096; attempt++) {
        HEXPERTKEY k;
        assert_int_equal(ExpertHostCreateKey(NULL, &k), NMERR_SUCCESS);
        if (((uintptr_t)k & index_mask) == ((uintptr_t)destroyed & index_mask))
            return k;
        assert_int_equal(ExpertHostDestroyKey(k, NULL), NMERR_SUCCESS);
    }
    fail_msg("the destroyed key's slot never came back");
    return NULL;
}

static int world_setup(void **state)
{
    (void)state;
    memset(&w, 0, sizeof w);
    w.keys[WA].key = create_key_with_limit(LIMIT);
    for (int i = 0; i < A_BLOCKS; i++)
        add_block(&w.keys[WA], (SIZE_T)i * 700 + (i == 0 ? 0 : 13), (unsigned char)(0xA0 + i));
    w.freed = ExpertAllocMemory(w.keys[WA].key, 256, NULL);
    assert_int_equal(ExpertFreeMemory(w.keys[WA].key, w.freed), NMERR_SUCCESS);
    ExpertIndicateStatus(w.keys[WA].key, EXPERTSTATUS_RUNNING, 7, "world", 42);

    w.keys[WU].key = create_key_with_limit(0);
    add_block(&w.keys[WU], 300, 0x55);
    w.keys[WB].key = create_key_with_limit(0);
    add_block(&w.keys[WB], 64, 0xB0);
    w.keys[WT].key = create_key_with_limit(0);
    add_block(&w.keys[WT], 32, 0x7E);
    assert_int_equal(ExpertHostTerminate(w.keys[WT].key), NMERR_SUCCESS);

    w.reused_slot_key = destroyed_key();
    w.keys[WR].key = key_in_slot_of(w.reused_slot_key);
    add_block(&w.keys[WR], 48, 0x3C);
    w.destroyed = destroyed_key();

    w.unmapped_region = VirtualAlloc(NULL, 65536, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(w.unmapped_region);
    assert_true(VirtualFree(w.unmapped_region, 0, MEM_RELEASE));

    for (int i = 0; i < WORLD_KEYS; i++) {
        w.keys[i].stats = query(w.keys[i].key);
        assert_int_equal(ExpertHostGetStatus(w.keys[i].key, &w.keys[i].status), NMERR_SUCCESS);
    }
    w.heaps = GetProcessHeaps(0, NULL);
    return 0;
}

static int world_teardown(void **state)
{
    (void)state;
    for (int i = 0; i < WORLD_KEYS; i++)
        ExpertHostDestroyKey(w.keys[i].key, NULL);
    return 0;
}

/* A fixed-seed pseudo-random key value (64-bit LCG, truncated on i686). */
static uintptr_t forged_random(unsigned n)
{
    unsigned long long x = 0x243F6A8885A308D3ull;
    for (unsigned i = 0; i <= n; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (uintptr_t)(x >> 7);
}

static HEXPERTKEY key_for(enum key_arg k)
{
    uintptr_t a = (uintptr_t)w.keys[WA].key, tag = key_tag();
    uintptr_t index_mask = ((uintptr_t)1 << index_bits()) - 1;
    uintptr_t stamp_one = (uintptr_t)1 << index_bits();
    switch (k) {
    case K_A:          return w.keys[WA].key;
    case K_U:          return w.keys[WU].key;
    case K_T:          return w.keys[WT].key;
    case K_NULL:       return NULL;
    case K_ONE:        return (HEXPERTKEY)(uintptr_t)1;
    case K_SMALL:      return (HEXPERTKEY)(uintptr_t)0x10;
    case K_WORD:       return (HEXPERTKEY)(uintptr_t)0xFFFF;
    case K_ALL_ONES:   return (HEXPERTKEY)~(uintptr_t)0;
    case K_RANDOM_1:   return (HEXPERTKEY)forged_random(1);
    case K_RANDOM_2:   return (HEXPERTKEY)(forged_random(2) | tag);
    case K_RANDOM_3:   return (HEXPERTKEY)(forged_random(3) | tag);
    case K_STACK:      return (HEXPERTKEY)stack_address;
    case K_STATIC:     return (HEXPERTKEY)&static_byte;
    case K_BLOCK:      return (HEXPERTKEY)w.keys[WA].blocks[1].p;
    case K_CODE:       return (HEXPERTKEY)(uintptr_t)&ExpertAllocMemory;
    case K_NO_TAG:     return (HEXPERTKEY)(a & ~tag);
    case K_TAG_ONLY:   return (HEXPERTKEY)tag;
    case K_STAMP_ZERO:   return (HEXPERTKEY)(tag | (a & index_mask));
    case K_STAMP_PLUS_1:   return (HEXPERTKEY)(a + stamp_one);
    case K_STAMP_MINUS_1:   return (HEXPERTKEY)(a - stamp_one);
    case K_STAMP_TOP_FLIPPED: return (HEXPERTKEY)(a ^ (tag >> 1));
    case K_UNUSED_SLOT: return (HEXPERTKEY)((a & ~index_mask) | (index_mask - 1));
    case K_DESTROYED:  return w.destroyed;
    case K_REUSED_SLOT: return w.reused_slot_key;   /* its slot now belongs to R */
    }
    return NULL;
}

/* A block of the key the row names, for P_LIVE: the first non-empty one. */
static unsigned char *live_block_of(enum key_arg k)
{
    struct world_key *wk = &w.keys[k == K_U ? WU : k == K_T ? WT : WA];
    return wk->blocks[1 % wk->block_count].p;
}

static void *pointer_for(enum ptr_arg p, enum key_arg k)
{
    unsigned char *live = live_block_of(k);
    switch (p) {
    case P_NONE:
    case P_NULL:           return NULL;
    case P_LIVE:           return live;
    case P_OTHER_KEYS:     return w.keys[WB].blocks[0].p;
    case P_FREED:          return w.freed;
    case P_INTERIOR:       return live + 16;
    case P_MISALIGNED:     return live + 1;
    case P_BEFORE_BLOCK:   return live - MEMORY_ALLOCATION_ALIGNMENT;
    case P_PAST_BLOCK:     return live + w.keys[WA].blocks[1].size;
    case P_STACK:          return stack_address;
    case P_STATIC:         return &static_byte;
    case P_CODE:           return (void *)(uintptr_t)&ExpertFreeMemory;
    case P_UNMAPPED_LOW:   return (void *)(uintptr_t)0x10;
    case P_UNMAPPED_REGION: return w.unmapped_region;
    case P_HIGH:           return (void *)(uintptr_t)0xdead0000u;
    case P_ALL_ONES:       return (void *)~(uintptr_t)0;
    case P_HEAP_HANDLE:    return GetProcessHeap();
    case P_KEY_VALUE:      return (void *)w.keys[WA].key;
    }
    return NULL;
}

static SIZE_T size_for(enum size_arg s, enum key_arg k, enum ptr_arg p)
{
    const SIZE_T max = (SIZE_T)-1;
    switch (s) {
    case S_NONE:
    case S_SMALL:          return 24;
    case S_MAX:            return max;
    case S_MAX_MINUS_1:    return max - 1;
    case S_MAX_MINUS_15:   return max - 15;
    case S_MAX_MINUS_4K:   return max - 4095;
    case S_MAX_MINUS_64K:  return max - 65535;
    case S_HALF:           return max / 2;
    case S_HALF_MINUS_64K: return max / 2 - 65536;   /* below the DLL's bound: the heap refuses */
    case S_LIMIT_PLUS_1: {
        /* One byte more than the limit leaves room for, counting a resized block's bytes. */
        SIZE_T room = LIMIT - w.keys[WA].stats.LiveBytes;
        if (p == P_LIVE)
            room += ExpertMemorySize(key_for(k), pointer_for(p, k));
        return room + 1;
    }
    }
    return 0;
}

/* --- running a row ------------------------------------------------------------------------- */
#define SENTINEL 0xA5

static void assert_untouched(const void *p, size_t n, size_t from)
{
    const unsigned char *b = p;
    for (size_t i = from; i < n; i++)
        if (b[i] != SENTINEL)
            fail_msg("byte %lu of an output argument was written", (unsigned long)i);
}

static DWORD cb_size_for(enum struct_arg a, DWORD right)
{
    switch (a) {
    case A_CB_ZERO:     return 0;
    case A_CB_MINUS_1:  return right - 1;
    case A_CB_PLUS_1:   return right + 1;
    case A_CB_HALF:     return right / 2;
    case A_CB_ALL_ONES: return 0xFFFFFFFFu;
    default:            return right;
    }
}

/* Runs the row; returns what the call returned, and its error in *error. */
static uintptr_t run_row(const struct row *r, DWORD *error)
{
    HEXPERTKEY key = key_for(r->key);
    void *ptr = pointer_for(r->ptr, r->key);
    SIZE_T size = size_for(r->size, r->key, r->ptr);
    DWORD err = POISON_ERROR, *perror = r->perror == E_GIVEN ? &err : NULL;
    union {
        EXPERTHOSTKEYINFO info;
        EXPERTHOSTMEMORYSTATS stats;
        EXPERTSTATUS status;
        EXPERTSTARTUPINFO startup;
        NMEVENTDATA event;
        EXPERTFRAMEDESCRIPTOR frame;
        unsigned char bytes[1024];
    } out;
    memset(&out, SENTINEL, sizeof out);
    void *arg = r->arg == A_NULL ? NULL : &out;
    uintptr_t ret;

    /* Misuse on purpose: through pointers, so the compiler lets the test say what it means. */
    PFN_ExpertAllocMemory alloc_fn = ExpertAllocMemory;
    PFN_ExpertReallocMemory realloc_fn = ExpertReallocMemory;
    PFN_ExpertFreeMemory free_fn = ExpertFreeMemory;
    PFN_ExpertMemorySize size_fn = ExpertMemorySize;

    switch (r->call) {
    case CALL_ALLOC:    ret = (uintptr_t)alloc_fn(key, size, perror); break;
    case CALL_REALLOC:  ret = (uintptr_t)realloc_fn(key, ptr, size, perror); break;
    case CALL_FREE:     ret = err = free_fn(key, ptr); break;
    case CALL_SIZE:     ret = size_fn(key, ptr); err = 0; break;
    case CALL_INDICATE: ret = err = ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 1,
                                                    arg ? "bad input" : NULL, 50); break;
    case CALL_STARTUP:  ret = err = ExpertGetStartupInfo(key, arg); break;
    case CALL_SUBMIT:   ret = err = ExpertSubmitEvent(key, arg); break;
    case CALL_GETFRAME: ret = err = ExpertGetFrame(key, 0, 0, 0, NULL, arg); break;
    case CALL_CREATE: {
        HEXPERTKEY created = (HEXPERTKEY)(uintptr_t)0x5EED;
        if (arg) {
            memset(&out.info, 0, sizeof out.info);
            out.info.cbSize = cb_size_for(r->arg, sizeof out.info);
            out.info.Flags = r->arg == A_FLAGS_UNKNOWN ? 2 : r->arg == A_FLAGS_HIGH ? 0x80000000u : 0;
        }
        /* A_NULL: no info (defaults) and nowhere to put the key. */
        int no_out = r->arg == A_OUT_NULL || r->arg == A_NULL;
        ret = err = ExpertHostCreateKey(arg, no_out ? NULL : &created);
        if (err == NMERR_SUCCESS)
            ExpertHostDestroyKey(created, NULL);
        else
            assert_ptr_equal(created, (HEXPERTKEY)(uintptr_t)0x5EED);
        break;
    }
    case CALL_TERMINATE: ret = err = ExpertHostTerminate(key); break;
    case CALL_QUERY:
        out.stats.cbSize = cb_size_for(r->arg, sizeof out.stats);
        ret = err = ExpertHostQueryMemory(key, arg);
        if (err != NMERR_SUCCESS)
            assert_untouched(&out, sizeof out, sizeof out.stats.cbSize);
        break;
    case CALL_STATUS:
        ret = err = ExpertHostGetStatus(key, arg);
        if (err != NMERR_SUCCESS)
            assert_untouched(&out, sizeof out, 0);
        break;
    case CALL_DESTROY:
        out.stats.cbSize = cb_size_for(r->arg, sizeof out.stats);
        ret = err = ExpertHostDestroyKey(key, arg);
        if (err != NMERR_SUCCESS)
            assert_untouched(&out, sizeof out, sizeof out.stats.cbSize);
        break;
    default:
        fail_msg("row with an unknown call");
        return 0;
    }
    if (r->call == CALL_STARTUP && err != NMERR_SUCCESS)
        assert_untouched(&out, sizeof out, 0);
    /* An allocating call without pError has no error to see; the return value still counts. */
    *error = (r->call == CALL_ALLOC || r->call == CALL_REALLOC) && !perror ? r->error : err;
    return ret;
}

/* Nothing changed: every key's figures (but the one refusal a row may add), blocks, status. */
static void assert_world_unchanged(const struct row *r)
{
    int refused_on = -1;
    if (r->error == NMERR_OUT_OF_MEMORY)
        refused_on = r->key == K_U ? WU : WA;
    for (int i = 0; i < WORLD_KEYS; i++) {
        struct world_key *k = &w.keys[i];
        if (i == refused_on)
            k->stats.FailedAllocations++;
        EXPERTHOSTMEMORYSTATS now = query(k->key);
        assert_stats_equal(&now, &k->stats);
        for (int b = 0; b < k->block_count; b++) {
            assert_int_equal(ExpertMemorySize(k->key, k->blocks[b].p), k->blocks[b].size);
            assert_filled(k->blocks[b].p, k->blocks[b].stamp, k->blocks[b].size);
        }
        EXPERTSTATUS status;
        assert_int_equal(ExpertHostGetStatus(k->key, &status), NMERR_SUCCESS);
        assert_memory_equal(&status, &k->status, sizeof status);
    }
    assert_int_equal(GetProcessHeaps(0, NULL), w.heaps);
}

static void test_row(void **state)
{
    const struct row *r = *state;
    DWORD error;
    uintptr_t ret = run_row(r, &error);
    assert_int_equal(ret, r->ret);
    assert_int_equal(error, r->error);
    assert_world_unchanged(r);
}

int main(void)
{
    int local;
    stack_address = &local;
    static struct CMUnitTest tests[ROW_COUNT];
    for (size_t i = 0; i < ROW_COUNT; i++) {
        tests[i].name = rows[i].name;
        tests[i].test_func = test_row;
        tests[i].initial_state = (void *)&rows[i];
    }
    print_message("bad-input matrix: %u rows\n", (unsigned)ROW_COUNT);
    return _cmocka_run_group_tests("bad_input_matrix", tests, ROW_COUNT, world_setup, world_teardown);
}
