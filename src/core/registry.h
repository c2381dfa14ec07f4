/*
 * registry.h - the table of keys: one slot per key, generations, rundown protection.
 *
 * A key value encodes a slot index and the slot's generation under a tag bit that makes it a
 * kernel-space (i686) or non-canonical (x86_64) address, so it is never dereferenceable:
 *   i686:   bit 31 | generation (15 bits) << 16 | index (16 bits)
 *   x86_64: bit 63 | generation (30 bits) << 20 | index (20 bits)
 * A key is live while its slot's generation matches and the slot is open. Lookup is one
 * division of the index into a chunk and an offset: the same cost with 1 or 100,000 keys.
 *
 * Slot fields and who guards them:
 *   gate        the key's lock and its liveness on the allocation path (gate.h): closed while
 *               the slot is free; an allocating call holds it from the key check to its return.
 *   rundown     atomic. Bit 0 = closed (free slot, or being destroyed); the rest counts
 *               references * 2. A reference is taken by registry_acquire, only while open;
 *               calls that reach host callbacks or the session use it, not the gate.
 *   generation  written only while the slot is closed and unreferenced (destroy, create).
 *   terminated  atomic flag, set by registry_terminate, cleared by create.
 *   session     written by create/destroy; stable while a reference or the gate is held.
 *   heap        the gate; destroyed only once the gate is closed and no reference is left.
 *   next_free   the registry lock.
 * An allocating call costs one compare-exchange (entering the gate) and one plain store
 * (leaving it): it reads the generation before and after entering, and the rundown's closed
 * bit, so a destroyed, reused or half-destroyed key is refused like a dead one. Each slot
 * fills whole cache lines, so calls on different keys never write to a shared line.
 * Slots are allocated in chunks that are never freed, so a stale key's slot is always
 * readable. A freed slot is reused only after QUARANTINE others were freed after it, which
 * spreads generations: a stale key could alias a new one only after 2^15 (i686) or 2^30
 * (x86_64) generations of one slot, i.e. 2^21 or 2^36 key creations.
 */
#ifndef NMAPI_REGISTRY_H
#define NMAPI_REGISTRY_H

#include <stdint.h>

#include "gate.h"
#include "keyheap.h"
#include "platform.h"

struct expert_key {
    int32_t volatile gate;
    int32_t volatile rundown;
    int32_t volatile generation;
    int32_t volatile terminated;
    uint32_t next_free;
    void *session;
    struct keyheap heap;
} __attribute__((aligned(64)));

enum registry_status {
    REGISTRY_OK,
    REGISTRY_INVALID_KEY,
    REGISTRY_NO_MEMORY,
};

/* A new live key with a private heap of `limit` bytes (0 = none), with corruption checks
 * (guard.h) when `check_corruption`, carrying `session`. */
enum registry_status registry_create(size_t limit, int check_corruption, void *session,
                                     uintptr_t *key);

/* The key's slot with a reference held, or NULL when the key is not live. Pair with
 * registry_release. Never blocks. */
struct expert_key *registry_acquire(uintptr_t key);
void registry_release(struct expert_key *k);

/* The key's slot with its gate held, for a call on its allocator, or NULL when the key is not
 * live. Pair with registry_leave. Waits only for another call inside the same key. */
struct expert_key *registry_enter(uintptr_t key);
static inline void registry_leave(struct expert_key *k) { gate_leave(&k->gate); }

static inline int registry_is_terminated(struct expert_key *k) { return plat_load(&k->terminated) != 0; }

/* Marks the key terminated. REGISTRY_OK or REGISTRY_INVALID_KEY. */
enum registry_status registry_terminate(uintptr_t key);

/* Closes the key at once, waits for calls inside it to finish, destroys its heap.
 * *reclaimed (optional) gets the figures just before; *session gets the session pointer
 * back for its owner to free. REGISTRY_INVALID_KEY when not live (or another thread is
 * destroying it). */
enum registry_status registry_destroy(uintptr_t key, struct keyheap_stats *reclaimed,
                                      void **session);

#endif
