/*
 * atomics.h - the atomic operations of every layer, on every platform: one set of wrappers over
 * the compiler's __atomic builtins (GCC and Clang, mingw-w64 and the native build alike).
 * Loads are acquire loads; read-modify-writes and stores are sequentially consistent (full
 * barriers, as Win32's Interlocked* functions are); plat_release_store is the one exception, for
 * a lock word only its holder writes.
 */
#ifndef NMAPI_ATOMICS_H
#define NMAPI_ATOMICS_H

#include <stdint.h>

static inline int32_t plat_load(int32_t volatile *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
/* Stores desired when *p equals expected; returns the value *p held before. */
static inline int32_t plat_cas(int32_t volatile *p, int32_t desired, int32_t expected)
{
    __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
}
/* Returns the new value. */
static inline int32_t plat_add(int32_t volatile *p, int32_t delta)
{
    return __atomic_add_fetch(p, delta, __ATOMIC_SEQ_CST);
}
static inline void plat_store(int32_t volatile *p, int32_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
static inline void plat_release_store(int32_t volatile *p, int32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline void *plat_load_ptr(void *volatile *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void plat_store_ptr(void *volatile *p, void *v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
/* Stores desired when *p equals expected; returns whether it did. */
static inline int plat_cas_ptr(void *volatile *p, void *desired, void *expected)
{
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
static inline uintptr_t plat_load_word(uintptr_t volatile *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
/* Return the value *p held before. */
static inline uintptr_t plat_or_word(uintptr_t volatile *p, uintptr_t bits)
{
    return __atomic_fetch_or(p, bits, __ATOMIC_SEQ_CST);
}
static inline uintptr_t plat_and_word(uintptr_t volatile *p, uintptr_t bits)
{
    return __atomic_fetch_and(p, bits, __ATOMIC_SEQ_CST);
}

#endif
