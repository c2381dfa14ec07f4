/* captures.c - see captures.h. */
#include "captures.h"

#include <string.h>

#include "atomics.h"
#include "gate.h"
#include "platform.h"

/* --- Frame-handle ranges ------------------------------------------------------------------ */

#if UINTPTR_MAX > 0xFFFFFFFFu
#define HANDLE_SPACE_START ((uintptr_t)1 << 62)      /* non-canonical: never an address */
#define HANDLE_SPACE_END   (((uintptr_t)1 << 62) + ((uintptr_t)1 << 61))
#else
#define HANDLE_SPACE_START ((uintptr_t)0x80000000u)  /* kernel space: never a user address */
#define HANDLE_SPACE_END   ((uintptr_t)0xFFFF0000u)
#endif

static struct capture_slot {
    uintptr_t volatile key;          /* 0: free */
    uintptr_t volatile base;
    uint32_t volatile count;
    uint64_t opened;                 /* under slots_lock: when, in opening order */
} slots[CAPTURES_MAX];
static int32_t volatile slots_used;  /* slots ever used: the scan stops there */
static LONG volatile open_count;
static plat_lock slots_lock = PLAT_LOCK_INIT;   /* host calls only: open and close */
static uintptr_t next_base;                     /* under slots_lock */
static uint64_t openings;                       /* under slots_lock */
static uintptr_t volatile last_opened;

static int overlaps(uintptr_t base, uint32_t count, const struct capture_slot *s)
{
    return s->key && base <= s->base + s->count && s->base <= base + count;
}

/* Under slots_lock: a free slot and a range of count + 1 handle values no open capture
 * uses. */
static struct capture_slot *claim_range(uint32_t count, uintptr_t *base)
{
    struct capture_slot *free_slot = NULL;
    for (int i = 0; i < CAPTURES_MAX && !free_slot; i++)
        if (!slots[i].key)
            free_slot = &slots[i];
    if (!free_slot || (uintptr_t)count + 1 > HANDLE_SPACE_END - HANDLE_SPACE_START)
        return NULL;
    if (!next_base)
        next_base = HANDLE_SPACE_START + (uintptr_t)(plat_secret() & 0xFFFFFu) * 16;
    for (int attempt = 0; attempt < 2 * CAPTURES_MAX + 2; attempt++) {
        if (next_base < HANDLE_SPACE_START || HANDLE_SPACE_END - next_base < (uintptr_t)count + 1)
            next_base = HANDLE_SPACE_START;
        int clash = 0;
        for (int i = 0; i < CAPTURES_MAX; i++)
            if (overlaps(next_base, count, &slots[i])) {
                next_base = slots[i].base + slots[i].count + 1;
                clash = 1;
                break;
            }
        if (!clash) {
            *base = next_base;
            next_base += (uintptr_t)count + 1;
            return free_slot;
        }
    }
    return NULL;
}

static int slot_index(const struct capture_slot *s) { return (int)(s - slots); }

/* --- Reading the file ---------------------------------------------------------------------- */

static long read_at(void *context, uint64_t offset, void *buf, uint32_t n)
{
    uint32_t done = 0;
    while (done < n) {
        OVERLAPPED at = {0};
        at.Offset = (DWORD)(offset + done);
        at.OffsetHigh = (DWORD)((offset + done) >> 32);
        DWORD got = 0;
        if (!ReadFile((HANDLE)context, (uint8_t *)buf + done, n - done, &got, &at))
            return GetLastError() == ERROR_HANDLE_EOF ? (long)done : -1;
        if (!got)
            break;
        done += got;
    }
    return (long)done;
}

static DWORD nmerr_of(enum cap_status st)
{
    switch (st) {
    case CAP_OK:             return NMERR_SUCCESS;
    case CAP_NO_MEMORY:      return NMERR_OUT_OF_MEMORY;
    case CAP_READ_ERROR:     return NMERR_FILE_READ_ERROR;
    case CAP_NO_FRAME:       return NMERR_FRAME_NOT_FOUND;
    default:                 return NMERR_INVALID_FILE_FORMAT;
    }
}

static void destroy_capture(struct open_capture *c)
{
    frame_ring_destroy(&c->ring);
    if (c->info_rw)
        plat_unmap_twice(c->info_size, c->info_rw, c->info_ro);
    capture_close(&c->file);
    if (c->handle && c->handle != INVALID_HANDLE_VALUE)
        CloseHandle(c->handle);
    plat_free(c);
}

/* The start as a SYSTEMTIME and the comment, where experts can read and not write them. */
static int publish_info(struct open_capture *c)
{
    size_t bytes = sizeof(SYSTEMTIME) + c->file.comment_length + 1;
    c->info_size = (bytes + PLAT_REGION_ALIGN - 1) & ~(size_t)(PLAT_REGION_ALIGN - 1);
    void *rw;
    const void *ro;
    if (plat_map_twice(c->info_size, &rw, &ro) != 0)
        return -1;
    c->info_rw = rw;
    c->info_ro = ro;
    struct cap_calendar cal = c->file.calendar;
    if (!c->file.has_calendar)
        cap_ns_to_calendar(c->file.start_ns, &cal);
    SYSTEMTIME st = { cal.year, cal.month, cal.day_of_week, cal.day, cal.hour, cal.minute,
                      cal.second, cal.milliseconds };
    memcpy(c->info_rw, &st, sizeof st);
    if (c->file.comment)
        memcpy(c->info_rw + sizeof st, c->file.comment, c->file.comment_length);
    return 0;
}

DWORD captures_open(const WCHAR *path, HCAPTURE *hCapture)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ||
               e == ERROR_INVALID_NAME ? NMERR_FILE_NOT_FOUND
             : e == ERROR_ACCESS_DENIED ? NMERR_ACCESS_DENIED : NMERR_FILE_READ_ERROR;
    }
    LARGE_INTEGER size;
    struct open_capture *c = plat_zalloc(sizeof *c);
    if (!c) {
        CloseHandle(h);
        return NMERR_OUT_OF_MEMORY;
    }
    c->kind = OWNER_CAPTURE;
    c->handle = h;
    if (!GetFileSizeEx(h, &size)) {
        destroy_capture(c);
        return NMERR_FILE_READ_ERROR;
    }
    struct cap_io io = { read_at, h, (uint64_t)size.QuadPart };
    enum cap_status st = capture_open(&c->file, &io, 0);
    if (st != CAP_OK) {
        destroy_capture(c);
        return nmerr_of(st);
    }
    if (frame_ring_create(&c->ring, c->file.max_stored) != 0 || publish_info(c) != 0) {
        destroy_capture(c);
        return NMERR_OUT_OF_MEMORY;
    }
    uintptr_t key;
    if (registry_create(0, 0, c, &key) != REGISTRY_OK) {
        destroy_capture(c);
        return NMERR_OUT_OF_MEMORY;
    }
    c->key = key;
    plat_lock_acquire(&slots_lock);
    uintptr_t base = 0;
    struct capture_slot *s = claim_range(c->file.count, &base);
    if (s) {
        c->frame_base = base;
        plat_store_ptr((void *volatile *)&s->base, (void *)base);
        __atomic_store_n(&s->count, c->file.count, __ATOMIC_SEQ_CST);
        s->opened = ++openings;
        plat_store_ptr((void *volatile *)&s->key, (void *)key);
        if (slot_index(s) + 1 > slots_used)
            plat_store(&slots_used, slot_index(s) + 1);
        InterlockedIncrement(&open_count);
        plat_store_ptr((void *volatile *)&last_opened, (void *)key);
    }
    plat_lock_release(&slots_lock);
    if (!s) {
        void *session;
        registry_destroy(key, NULL, &session);
        destroy_capture(c);
        return NMERR_NO_HANDLES;
    }
    *hCapture = (HCAPTURE)key;
    return NMERR_SUCCESS;
}

DWORD captures_close(HCAPTURE hCapture, struct keyheap_stats *reclaimed)
{
    uintptr_t key = (uintptr_t)hCapture;
    struct expert_key *k;
    if (!captures_acquire(hCapture, &k))
        return NMERR_INVALID_HCAPTURE;
    captures_release(k);
    /* No new frame handle resolves once the slot is free; calls inside finish first. */
    plat_lock_acquire(&slots_lock);
    int found = 0;
    for (int i = 0; i < CAPTURES_MAX; i++)
        if (slots[i].key == key) {
            plat_store_ptr((void *volatile *)&slots[i].key, NULL);
            found = 1;
        }
    if (found) {
        InterlockedDecrement(&open_count);
        if (last_opened == key) {       /* the most recently opened of those still open */
            uintptr_t other = 0;
            uint64_t latest = 0;
            for (int i = 0; i < CAPTURES_MAX; i++)
                if (slots[i].key && slots[i].opened > latest) {
                    latest = slots[i].opened;
                    other = slots[i].key;
                }
            plat_store_ptr((void *volatile *)&last_opened, (void *)other);
        }
    }
    plat_lock_release(&slots_lock);
    if (!found)
        return NMERR_INVALID_HCAPTURE;     /* another thread is closing it */
    void *session;
    if (registry_destroy(key, reclaimed, &session) != REGISTRY_OK)
        return NMERR_INVALID_HCAPTURE;
    destroy_capture(session);
    return NMERR_SUCCESS;
}

struct open_capture *captures_acquire(HCAPTURE hCapture, struct expert_key **k)
{
    struct expert_key *key = registry_acquire((uintptr_t)hCapture);
    if (!key)
        return NULL;
    if (!owner_is(key->session, OWNER_CAPTURE)) {
        registry_release(key);
        return NULL;
    }
    *k = key;
    return key->session;
}

struct open_capture *captures_acquire_frame(HFRAME hFrame, uint32_t *n, struct expert_key **k)
{
    uintptr_t v = (uintptr_t)hFrame;
    if (v < HANDLE_SPACE_START || v >= HANDLE_SPACE_END)
        return NULL;
    int used = plat_load(&slots_used);
    for (int i = 0; i < used; i++) {
        struct capture_slot *s = &slots[i];
        uintptr_t key = (uintptr_t)plat_load_ptr((void *volatile *)&s->key);
        if (!key)
            continue;
        uintptr_t base = (uintptr_t)plat_load_ptr((void *volatile *)&s->base);
        uint32_t count = __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);
        if (v < base || v - base >= count)
            continue;
        struct open_capture *c = captures_acquire((HCAPTURE)key, k);
        if (!c)
            continue;
        if (c->frame_base == base && c->file.count == count && s->key == key) {
            *n = (uint32_t)(v - base);
            return c;
        }
        captures_release(*k);
    }
    return NULL;
}

DWORD captures_read(struct open_capture *c, uint32_t n, const struct filter_program *a,
                    const struct filter_program *b, struct served_frame *out)
{
    if (n >= c->file.count)
        return NMERR_FRAME_NOT_FOUND;
    gate_take(&c->gate);
    const uint8_t *ro;
    uint8_t *rw = frame_ring_find(&c->ring, n, &ro);
    if (!rw) {
        uint32_t stored = c->file.index[n].stored, copied = 0;
        rw = frame_ring_place(&c->ring, n, stored, &ro);
        struct cap_frame info;
        enum cap_status st = rw ? capture_read_frame(&c->file, n, &info,
                                                     rw + FRAME_RING_PREFIX + FRAME_RECORD_HEADER,
                                                     stored, &copied)
                                : CAP_NO_MEMORY;
        if (st != CAP_OK) {
            frame_ring_forget(&c->ring, n);
            gate_leave(&c->gate);
            return st == CAP_NO_MEMORY ? NMERR_OUT_OF_MEMORY : NMERR_FILE_READ_ERROR;
        }
        info.stored = copied;
        memcpy(rw, &info, sizeof info);
        FRAME header;
        int64_t since;             /* saturated: a corrupt file's times may be anything */
        if (__builtin_sub_overflow(info.time_ns, c->file.start_ns, &since))
            since = info.time_ns < 0 ? INT64_MIN : INT64_MAX;
        header.TimeStamp = since / 1000 - (since % 1000 < 0);   /* floor division */
        header.FrameLength = info.length;
        header.nBytesAvail = copied;
        memcpy(rw + FRAME_RING_PREFIX, &header, FRAME_RECORD_HEADER);
    }
    memcpy(&out->info, rw, sizeof out->info);
    out->frame = (const FRAME *)(ro + FRAME_RING_PREFIX);
    out->bytes = rw + FRAME_RING_PREFIX + FRAME_RECORD_HEADER;
    dissect(out->info.link, out->bytes, out->info.stored, &out->d);
    int pass = (!a || filter_matches(a, &out->d, out->bytes, out->info.stored)) &&
               (!b || filter_matches(b, &out->d, out->bytes, out->info.stored));
    gate_leave(&c->gate);
    return pass ? NMERR_SUCCESS : NMERR_FRAME_FAILED_FILTER;
}

int captures_display_filter(struct open_capture *c, struct filter_program *out)
{
    if (!plat_load(&c->has_display))
        return 0;
    gate_take(&c->gate);
    *out = c->display;
    int has = c->has_display != 0;
    gate_leave(&c->gate);
    return has;
}

void captures_set_display_filter(struct open_capture *c, const struct filter_program *p)
{
    gate_take(&c->gate);
    if (p)
        c->display = *p;
    plat_store(&c->has_display, p != NULL);
    gate_leave(&c->gate);
}

/* --- The current capture ------------------------------------------------------------------- */

static INIT_ONCE tls_once = INIT_ONCE_STATIC_INIT;
static DWORD tls_slot = TLS_OUT_OF_INDEXES;

static BOOL CALLBACK make_tls(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once; (void)parameter; (void)context;
    tls_slot = TlsAlloc();
    return TRUE;
}

static int is_open(uintptr_t key)
{
    struct expert_key *k;
    if (!key || !captures_acquire((HCAPTURE)key, &k))
        return 0;
    captures_release(k);
    return 1;
}

void captures_bind_thread(uintptr_t hCapture)
{
    InitOnceExecuteOnce(&tls_once, make_tls, NULL, NULL);
    if (tls_slot != TLS_OUT_OF_INDEXES && (uintptr_t)TlsGetValue(tls_slot) != hCapture)
        TlsSetValue(tls_slot, (void *)hCapture);
}

uintptr_t captures_current(void)
{
    InitOnceExecuteOnce(&tls_once, make_tls, NULL, NULL);
    uintptr_t bound = tls_slot != TLS_OUT_OF_INDEXES ? (uintptr_t)TlsGetValue(tls_slot) : 0;
    if (is_open(bound))
        return bound;
    uintptr_t last = (uintptr_t)plat_load_ptr((void *volatile *)&last_opened);
    return is_open(last) ? last : 0;
}

LONG captures_open_count(void)
{
    return InterlockedCompareExchange(&open_count, 0, 0);
}

DWORD captures_mac_type(uint32_t link)
{
    switch (link) {
    case CAP_LINK_ETHERNET:      return MAC_TYPE_ETHERNET;
    case CAP_LINK_TOKEN_RING:    return MAC_TYPE_TOKENRING;
    case CAP_LINK_FDDI:          return MAC_TYPE_FDDI;
    case CAP_LINK_NETMON_ATM:    return MAC_TYPE_ATM;
    case CAP_LINK_NETMON_802_11: return NMAPI_MAC_TYPE_NETMON_802_11;
    }
    return link < 0x1000 ? NMAPI_MAC_TYPE_LINKTYPE(link) : MAC_TYPE_UNKNOWN;
}
