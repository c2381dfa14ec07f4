/* registry.c - see registry.h for the key encoding, the slot invariants and the locking. */
#include "registry.h"

#if UINTPTR_MAX > 0xFFFFFFFFu
#define KEY_INDEX_BITS 20
#else
#define KEY_INDEX_BITS 16
#endif
#define KEY_TAG ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))
#define KEY_INDEX_MASK (((uintptr_t)1 << KEY_INDEX_BITS) - 1)
#define KEY_STAMP_MASK ((~KEY_TAG) >> KEY_INDEX_BITS)   /* REGISTRY_STAMP_BITS ones */
_Static_assert(REGISTRY_STAMP_BITS + KEY_INDEX_BITS + 1 == sizeof(uintptr_t) * 8,
               "tag, stamp and index fill a key");
#define MAX_SLOTS ((uint32_t)KEY_INDEX_MASK)   /* the all-ones index is never used */

#define CHUNK_BITS 10
#define CHUNK_SLOTS ((uint32_t)1 << CHUNK_BITS)
#define CHUNK_COUNT ((MAX_SLOTS + CHUNK_SLOTS - 1) / CHUNK_SLOTS)

#define QUARANTINE 64
#define NO_SLOT UINT32_MAX

#define CACHE_LINE 64

static struct expert_key *volatile chunks[CHUNK_COUNT];
_Static_assert((KEY_INDEX_MASK >> CHUNK_BITS) < CHUNK_COUNT, "every key index maps into chunks");

/* Guards the free list, slots_used and chunk creation; taken by create and destroy only. */
static plat_lock registry_lock = PLAT_LOCK_INIT;
static uint32_t slots_used;        /* slots ever handed out: 0..slots_used-1 exist */
static uint32_t free_head = NO_SLOT, free_tail = NO_SLOT, free_count;

static uintptr_t encode(uint32_t index, uintptr_t stamp)
{
    return KEY_TAG | (stamp << KEY_INDEX_BITS) | index;
}

/* A stamp for a slot's next incarnation: 64 bits of a counter mixed with the process's secret
 * (the SplitMix64 finaliser, a bijection, so consecutive counters give unrelated values), cut
 * to the stamp's bits; never 0 (a slot never used) and never the slot's previous stamp. */
static uintptr_t next_stamp(uintptr_t previous)
{
    static int32_t volatile counter;
    for (;;) {
        uint64_t x = plat_secret() + (uint64_t)(uint32_t)plat_add(&counter, 1) *
                                         0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        x ^= x >> 31;
        uintptr_t stamp = (uintptr_t)x & KEY_STAMP_MASK;
        if (stamp != 0 && stamp != previous)
            return stamp;
    }
}

static struct expert_key *slot_at(uint32_t index)
{
    struct expert_key *chunk = plat_load_ptr((void *volatile *)&chunks[index >> CHUNK_BITS]);
    return chunk ? &chunk[index & (CHUNK_SLOTS - 1)] : NULL;
}

static uintptr_t stamp_of(struct expert_key *k)
{
    return (uintptr_t)plat_load_ptr((void *volatile *)&k->stamp);
}

/* The slot a key names, when that slot's stamp is the key's; NULL otherwise. A slot's stamp
 * is 0 (never used) or a nonzero value of KEY_STAMP_MASK, so comparing it in full with the
 * key's stamp bits is all the range checking a key needs beyond its tag: every index the
 * mask lets through lies inside `chunks`. */
static struct expert_key *decode(uintptr_t key, uintptr_t *stamp)
{
    uintptr_t s = (key & ~KEY_TAG) >> KEY_INDEX_BITS;
    if (!(key & KEY_TAG) || s == 0)
        return NULL;
    struct expert_key *k = slot_at((uint32_t)(key & KEY_INDEX_MASK));
    if (!k || stamp_of(k) != s)
        return NULL;
    *stamp = s;
    return k;
}

/* Records the calling thread in a free holder entry of k; waits while all are taken. An
 * entry whose thread ended inside its call (asked now and then, as the gate does) is free:
 * otherwise REGISTRY_HOLDERS terminated threads would make every later call wait for ever. */
static void hold(struct expert_key *k, int32_t self)
{
    for (unsigned attempt = 0;; attempt++) {
        for (unsigned i = 0; i < REGISTRY_HOLDERS; i++) {
            int32_t v = plat_load(&k->holders[i]);
            if (v != 0 && gate_holder_ended(v, attempt))
                v = plat_cas(&k->holders[i], 0, v) == v ? 0 : v;
            if (v == 0 && plat_cas(&k->holders[i], self, 0) == 0)
                return;
        }
        plat_backoff(attempt);
    }
}

struct expert_key *registry_acquire(uintptr_t key)
{
    uintptr_t stamp;
    struct expert_key *k = decode(key, &stamp);
    if (!k || plat_load(&k->closed))
        return NULL;
    hold(k, (int32_t)plat_thread_id());
    /* Entry then flag, while destroy writes the flag then reads the entries (both sequentially
     * consistent): one of the two sees the other. The slot may also have been destroyed and
     * reopened between the looks: the entry pins whichever incarnation is there now, so check
     * it is still the key's. */
    if (plat_load(&k->closed) || stamp_of(k) != stamp) {
        registry_release(k);
        return NULL;
    }
    return k;
}

struct expert_key *registry_enter(uintptr_t key)
{
    uintptr_t stamp;
    struct expert_key *k = decode(key, &stamp);
    if (!k || !gate_enter(&k->gate))
        return NULL;
    /* Holding the gate pins whichever incarnation of the slot is open now: check it is the
     * key's, and that no destroy has begun. */
    if (stamp_of(k) != stamp || plat_load(&k->closed)) {
        gate_leave(&k->gate);
        return NULL;
    }
    return k;
}

void registry_release(struct expert_key *k)
{
    int32_t self = (int32_t)plat_thread_id();
    for (unsigned i = 0; i < REGISTRY_HOLDERS; i++)
        if (plat_load(&k->holders[i]) == self) {
            plat_store(&k->holders[i], 0);
            return;
        }
}

enum registry_status registry_query(uintptr_t key, struct keyheap_stats *out)
{
    struct expert_key *k = registry_enter(key);
    if (k) {
        keyheap_query(&k->heap, out);
        registry_leave(k);
        return REGISTRY_OK;
    }
    /* A sealed gate: nobody changes the figures any more, so read them under a reference. */
    if (!(k = registry_acquire(key)))
        return REGISTRY_INVALID_KEY;
    enum registry_status st = REGISTRY_INVALID_KEY;
    if (plat_load(&k->gate) == GATE_SEALED) {
        keyheap_query(&k->heap, out);
        st = REGISTRY_OK;
    }
    registry_release(k);
    return st;
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
        chunk[i].closed = 1;
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
    uintptr_t stamp = stamp_of(k);
    if (stamp == 0) {                   /* a slot never used before */
        stamp = next_stamp(0);
        plat_store_ptr((void *volatile *)&k->stamp, (void *)stamp);
    }
    /* Open. Holder entries of stale lookups may still be there: they remove themselves. */
    plat_store(&k->closed, 0);
    gate_open(&k->gate);
    *key = encode(index, stamp);
    return REGISTRY_OK;
}

int32_t volatile *registry_claim_touch(struct expert_key *k)
{
    int32_t self = (int32_t)plat_thread_id();
    for (unsigned attempt = 0;; attempt++) {
        for (unsigned i = 0; i < REGISTRY_TOUCHERS; i++) {
            int32_t v = plat_load(&k->touchers[i]);
            /* Entries are claimed only under the gate, and freed by their owner: a plain
             * store of a free one is enough, but a dead owner's is taken back by exchange. */
            if (v == 0 || (gate_holder_ended(v, attempt) && plat_cas(&k->touchers[i], 0, v) == v)) {
                plat_store(&k->touchers[i], self);
                return &k->touchers[i];
            }
        }
        plat_backoff(attempt);
    }
}

/* Waits until no entry of `entries` but the caller's (once, when skip_self) names a running
 * thread, then clears the entries of threads that ended inside. 1 when there were such
 * entries. */
static int wait_for_entries(int32_t volatile *entries, unsigned count, int32_t self, int skip_self)
{
    int abandoned = 0;
    for (unsigned i = 0; i < count; i++) {
        for (unsigned attempt = 0;; attempt++) {
            int32_t v = plat_load(&entries[i]);
            if (v == 0)
                break;
            if (v == self && skip_self) {   /* the caller's own reference */
                skip_self = 0;
                break;
            }
            if (gate_holder_ended(v, attempt) && plat_cas(&entries[i], 0, v) == v) {
                abandoned = 1;
                break;
            }
            plat_backoff(attempt);
        }
    }
    return abandoned;
}

enum registry_status registry_destroy(uintptr_t key, struct keyheap_stats *reclaimed,
                                      void **session)
{
    struct expert_key *k = registry_acquire(key);
    if (!k)
        return REGISTRY_INVALID_KEY;
    if (plat_cas(&k->closed, 1, 0) != 0) {   /* another thread is destroying it */
        registry_release(k);
        return REGISTRY_INVALID_KEY;
    }
    /* Closed: no new reference or allocating call can begin. Wait for the calls inside to
     * leave, or for their threads to have ended. */
    int32_t self = (int32_t)plat_thread_id();
    int abandoned = wait_for_entries(k->holders, REGISTRY_HOLDERS, self, 1);
    if (gate_close(&k->gate) == GATE_CLOSED_ABANDONED)
        abandoned = 1;
    /* The gate closed, no touch can be claimed any more: wait for those under way. A touch
     * cut off changes no record, so it does not make the key abandoned. */
    (void)wait_for_entries(k->touchers, REGISTRY_TOUCHERS, self, 0);

    if (abandoned)
        keyheap_mark_abandoned(&k->heap);
    keyheap_destroy(&k->heap, reclaimed);
    *session = k->session;
    k->session = NULL;
    plat_store_ptr((void *volatile *)&k->stamp, (void *)next_stamp(stamp_of(k)));
    registry_release(k);                /* stays closed until reused */

    uint32_t index = (uint32_t)(key & KEY_INDEX_MASK);
    plat_lock_acquire(&registry_lock);
    put_slot(index);
    plat_lock_release(&registry_lock);
    return REGISTRY_OK;
}
