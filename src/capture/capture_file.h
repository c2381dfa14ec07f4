/*
 * capture_file.h - capture files read by content: Network Monitor 1.x/2.x (.cap), libpcap and
 * pcapng. Platform-neutral: the file is read through a cap_io the caller supplies (a file on
 * Win32, a memory buffer in the native fuzz target).
 *
 * Opening scans the file once, sequentially, through a bounded read buffer, and builds the
 * frame index: CAP_INDEX_ENTRY_BYTES per frame (where the frame's record starts, how long its
 * header and stored bytes are, which interface it came through). Later reads of a frame are
 * one read of its record. Nothing read from the file is trusted: every length is checked
 * against the file's size and the record's own bounds, every loop advances, so a corrupt
 * file gives an error from the open, or the frames before the damage with the damage
 * recorded (capture_file.damage), never a fault or an endless loop.
 *
 * Times are nanoseconds since 1970-01-01 UTC (signed 64-bit). A capture's start is the
 * Network Monitor header's start time for .cap files, else the first frame's time.
 *
 * Not thread-safe by itself: the caller serialises capture_read_frame on one capture (it
 * uses the capture's read buffer).
 */
#ifndef NMAPI_CAPTURE_FILE_H
#define NMAPI_CAPTURE_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads up to n bytes at offset into buf; returns the bytes read (fewer only at the end of
 * the file) or -1 on a read error. */
struct cap_io {
    long (*read_at)(void *context, uint64_t offset, void *buf, uint32_t n);
    void *context;
    uint64_t size;
};

enum cap_format {
    CAP_FORMAT_NETMON1 = 1,
    CAP_FORMAT_NETMON2,
    CAP_FORMAT_PCAP,
    CAP_FORMAT_PCAPNG,
};

/* Link types are libpcap's LINKTYPE_* numbers, whatever the file's own coding. */
#define CAP_LINK_NULL       0
#define CAP_LINK_ETHERNET   1
#define CAP_LINK_TOKEN_RING 6
#define CAP_LINK_FDDI       10
#define CAP_LINK_RAW        101
#define CAP_LINK_IEEE802_11 105
#define CAP_LINK_LOOP       108
#define CAP_LINK_LINUX_SLL  113
#define CAP_LINK_RADIOTAP   127
#define CAP_LINK_IPV4       228
#define CAP_LINK_IPV6       229
#define CAP_LINK_LINUX_SLL2 276
#define CAP_LINK_UNKNOWN    0xFFFFu
/* Network Monitor media of no LINKTYPE: 802.11 behind Network Monitor's own metadata header,
 * ATM with its 16-byte pseudo-header removed. */
#define CAP_LINK_NETMON_802_11 0x10006u
#define CAP_LINK_NETMON_ATM    0x10004u

enum cap_status {
    CAP_OK,
    CAP_UNKNOWN_FORMAT,   /* not a capture file of a known format (or empty) */
    CAP_CORRUPT,          /* a known format whose header cannot be used */
    CAP_NO_MEMORY,
    CAP_READ_ERROR,
    CAP_NO_FRAME,         /* capture_read_frame: no such frame */
};

/* What stopped a scan early; the frames before it are served. */
enum cap_damage {
    CAP_DAMAGE_NONE,
    CAP_DAMAGE_TRUNCATED,      /* the file ends inside a record */
    CAP_DAMAGE_BAD_RECORD,     /* a record's lengths are impossible */
    CAP_DAMAGE_BAD_INTERFACE,  /* pcapng: a packet names an interface not described */
    CAP_DAMAGE_TOO_MANY,       /* more frames or interfaces than the index can hold */
    CAP_DAMAGE_READ_ERROR,
};

#define CAP_INDEX_ENTRY_BYTES 16
struct cap_index_entry {
    uint64_t record;        /* file offset of the frame's record */
    uint32_t stored;        /* bytes of frame data stored */
    uint16_t iface;         /* index into capture_file.interfaces */
    uint16_t header;        /* bytes from record to the frame data */
};

struct cap_interface {
    uint32_t link;          /* CAP_LINK_* */
    uint32_t snaplen;
    int64_t offset_ns;      /* pcapng if_tsoffset, in ns */
    uint32_t units;         /* timestamp units per second is 10^units (or 2^units, binary) */
    uint8_t binary_units;
    uint8_t big_endian;     /* byte order of the records that use this interface */
    uint8_t nanoseconds;    /* pcap: nanosecond timestamps */
};

/* One frame's description, decoded from its record. */
struct cap_frame {
    int64_t time_ns;        /* absolute */
    uint32_t length;        /* on the wire */
    uint32_t stored;        /* bytes stored (<= length unless the file says otherwise) */
    uint32_t link;          /* CAP_LINK_* */
    uint32_t iface;
};

/* The capture start as the file gives it (Network Monitor: its header's SYSTEMTIME). */
struct cap_calendar {
    uint16_t year, month, day_of_week, day, hour, minute, second, milliseconds;
};

struct scan_buffer;

struct capture_file {
    struct cap_io io;
    enum cap_format format;
    uint32_t count;                       /* frames in the index */
    uint32_t frame_limit;                 /* the most frames the index takes */
    struct cap_index_entry *index;
    uint32_t index_capacity;
    struct cap_interface *interfaces;
    uint32_t interface_count, interface_capacity;
    uint32_t sections;                    /* pcapng sections seen */
    uint32_t netmon_mac_type;             /* .cap: the header's MAC type (MAC_TYPE_* numbering) */
    int64_t start_ns;                     /* capture start, ns since 1970 UTC */
    int has_calendar;
    struct cap_calendar calendar;         /* .cap: the start as written */
    char *comment;                        /* NUL-terminated, or NULL */
    uint32_t comment_length;
    enum cap_damage damage;
    uint64_t damage_offset;               /* where the scan stopped */
    uint32_t max_stored;                  /* the largest frame stored */
    uint32_t trailer;                     /* bytes after a frame's data its decoding reads */
    struct scan_buffer *buffer;           /* read buffer for capture_read_frame */
};

/* Opens what io reads: detects the format by content, scans and indexes every frame.
 * CAP_OK (maybe with cf->damage set), or CAP_UNKNOWN_FORMAT, CAP_CORRUPT, CAP_NO_MEMORY,
 * CAP_READ_ERROR with nothing to close. max_frames caps the index (0 = no cap beyond
 * UINT32_MAX - 1). */
enum cap_status capture_open(struct capture_file *cf, const struct cap_io *io,
                             uint32_t max_frames);
void capture_close(struct capture_file *cf);

/* Frame n's description; and, when data is not NULL, its stored bytes (at most capacity;
 * *copied gets how many). CAP_OK, CAP_NO_FRAME, CAP_READ_ERROR, CAP_CORRUPT (the record no
 * longer reads as it did at open: the file changed). */
enum cap_status capture_read_frame(struct capture_file *cf, uint32_t n, struct cap_frame *out,
                                   void *data, uint32_t capacity, uint32_t *copied);

/* Nanoseconds since 1970 UTC of a calendar time (no range check beyond the fields'). */
int64_t cap_calendar_to_ns(const struct cap_calendar *c);
/* The calendar time (UTC) of ns since 1970. */
void cap_ns_to_calendar(int64_t ns, struct cap_calendar *c);

const char *cap_format_name(enum cap_format f);
const char *cap_link_name(uint32_t link);
const char *cap_damage_text(enum cap_damage d);

#endif
