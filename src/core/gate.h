/*
 * gate.h - a key's lock, which can also be closed for good.
 *
 * One word: GATE_OPEN (0, free), GATE_HELD (one call is inside) or GATE_CLOSED (nobody may
 * enter until the key is opened again). Entering is one compare-exchange; leaving is one
 * release store, which on x86 is a plain store: that is all the exclusion an allocation pays.
 * (A Win32 SRW lock costs several interlocked operations per acquire/release pair plus a
 * wake-up call on every release, which was most of the shim's time before; see the README.)
 *
 * Nobody ever sleeps in the kernel on the word: a waiter spins, then yields, then sleeps a
 * millisecond at a time (plat_backoff). That is why leaving needs no read-modify-write and
 * no wake-up, and it suits a lock held only for a bounded piece of allocator work.
 *
 * Closing takes the gate like an entering call (waiting for the holder to leave) and leaves it
 * closed; only gate_open, called by whoever closed it, lets calls in again.
 */
#ifndef NMAPI_GATE_H
#define NMAPI_GATE_H

#include "atomics.h"
#include "platform.h"

#define GATE_OPEN 0
#define GATE_HELD 1
#define GATE_CLOSED 2

/* Waits for the gate to be free or closed: 1 once held, 0 when closed. Out of line, so that
 * the fast path stays a compare-exchange in a function that needs no stack frame. */
static __attribute__((noinline)) int gate_wait(int32_t volatile *gate)
{
    for (unsigned attempt = 0;; attempt++) {
        int32_t v = plat_load(gate);
        if (v == GATE_CLOSED)
            return 0;
        if (v == GATE_OPEN && plat_cas(gate, GATE_HELD, GATE_OPEN) == GATE_OPEN)
            return 1;
        plat_backoff(attempt);
    }
}

/* Takes the gate: 1 once held, 0 when it is closed (possibly after waiting for a holder). */
static inline int gate_enter(int32_t volatile *gate)
{
    if (__builtin_expect(plat_cas(gate, GATE_HELD, GATE_OPEN) == GATE_OPEN, 1))
        return 1;
    return gate_wait(gate);
}

/* Leaves a gate this thread holds. Only the holder writes the word while it is held, so a
 * release store suffices. */
static inline void gate_leave(int32_t volatile *gate)
{
    plat_release_store(gate, GATE_OPEN);
}

/* Closes the gate once no call is inside: 1 when this call closed it, 0 when it was closed. */
static inline int gate_close(int32_t volatile *gate)
{
    for (unsigned attempt = 0;; attempt++) {
        int32_t v = plat_load(gate);
        if (v == GATE_CLOSED)
            return 0;
        if (v == GATE_OPEN && plat_cas(gate, GATE_CLOSED, GATE_OPEN) == GATE_OPEN)
            return 1;
        plat_backoff(attempt);
    }
}

/* Reopens a gate its caller closed. */
static inline void gate_open(int32_t volatile *gate)
{
    plat_release_store(gate, GATE_OPEN);
}

#endif
