/*
 * frame_ring.h - where the frames served to experts live: each in Network Monitor's FRAME
 * layout (a 64-bit time stamp in microseconds since the capture's start, the length on the
 * wire, the bytes stored, the bytes), written by the DLL through a writable view of a ring of
 * memory and handed out through a read-only view of the same memory (plat_map_twice).
 *
 * A frame written at ring position `at` stays intact until the ring has been written past
 * at + size. The ring holds at least FRAME_RING_KEEP records of the capture's largest frame,
 * so a frame served stays valid until at least FRAME_RING_KEEP - 1 further frames were
 * written; after that its pointer still reads memory of the capture (another frame's bytes),
 * never unmapped memory, until the capture is closed. A directory remembers where recent
 * frames are, so that a frame asked for again while intact is served from the same address.
 *
 * Not thread-safe: the caller serialises calls on one ring.
 */
#ifndef NMAPI_FRAME_RING_H
#define NMAPI_FRAME_RING_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_RING_KEEP 64
#define FRAME_RING_MIN (8u << 20)
#define FRAME_RING_DIRECTORY 4096
#define FRAME_RECORD_HEADER 16     /* TimeStamp, FrameLength, nBytesAvail */
#define FRAME_RING_PREFIX 32       /* the caller's own bytes before each record (its
                                      description of the frame), seen read-only too */

struct frame_ring {
    uint8_t *rw;
    const uint8_t *ro;
    size_t size;
    uint64_t head;                 /* bytes written since the start, skips included */
    struct { uint32_t frame; uint32_t used; uint64_t at; } directory[FRAME_RING_DIRECTORY];
};

/* A ring for frames of at most max_stored bytes. 0, or -1 when out of memory. */
int frame_ring_create(struct frame_ring *r, uint32_t max_stored);
void frame_ring_destroy(struct frame_ring *r);

/* Frame n's record when it is intact in the ring: its writable address (*ro gets the
 * read-only one), else NULL. */
uint8_t *frame_ring_find(struct frame_ring *r, uint32_t n, const uint8_t **ro);
/* Room for frame n's record of `stored` bytes (<= the ring's max_stored), after
 * FRAME_RING_PREFIX bytes of the caller's: the prefix's writable address, *ro the read-only
 * one. The record is remembered as frame n's at once; frame_ring_forget undoes that (a read
 * that failed). */
uint8_t *frame_ring_place(struct frame_ring *r, uint32_t n, uint32_t stored, const uint8_t **ro);
void frame_ring_forget(struct frame_ring *r, uint32_t n);

#endif
