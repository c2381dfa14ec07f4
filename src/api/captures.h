/*
 * captures.h - the captures a host opened: each is a registry key of its own (its handle,
 * HCAPTURE, is the key's value; its per-capture memory, CCHeap*, is the key's memory), whose
 * session is a struct open_capture. A call on a capture holds a reference on its key
 * (registry_acquire), so ExpertHostCloseCapture waits for calls inside it, or for their
 * threads to have ended, before it frees anything.
 *
 * Frame handles (HFRAME) are numbers, never addresses: each capture gets, when opened, a
 * range of handle values of its own, one per frame, from a counter that starts at a random
 * value and never reuses a range while its capture is open. A handle is resolved by finding
 * the open capture whose range holds it (a scan of at most CAPTURES_MAX slots, lock-free),
 * so a stale handle of a closed capture is refused, and one of a capture's frames names
 * exactly that frame.
 *
 * Reading a frame uses the capture's read buffer and its frame ring, serialised by the
 * capture's gate (gate_take: a thread killed inside cannot keep it); nothing an expert owns
 * is touched under it.
 */
#ifndef NMAPI_CAPTURES_H
#define NMAPI_CAPTURES_H

#include "nmapi.h"
#include "capture_file.h"
#include "dissect.h"
#include "filter.h"
#include "frame_ring.h"
#include "owner.h"
#include "registry.h"

#define CAPTURES_MAX 256

struct open_capture {
    uint32_t kind;                    /* OWNER_CAPTURE */
    int32_t volatile gate;            /* the file's read buffer and the frame ring */
    struct capture_file file;
    HANDLE handle;
    struct frame_ring ring;
    uint8_t *info_rw;                 /* the start (SYSTEMTIME) and the comment, seen */
    const uint8_t *info_ro;           /* read-only by experts */
    size_t info_size;
    uintptr_t key;                    /* HCAPTURE */
    uintptr_t frame_base;             /* HFRAME of frame 0 */
    LONG volatile frames_served;      /* by ExpertGetFrame */
    void *volatile cc_instance;       /* SetCCInstPtr */
    struct filter_program display;    /* ExpertHostSetDisplayFilter; guarded by gate */
    int32_t volatile has_display;
};

/* A frame read for a call: where the expert sees it, what it is, what it carries. */
struct served_frame {
    const FRAME *frame;               /* read-only, in the capture's ring */
    struct cap_frame info;
    struct dissection d;
    const uint8_t *bytes;             /* our copy of the stored bytes */
};

/* Opens the capture file at path. NMERR_SUCCESS with *hCapture set; NMERR_FILE_NOT_FOUND,
 * NMERR_FILE_READ_ERROR, NMERR_INVALID_FILE_FORMAT, NMERR_OUT_OF_MEMORY, NMERR_NO_HANDLES. */
DWORD captures_open(const WCHAR *path, HCAPTURE *hCapture);
/* Closes it: NMERR_SUCCESS with *reclaimed (the capture's per-capture memory at close) or
 * NMERR_INVALID_HCAPTURE. */
DWORD captures_close(HCAPTURE hCapture, struct keyheap_stats *reclaimed);

/* The open capture with a reference held, or NULL. Release with captures_release. */
struct open_capture *captures_acquire(HCAPTURE hCapture, struct expert_key **k);
static inline void captures_release(struct expert_key *k) { registry_release(k); }
/* The same from a frame handle: *n gets the frame's number. */
struct open_capture *captures_acquire_frame(HFRAME hFrame, uint32_t *n, struct expert_key **k);
static inline HFRAME captures_frame_handle(const struct open_capture *c, uint32_t n)
{
    return (HFRAME)(c->frame_base + n);
}

/* Reads frame n into the ring (or finds it there) and recognises it, under the capture's
 * gate. NMERR_SUCCESS, NMERR_FRAME_NOT_FOUND, NMERR_FILE_READ_ERROR. When filters are given
 * (NULL: none), the frame must pass both: else NMERR_FRAME_FAILED_FILTER. */
DWORD captures_read(struct open_capture *c, uint32_t n, const struct filter_program *a,
                    const struct filter_program *b, struct served_frame *out);
/* Copies the capture's display filter, if the host set one; 0 when none. */
int captures_display_filter(struct open_capture *c, struct filter_program *out);
void captures_set_display_filter(struct open_capture *c, const struct filter_program *p);

/* The capture the per-capture functions (CCHeap*, Get/SetCCInstPtr) use: the one this thread
 * last asked frames or startup info about, if still open, else the capture opened last that
 * is still open; 0 when none. */
uintptr_t captures_current(void);
void captures_bind_thread(uintptr_t hCapture);

/* The MAC type of a link: MAC_TYPE_ETHERNET, _TOKENRING, _FDDI, _ATM, Network Monitor's
 * 802.11 media (6), else NMAPI_MAC_TYPE_LINKTYPE(link) (nmapi.h). */
DWORD captures_mac_type(uint32_t link);

/* Captures open now (forwarding refuses to start while any is). */
LONG captures_open_count(void);

#endif
