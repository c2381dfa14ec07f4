/*
 * gate.h - a key's lock, which records its holder and can be closed for good.
 *
 * One word: GATE_OPEN (0, free), the holder's thread ID (one call is inside), GATE_CLOSED
 * (nobody may enter until the key is opened again) or GATE_SEALED (its holder ended inside:
 * nobody may enter, and what the holder was changing may be half done). Entering is one
 * compare-exchange of the caller's ID; leaving is one release store, which on x86 is a plain
 * store: that is all the exclusion an allocation pays. (A Win32 SRW lock costs several
 * interlocked operations per acquire/release pair plus a wake-up call on every release, which
 * was most of the shim's time before; see the README.)
 *
 * Nobody ever sleeps in the kernel on the word: a waiter spins, then yields, then sleeps a
 * millisecond at a time (plat_backoff). That is why leaving needs no read-modify-write and
 * no wake-up, and it suits a lock held only for a bounded piece of allocator work. A waiter
 * that has slept GATE_PATIENCE times asks, every GATE_RECHECK sleeps, whether the holder's
 * thread still runs (plat_thread_ended): a thread terminated inside a call never leaves, so
 * its gate is sealed instead of waited for. Thread IDs never collide with the three values.
 *
 * Closing takes the gate like an entering call (waiting for the holder to leave, or to have
 * ended) and leaves it closed; only gate_open, called by whoever closed it, lets calls in again.
 */
#ifndef NMAPI_GATE_H
#define NMAPI_GATE_H

#include "atomics.h"
#include "platform.h"

#define GATE_OPEN 0
#define GATE_CLOSED ((int32_t)-1)
#define GATE_SEALED ((int32_t)-2)
#define GATE_PATIENCE 64u   /* the backoff's first sleeping attempt */
#define GATE_RECHECK 16u

/* Has the holder v (a thread ID) ended, asked only now and then during a long wait? */
static inline int gate_holder_ended(int32_t v, unsigned attempt)
{
    return attempt >= GATE_PATIENCE && (attempt - GATE_PATIENCE) % GATE_RECHECK == 0 &&
           plat_thread_ended((uint32_t)v);
}

/* Waits for the gate to be free or shut: 1 once held by self, 0 when closed or sealed (also
 * by this call, when it found the holder ended). Out of line, so that the fast path stays a
 * compare-exchange in a function that needs no stack frame. */
static __attribute__((noinline)) int gate_wait(int32_t volatile *gate, int32_t self)
{
    for (unsigned attempt = 0;; attempt++) {
        int32_t v = plat_load(gate);
        if (v == GATE_CLOSED || v == GATE_SEALED)
            return 0;
        if (v == GATE_OPEN && plat_cas(gate, self, GATE_OPEN) == GATE_OPEN)
            return 1;
        if (v != GATE_OPEN && gate_holder_ended(v, attempt))
            plat_cas(gate, GATE_SEALED, v);
        plat_backoff(attempt);
    }
}

/* Takes the gate for the calling thread: 1 once held, 0 when it is closed or sealed (possibly
 * after waiting for a holder). */
static inline int gate_enter(int32_t volatile *gate)
{
    int32_t self = (int32_t)plat_thread_id();
    if (__builtin_expect(plat_cas(gate, self, GATE_OPEN) == GATE_OPEN, 1))
        return 1;
    return gate_wait(gate, self);
}

/* Leaves a gate this thread holds. Only the holder writes the word while it is held, so a
 * release store suffices. */
static inline void gate_leave(int32_t volatile *gate)
{
    plat_release_store(gate, GATE_OPEN);
}

enum gate_closed {
    GATE_WAS_CLOSED,      /* someone else had closed it */
    GATE_CLOSED_CLEAN,    /* closed once no call was inside */
    GATE_CLOSED_ABANDONED /* closed over a holder that ended inside (or a sealed gate) */
};

/* Closes the gate once no call is inside, or its holder has ended. */
static inline enum gate_closed gate_close(int32_t volatile *gate)
{
    for (unsigned attempt = 0;; attempt++) {
        int32_t v = plat_load(gate);
        if (v == GATE_CLOSED)
            return GATE_WAS_CLOSED;
        if ((v == GATE_SEALED || (v != GATE_OPEN && gate_holder_ended(v, attempt))) &&
            plat_cas(gate, GATE_CLOSED, v) == v)
            return GATE_CLOSED_ABANDONED;
        if (v == GATE_OPEN && plat_cas(gate, GATE_CLOSED, GATE_OPEN) == GATE_OPEN)
            return GATE_CLOSED_CLEAN;
        plat_backoff(attempt);
    }
}

/* Takes a gate used as a plain lock (never closed) for the calling thread: waits for the
 * holder to leave, or takes over from a holder that ended inside, whose writes may then be
 * half done - a lock for data any value of which is safe to read. Leave with gate_leave. */
static inline void gate_take(int32_t volatile *gate)
{
    int32_t self = (int32_t)plat_thread_id();
    for (unsigned attempt = 0;; attempt++) {
        int32_t v = plat_load(gate);
        if ((v == GATE_OPEN || gate_holder_ended(v, attempt)) && plat_cas(gate, self, v) == v)
            return;
        plat_backoff(attempt);
    }
}

/* Reopens a gate its caller closed. */
static inline void gate_open(int32_t volatile *gate)
{
    plat_release_store(gate, GATE_OPEN);
}

#endif
