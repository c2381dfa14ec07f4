/*
 * registry.h - the table of keys: one slot per key, random stamps, holder records.
 *
 * A key value encodes a slot index and the slot's stamp under a tag bit that makes it a
 * kernel-space (i686) or non-canonical (x86_64) address, so it is never dereferenceable:
 *   i686:   bit 31 | stamp (15 bits) << 16 | index (16 bits)
 *   x86_64: bit 63 | stamp (43 bits) << 20 | index (20 bits)
 * A stamp is drawn for every incarnation of a slot from a generator keyed with a per-process
 * secret (plat_secret), so a key says nothing about any other: the next slot's key, or this
 * slot's next one, is a guess among 2^REGISTRY_STAMP_BITS - 1 stamps. A key is live while its
 * slot's stamp matches and the slot is open. Lookup is one division of the index into a chunk
 * and an offset: the same cost with 1 or 100,000 keys.
 *
 * Slot fields and who guards them:
 *   gate        the key's lock and its liveness on the allocation path (gate.h): closed while
 *               the slot is free; an allocating call holds it, under its thread's ID, from
 *               the key check to its return.
 *   closed      atomic flag: a free slot, or one being destroyed. No reference is taken and
 *               no allocating call begins while it is set.
 *   holders     atomic: the thread IDs of the calls holding a reference (0 = a free entry).
 *               registry_acquire records its caller in a free entry, waiting while all
 *               REGISTRY_HOLDERS are taken; calls that reach host callbacks or the session
 *               use a reference, not the gate.
 *   touchers    the thread IDs of the calls touching the key's memory after leaving the gate
 *               (keyheap.h's touch; 0 = a free entry): claimed under the gate, cleared by
 *               their owner without it, or by plat_call_guarded's unwinding when the expert
 *               caught a fault of the touch. Destroy waits for them as for holders, so a
 *               destroy never releases memory that a call is still zeroing or copying.
 *   stamp       written only while the slot is closed and unreferenced (destroy, first use).
 *   terminated  atomic flag, set by registry_terminate, cleared by create.
 *   session     written by create/destroy; stable while a reference or the gate is held.
 *   heap        the gate; destroyed only once the gate is closed and no reference is left.
 *   next_free   the registry lock.
 * An allocating call costs one compare-exchange (entering the gate) and one plain store
 * (leaving it): it reads the stamp before and after entering, and the closed flag, so a
 * destroyed, reused or half-destroyed key is refused like a dead one. Each slot fills whole
 * cache lines, so calls on different keys never write to a shared line.
 *
 * A call whose thread ends inside it (TerminateThread) leaves its ID in the gate or in a
 * holder entry. Destroy waits for every holder to leave or to have ended, so it completes;
 * an allocating call that finds the gate's holder ended seals the gate (gate.h) and fails,
 * as every later one does: the allocator's records may be half changed. Destroy of such a
 * key releases its memory from the records that are whole (every change is ordered so that
 * a cut-off call can leak at most the one record or region it was making, never free one
 * twice) and skips the corruption checks, which would read blocks the records describe.
 *
 * Slots are allocated in chunks that are never freed, so a stale key's slot is always
 * readable. A freed slot is reused only after QUARANTINE others were freed after it, and
 * gets a new stamp at destroy, never its previous one: a stale key aliases a later key of its
 * slot only by drawing its stamp again, one chance in 2^REGISTRY_STAMP_BITS - 2 per reuse.
 */
#ifndef NMAPI_REGISTRY_H
#define NMAPI_REGISTRY_H

#include <stdint.h>

#include "gate.h"
#include "keyheap.h"
#include "platform.h"

#if UINTPTR_MAX > 0xFFFFFFFFu
#define REGISTRY_STAMP_BITS 43
#else
#define REGISTRY_STAMP_BITS 15
#endif
#define REGISTRY_HOLDERS 8
#define REGISTRY_TOUCHERS 8

struct expert_key {
    int32_t volatile gate;
    int32_t volatile closed;
    int32_t volatile terminated;
    uint32_t next_free;
    uintptr_t volatile stamp;
    void *session;
    int32_t volatile holders[REGISTRY_HOLDERS];
    int32_t volatile touchers[REGISTRY_TOUCHERS];
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
 * live or its gate is sealed. Pair with registry_leave. Waits only for another call inside
 * the same key (or for finding that call's thread ended). */
struct expert_key *registry_enter(uintptr_t key);
static inline void registry_leave(struct expert_key *k) { gate_leave(&k->gate); }

/* Under the gate: an entry of k's touchers, claimed for the calling thread, for a touch of the
 * key's memory once the gate is left; clear it with registry_touched. Waits, with the gate
 * held, while all REGISTRY_TOUCHERS are taken by running threads. */
int32_t volatile *registry_claim_touch(struct expert_key *k);
static inline void registry_touched(int32_t volatile *entry) { plat_release_store(entry, 0); }

static inline int registry_is_terminated(struct expert_key *k) { return plat_load(&k->terminated) != 0; }

/* The key's figures: under the gate, or under a reference once the gate is sealed.
 * REGISTRY_OK or REGISTRY_INVALID_KEY. */
enum registry_status registry_query(uintptr_t key, struct keyheap_stats *out);

/* Marks the key terminated. REGISTRY_OK or REGISTRY_INVALID_KEY. */
enum registry_status registry_terminate(uintptr_t key);

/* Closes the key at once, waits for calls inside it to finish (or their threads to have
 * ended), destroys its memory.
 * *reclaimed (optional) gets the figures just before; *session gets the session pointer
 * back for its owner to free. REGISTRY_INVALID_KEY when not live (or another thread is
 * destroying it). */
enum registry_status registry_destroy(uintptr_t key, struct keyheap_stats *reclaimed,
                                      void **session);

#endif
