/* registry.c - see registry.h for the key encoding, the slot invariants and the locking. */
#include "registry.h"

#if UINTPTR_MAX > 0xFFFFFFFFu
#define KEY_INDEX_BITS 20
#define KEY_GEN_BITS 30
#else
#define KEY_INDEX_BITS 16
#define KEY_GEN_BITS 15
#endif
#define KEY_TAG ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))
#define KEY_INDEX_MASK (((uintptr_t)1 << KEY_INDEX_BITS) - 1)
#define KEY_GEN_MAX ((int32_t)(((uintptr_t)1 << KEY_GEN_BITS) - 1))
#define MAX_SLOTS ((uint32_t)KEY_INDEX_MASK)   /* the all-ones index is never used */

#define CHUNK_BITS 10
#define CHUNK_SLOTS ((uint32_t)1 << CHUNK_BITS)
#define CHUNK_COUNT ((MAX_SLOTS + CHUNK_SLOTS - 1) / CHUNK_SLOTS)

#define RUNDOWN_CLOSED 1
#define RUNDOWN_REF 2
#define QUARANTINE 64
#define NO_SLOT UINT32_MAX

#define CACHE_LINE 64

static struct expert_key *volatile chunks[CHUNK_COUNT];
_Static_assert((KEY_INDEX_MASK >> CHUNK_BITS) < CHUNK_COUNT, "every key index maps into chunks");

/* Guards the free list, slots_used and chunk creation; taken by create and destroy only. */
static plat_lock registry_lock = PLAT_LOCK_INIT;
static uint32_t slots_used;        /* slots ever handed out: 0..slots_used-1 exist */
static uint32_t free_head = NO_SLOT, free_tail = NO_SLOT, free_count;

static uintptr_t encode(uint32_t index, int32_t generation)
{
    return KEY_TAG | ((uintptr_t)generation << KEY_INDEX_BITS) | index;
}

static struct expert_key *slot_at(uint32_t index)
{
    struct expert_key *chunk = plat_load_ptr((void *volatile *)&chunks[index >> CHUNK_BITS]);
    return chunk ? &chunk[index & (CHUNK_SLOTS - 1)] : NULL;
}

/* The slot a key names, when that slot's generation is the key's; NULL otherwise. A slot's
 * generation is 0 (never used) or in [1, KEY_GEN_MAX], so comparing it in full with the
 * key's generation bits is all the range checking a key needs beyond its tag: every index
 * the mask lets through lies inside `chunks`. */
static struct expert_key *decode(uintptr_t key, int32_t *generation)
{
    uintptr_t gen = (key & ~KEY_TAG) >> KEY_INDEX_BITS;
    if (!(key & KEY_TAG) || gen == 0)
        return NULL;
    struct expert_key *k = slot_at((uint32_t)(key & KEY_INDEX_MASK));
    if (!k || (uintptr_t)(uint32_t)plat_load(&k->generation) != gen)
        return NULL;
    *generation = (int32_t)gen;
    return k;
}

struct expert_key *registry_acquire(uintptr_t key)
{
    int32_t generation;
    struct expert_key *k = decode(key, &generation);
    if (!k)
        return NULL;
    for (;;) {
        int32_t v = plat_load(&k->rundown);
        if (v & RUNDOWN_CLOSED)
            return NULL;
        if (plat_cas(&k->rundown, v + RUNDOWN_REF, v) == v)
            break;
    }
    /* The slot may have been destroyed and reopened between the two looks: the reference just
     * taken pins whichever incarnation is there now, so check it is still the key's. */
    if (plat_load(&k->generation) != generation) {
        registry_release(k);
        return NULL;
    }
    return k;
}

struct expert_key *registry_enter(uintptr_t key)
{
    int32_t generation;
    struct expert_key *k = decode(key, &generation);
    if (!k || !gate_enter(&k->gate))
        return NULL;
    /* Holding the gate pins whichever incarnation of the slot is open now: check it is the
     * key's, and that no destroy has begun. */
    if (plat_load(&k->generation) != generation || (plat_load(&k->rundown) & RUNDOWN_CLOSED)) {
        gate_leave(&k->gate);
        return NULL;
    }
    return k;
}

void registry_release(struct expert_key *k)
{
    plat_add(&k->rundown, -RUNDOWN_REF);
}

enum registry_status registry_terminate(uintptr_t key)
{
    struct expert_key *k = registry_acquire(key);
    if (!k)
        return REGISTRY_INVALID_KEY;
    plat_store(&k->terminated, 1);
    registry_release(k);
    return REGISTRY_OK;
}

/* Under registry_lock: can slot number slots_used be handed out (its chunk exists or can be
 * made)? Makes the chunk when needed. */
static int fresh_slot_available(void)
{
    if (slots_used == MAX_SLOTS)
        return 0;
    uint32_t chunk_index = slots_used >> CHUNK_BITS;
    if (chunks[chunk_index])
        return 1;
    /* Aligned to a cache line by hand (the process heap aligns to 8 or 16); never freed. */
    char *memory = plat_zalloc(CHUNK_SLOTS * sizeof(struct expert_key) + CACHE_LINE);
    if (!memory)
        return 0;
    struct expert_key *chunk =
        (struct expert_key *)(((uintptr_t)memory + CACHE_LINE - 1) & ~(uintptr_t)(CACHE_LINE - 1));
    for (uint32_t i = 0; i < CHUNK_SLOTS; i++) {
        chunk[i].rundown = RUNDOWN_CLOSED;
        chunk[i].gate = GATE_CLOSED;
    }
    plat_store_ptr((void *volatile *)&chunks[chunk_index], chunk);
    return 1;
}

/* Under registry_lock: a closed, unreferenced slot to open, or NO_SLOT. Freed slots wait out
 * the quarantine unless no fresh slot can be had. */
static uint32_t take_slot(void)
{
    if (free_count > QUARANTINE || (free_count && !fresh_slot_available())) {
        uint32_t index = free_head;
        free_head = slot_at(index)->next_free;
        if (--free_count == 0)
            free_tail = NO_SLOT;
        return index;
    }
    return fresh_slot_available() ? slots_used++ : NO_SLOT;
}

/* Under registry_lock: append a closed slot to the free list. */
static void put_slot(uint32_t index)
{
    slot_at(index)->next_free = NO_SLOT;
    if (free_tail == NO_SLOT)
        free_head = index;
    else
        slot_at(free_tail)->next_free = index;
    free_tail = index;
    free_count++;
}

enum registry_status registry_create(size_t limit, int check_corruption, void *session,
                                     uintptr_t *key)
{
    plat_lock_acquire(&registry_lock);
    uint32_t index = take_slot();
    plat_lock_release(&registry_lock);
    if (index == NO_SLOT)
        return REGISTRY_NO_MEMORY;

    struct expert_key *k = slot_at(index);
    if (keyheap_init(&k->heap, limit, check_corruption) != KEYHEAP_OK) {
        plat_lock_acquire(&registry_lock);
        put_slot(index);
        plat_lock_release(&registry_lock);
        return REGISTRY_NO_MEMORY;
    }
    k->session = session;
    plat_store(&k->terminated, 0);
    int32_t generation = plat_load(&k->generation);
    if (generation == 0) {              /* a slot never used before */
        generation = 1;
        plat_store(&k->generation, generation);
    }
    /* Open: clear the closed bit, keeping the transient references of stale lookups. */
    plat_add(&k->rundown, -RUNDOWN_CLOSED);
    gate_open(&k->gate);
    *key = encode(index, generation);
    return REGISTRY_OK;
}

enum registry_status registry_destroy(uintptr_t key, struct keyheap_stats *reclaimed,
                                      void **session)
{
    struct expert_key *k = registry_acquire(key);
    if (!k)
        return REGISTRY_INVALID_KEY;
    for (;;) {
        int32_t v = plat_load(&k->rundown);
        if (v & RUNDOWN_CLOSED) {       /* another thread is destroying it */
            registry_release(k);
            return REGISTRY_INVALID_KEY;
        }
        if (plat_cas(&k->rundown, v | RUNDOWN_CLOSED, v) == v)
            break;
    }
    /* Closed: no new reference can be taken. Wait for the calls inside to leave. */
    for (unsigned attempt = 0; plat_load(&k->rundown) != RUNDOWN_CLOSED + RUNDOWN_REF; attempt++)
        plat_backoff(attempt);
    gate_close(&k->gate);               /* and for the allocating call inside, if any */

    keyheap_destroy(&k->heap, reclaimed);
    *session = k->session;
    k->session = NULL;
    int32_t generation = plat_load(&k->generation);
    plat_store(&k->generation, generation == KEY_GEN_MAX ? 1 : generation + 1);
    registry_release(k);                /* stays closed until reused */

    uint32_t index = (uint32_t)(key & KEY_INDEX_MASK);
    plat_lock_acquire(&registry_lock);
    put_slot(index);
    plat_lock_release(&registry_lock);
    return REGISTRY_OK;
}
