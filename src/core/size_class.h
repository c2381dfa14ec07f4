/*
 * size_class.h - the size classes of small blocks (up to SIZE_CLASS_MAX bytes).
 *
 * Up to 256 bytes a class every SIZE_CLASS_ALIGN bytes, so that a small block wastes less than
 * one alignment unit; above, four classes per doubling (at most 25 % rounding) up to 16 KiB.
 * SIZE_CLASS_ALIGN is MEMORY_ALLOCATION_ALIGNMENT (8 on i686, 16 on x86_64): every class size
 * is a multiple of it, so every slot of a slab is aligned as the contract requires.
 */
#ifndef NMAPI_SIZE_CLASS_H
#define NMAPI_SIZE_CLASS_H

#include <stddef.h>
#include <stdint.h>

#define SIZE_CLASS_ALIGN (2 * sizeof(void *))
#define SIZE_CLASS_LINEAR_MAX 256u
#define SIZE_CLASS_LINEAR ((unsigned)(SIZE_CLASS_LINEAR_MAX / SIZE_CLASS_ALIGN))
#define SIZE_CLASS_MAX 16384u
#define SIZE_CLASS_OCTAVES 6u   /* (256, 512], ..., (8 KiB, 16 KiB] */
#define SIZE_CLASS_COUNT (SIZE_CLASS_LINEAR + 4 * SIZE_CLASS_OCTAVES)

/* The class of a request of size bytes, size <= SIZE_CLASS_MAX (size 0 is class 0). */
static inline unsigned size_class_of(size_t size)
{
    if (size <= SIZE_CLASS_LINEAR_MAX)
        return size ? (unsigned)((size - 1) / SIZE_CLASS_ALIGN) : 0;
    uint32_t last = (uint32_t)size - 1;
    unsigned octave = 31 - (unsigned)__builtin_clz(last);   /* 8 for (256, 512] */
    return SIZE_CLASS_LINEAR + (octave - 8) * 4 + ((last >> (octave - 2)) & 3);
}

/* The slot size of class c. */
static inline uint32_t size_class_bytes(unsigned c)
{
    if (c < SIZE_CLASS_LINEAR)
        return (uint32_t)((c + 1) * SIZE_CLASS_ALIGN);
    unsigned octave = 8 + (c - SIZE_CLASS_LINEAR) / 4, step = (c - SIZE_CLASS_LINEAR) % 4 + 1;
    return ((uint32_t)1 << octave) + ((uint32_t)step << (octave - 2));
}

#endif
