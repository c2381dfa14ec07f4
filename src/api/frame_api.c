/*
 * frame_api.c - the frame queries of <netmon.h> over captures.h: a frame handle names one
 * frame of one open capture; each query reads the frame (from the capture's ring when it is
 * there) under a reference on its capture and answers from the DLL's own copy. Addresses
 * are written to the caller's ADDRESS2 with nothing of the DLL held.
 */
#include "api_util.h"
#include "captures.h"
#include "native.h"
#include "protocols.h"

#include <string.h>

/* Reads the frame a handle names; 0 on success (then release k). */
static int read_frame(HFRAME hFrame, struct served_frame *f, struct open_capture **c,
                      struct expert_key **k, uint32_t *n)
{
    uint32_t number;
    struct open_capture *capture = captures_acquire_frame(hFrame, &number, k);
    if (!capture)
        return -1;
    if (captures_read(capture, number, NULL, NULL, f) != NMERR_SUCCESS) {
        captures_release(*k);
        return -1;
    }
    if (c)
        *c = capture;
    if (n)
        *n = number;
    return 0;
}

HCAPTURE WINAPI NATIVE(GetFrameCaptureHandle)(HFRAME hFrame)
{
    uint32_t n;
    struct expert_key *k;
    struct open_capture *c = captures_acquire_frame(hFrame, &n, &k);
    if (!c)
        return NULL;
    HCAPTURE h = (HCAPTURE)c->key;
    captures_release(k);
    return h;
}
NATIVE_AGREES(GetFrameCaptureHandle);

DWORD WINAPI NATIVE(GetFrameNumber)(HFRAME hFrame)
{
    uint32_t n;
    struct expert_key *k;
    if (!captures_acquire_frame(hFrame, &n, &k))
        return (DWORD)-1;
    captures_release(k);
    return n;
}
NATIVE_AGREES(GetFrameNumber);

ULPFRAME WINAPI NATIVE(GetFrameFromFrameHandle)(HFRAME hFrame)
{
    struct served_frame f;
    struct expert_key *k;
    if (read_frame(hFrame, &f, NULL, &k, NULL))
        return NULL;
    captures_release(k);
    return (ULPFRAME)f.frame;
}
NATIVE_AGREES(GetFrameFromFrameHandle);

DWORD WINAPI NATIVE(GetFrameLength)(HFRAME hFrame)
{
    struct served_frame f;
    struct expert_key *k;
    if (read_frame(hFrame, &f, NULL, &k, NULL))
        return 0;
    captures_release(k);
    return f.info.length;
}
NATIVE_AGREES(GetFrameLength);

DWORD WINAPI NATIVE(GetFrameStoredLength)(HFRAME hFrame)
{
    struct served_frame f;
    struct expert_key *k;
    if (read_frame(hFrame, &f, NULL, &k, NULL))
        return 0;
    captures_release(k);
    return f.info.stored;
}
NATIVE_AGREES(GetFrameStoredLength);

__int64 WINAPI NATIVE(GetFrameTimeStamp)(HFRAME hFrame)
{
    struct served_frame f;
    struct expert_key *k;
    if (read_frame(hFrame, &f, NULL, &k, NULL))
        return -1;
    __int64 t = f.frame->TimeStamp;
    captures_release(k);
    return t;
}
NATIVE_AGREES(GetFrameTimeStamp);

DWORD WINAPI NATIVE(GetFrameMacType)(HFRAME hFrame)
{
    struct served_frame f;
    struct expert_key *k;
    if (read_frame(hFrame, &f, NULL, &k, NULL))
        return MAC_TYPE_UNKNOWN;
    captures_release(k);
    return captures_mac_type(f.info.link);
}
NATIVE_AGREES(GetFrameMacType);

DWORD WINAPI NATIVE(GetFrameMacHeaderLength)(HFRAME hFrame)
{
    struct served_frame f;
    struct expert_key *k;
    if (read_frame(hFrame, &f, NULL, &k, NULL))
        return 0;
    captures_release(k);
    return f.d.mac_header;
}
NATIVE_AGREES(GetFrameMacHeaderLength);

/* The recogniser's address kind for an ADDRESS_TYPE_*, resolving FIND_HIGHEST (the network
 * address when there is one, else the MAC address). 0 for a type it does not see. */
static enum filter_address_type kind_of(DWORD type, const struct dissection *d)
{
    switch (type) {
    case ADDRESS_TYPE_ETHERNET:
    case ADDRESS_TYPE_TOKENRING:
    case ADDRESS_TYPE_FDDI:        return FA_MAC;
    case ADDRESS_TYPE_IP:          return FA_IP4;
    case ADDRESS_TYPE_IP6:         return FA_IP6;
    case ADDRESS_TYPE_FIND_HIGHEST:
        return d->ip_version == 4 ? FA_IP4 : d->ip_version == 6 ? FA_IP6 : FA_MAC;
    }
    return 0;
}

static DWORD type_of(enum filter_address_type kind)
{
    return kind == FA_IP4 ? ADDRESS_TYPE_IP : kind == FA_IP6 ? ADDRESS_TYPE_IP6
                                                             : ADDRESS_TYPE_ETHERNET;
}

/* The offset and length of the frame's source (or destination) address of a type: 0 on
 * success, NMERR_INVALID_HFRAME or NMERR_PROTOCOL_NOT_FOUND. *copy gets the bytes. */
static DWORD frame_address(HFRAME hFrame, DWORD type, int source, uint32_t *offset,
                           uint32_t *length, uint8_t copy[16], DWORD *resolved_type)
{
    struct served_frame f;
    struct expert_key *k;
    if (read_frame(hFrame, &f, NULL, &k, NULL))
        return NMERR_INVALID_HFRAME;
    enum filter_address_type kind = kind_of(type, &f.d);
    uint32_t src = 0, dst = 0;
    DWORD error = NMERR_PROTOCOL_NOT_FOUND;
    if (kind && filter_address_at(&f.d, kind, &src, &dst, length)) {
        uint32_t at = source ? src : dst;
        if (at && at - 1 + *length <= f.info.stored) {
            *offset = at - 1;
            memcpy(copy, f.bytes + at - 1, *length);
            *resolved_type = type_of(kind);
            error = NMERR_SUCCESS;
        }
    }
    captures_release(k);
    return error;
}

static DWORD get_address(HFRAME hFrame, LPADDRESS2 lpAddress, DWORD AddressType, DWORD Flags,
                         int source)
{
    uint32_t offset, length;
    uint8_t bytes[16];
    DWORD type;
    DWORD error = frame_address(hFrame, AddressType, source, &offset, &length, bytes, &type);
    if (error == NMERR_INVALID_HFRAME)
        return error;
    if (!lpAddress)                      /* a caller's mistake, whether the address exists */
        return NMERR_INVALID_PARAMETER;
    if (error != NMERR_SUCCESS)
        return error;
    if (type == ADDRESS_TYPE_ETHERNET && (Flags & ADDRESSTYPE_FLAGS_NORMALIZE))
        bytes[0] &= (uint8_t)~1u;        /* the routing (source) or group (destination) bit */
    /* Only Type and the address bytes are written: an ADDRESS (16 bytes, no IPv6) buffer of
     * an older caller holds them too. */
    lpAddress->Type = type;
    memcpy(lpAddress->IP6Address, bytes, length);
    return NMERR_SUCCESS;
}

DWORD WINAPI NATIVE(GetFrameSourceAddress)(HFRAME hFrame, LPADDRESS2 lpAddress,
                                           DWORD AddressType, DWORD Flags)
{
    return get_address(hFrame, lpAddress, AddressType, Flags, 1);
}
NATIVE_AGREES(GetFrameSourceAddress);

DWORD WINAPI NATIVE(GetFrameDestAddress)(HFRAME hFrame, LPADDRESS2 lpAddress,
                                         DWORD AddressType, DWORD Flags)
{
    return get_address(hFrame, lpAddress, AddressType, Flags, 0);
}
NATIVE_AGREES(GetFrameDestAddress);

static DWORD address_offset(HFRAME hFrame, DWORD AddressType, LPDWORD AddressLength,
                            int source)
{
    uint32_t offset, length;
    uint8_t bytes[16];
    DWORD type;
    if (AddressType == ADDRESS_TYPE_FIND_HIGHEST ||
        frame_address(hFrame, AddressType, source, &offset, &length, bytes, &type))
        return (DWORD)-1;
    if (AddressLength)
        *AddressLength = length;
    return offset;
}

DWORD WINAPI NATIVE(GetFrameSrcAddressOffset)(HFRAME hFrame, DWORD AddressType,
                                              LPDWORD AddressLength)
{
    return address_offset(hFrame, AddressType, AddressLength, 1);
}
NATIVE_AGREES(GetFrameSrcAddressOffset);

DWORD WINAPI NATIVE(GetFrameDstAddressOffset)(HFRAME hFrame, DWORD AddressType,
                                              LPDWORD AddressLength)
{
    return address_offset(hFrame, AddressType, AddressLength, 0);
}
NATIVE_AGREES(GetFrameDstAddressOffset);

/* The caller's address, read once with nothing held; 0 for a type the recogniser does not
 * see. */
static int given_address(const ADDRESS2 *a, DWORD *type, uint8_t bytes[16], uint32_t *length)
{
    *type = a->Type;
    *length = *type == ADDRESS_TYPE_IP ? 4 : *type == ADDRESS_TYPE_IP6 ? 16
            : *type == ADDRESS_TYPE_ETHERNET || *type == ADDRESS_TYPE_TOKENRING ||
              *type == ADDRESS_TYPE_FDDI ? 6 : 0;
    if (!*length)
        return 0;
    memcpy(bytes, a->IP6Address, *length);
    return 1;
}

static WINBOOL compare_address(HFRAME hFrame, LPADDRESS2 lpAddress, int source)
{
    DWORD type, found_type;
    uint8_t want[16], got[16];
    uint32_t length, offset, found_length;
    if (!lpAddress || !given_address(lpAddress, &type, want, &length))
        return FALSE;
    if (frame_address(hFrame, type, source, &offset, &found_length, got, &found_type))
        return FALSE;
    return found_length == length && memcmp(want, got, length) == 0;
}

WINBOOL WINAPI NATIVE(CompareFrameSourceAddress)(HFRAME hFrame, LPADDRESS2 lpAddress)
{
    return compare_address(hFrame, lpAddress, 1);
}
NATIVE_AGREES(CompareFrameSourceAddress);

WINBOOL WINAPI NATIVE(CompareFrameDestAddress)(HFRAME hFrame, LPADDRESS2 lpAddress)
{
    return compare_address(hFrame, lpAddress, 0);
}
NATIVE_AGREES(CompareFrameDestAddress);

DWORD WINAPI NATIVE(GetProtocolStartOffset)(HFRAME hFrame, LPSTR ProtocolName)
{
    int p = protocol_of_name(ProtocolName);
    struct served_frame f;
    struct expert_key *k;
    if (p < 0 || read_frame(hFrame, &f, NULL, &k, NULL))
        return (DWORD)-1;
    captures_release(k);
    return dissect_has(&f.d, (enum proto)p) ? f.d.offset[p] : (DWORD)-1;
}
NATIVE_AGREES(GetProtocolStartOffset);

/* FindNextFrame and FindPreviousFrame: the nearest frame after (before) hCurrentFrame, no
 * further than `limit` and MAXLOOKBACK frames from OriginalFrameNumber, that carries the
 * protocol and, when given, the destination and source addresses. */
#define MAXLOOKBACK 1000
static HFRAME find_frame(HFRAME hCurrentFrame, LPSTR ProtocolName, LPADDRESS2 lpDest,
                         LPADDRESS2 lpSrc, LPWORD ProtocolOffset, DWORD original,
                         DWORD limit, int forward)
{
    int p = protocol_of_name(ProtocolName);
    DWORD dtype = 0, stype = 0;
    uint8_t dbytes[16], sbytes[16];
    uint32_t dlen = 0, slen = 0;
    if (p < 0 || (lpDest && !given_address(lpDest, &dtype, dbytes, &dlen)) ||
        (lpSrc && !given_address(lpSrc, &stype, sbytes, &slen)))
        return NULL;
    uint32_t n;
    struct expert_key *k;
    struct open_capture *c = captures_acquire_frame(hCurrentFrame, &n, &k);
    if (!c)
        return NULL;
    uint64_t last = c->file.count ? c->file.count - 1 : 0;
    if (forward) {
        uint64_t window = (uint64_t)(original == (DWORD)-1 ? n : original) + MAXLOOKBACK;
        if (limit < last) last = limit;
        if (window < last) last = window;
    } else {
        uint64_t floor = original == (DWORD)-1 || original < MAXLOOKBACK ? 0
                                                                         : original - MAXLOOKBACK;
        last = limit > floor ? limit : floor;
    }
    HFRAME found = NULL;
    WORD offset = 0;
    for (uint64_t i = n; found == NULL; ) {
        if (forward ? i >= last : i <= last)
            break;
        i = forward ? i + 1 : i - 1;
        struct served_frame f;
        if (captures_read(c, (uint32_t)i, NULL, NULL, &f) != NMERR_SUCCESS)
            break;
        if (!dissect_has(&f.d, (enum proto)p))
            continue;
        struct filter_address a;
        uint32_t src, dst, length;
        if (lpDest) {
            a.type = (uint8_t)(dtype == ADDRESS_TYPE_IP ? FA_IP4 : dtype == ADDRESS_TYPE_IP6 ? FA_IP6 : FA_MAC);
            if (!filter_address_at(&f.d, a.type, &src, &dst, &length) || !dst ||
                length != dlen || memcmp(f.bytes + dst - 1, dbytes, dlen))
                continue;
        }
        if (lpSrc) {
            a.type = (uint8_t)(stype == ADDRESS_TYPE_IP ? FA_IP4 : stype == ADDRESS_TYPE_IP6 ? FA_IP6 : FA_MAC);
            if (!filter_address_at(&f.d, a.type, &src, &dst, &length) || !src ||
                length != slen || memcmp(f.bytes + src - 1, sbytes, slen))
                continue;
        }
        found = captures_frame_handle(c, (uint32_t)i);
        offset = f.d.offset[p];
    }
    captures_release(k);
    if (found && ProtocolOffset)
        *ProtocolOffset = offset;
    return found;
}

HFRAME WINAPI NATIVE(FindNextFrame)(HFRAME hCurrentFrame, LPSTR ProtocolName,
                                    LPADDRESS2 lpDestAddress, LPADDRESS2 lpSrcAddress,
                                    LPWORD ProtocolOffset, DWORD OriginalFrameNumber,
                                    DWORD nHighestFrame)
{
    return find_frame(hCurrentFrame, ProtocolName, lpDestAddress, lpSrcAddress, ProtocolOffset,
                      OriginalFrameNumber, nHighestFrame, 1);
}
NATIVE_AGREES(FindNextFrame);

HFRAME WINAPI NATIVE(FindPreviousFrame)(HFRAME hCurrentFrame, LPSTR ProtocolName,
                                        LPADDRESS2 lpDstAddress, LPADDRESS2 lpSrcAddress,
                                        LPWORD ProtocolOffset, DWORD OriginalFrameNumber,
                                        DWORD nLowestFrame)
{
    return find_frame(hCurrentFrame, ProtocolName, lpDstAddress, lpSrcAddress, ProtocolOffset,
                      OriginalFrameNumber, nLowestFrame, 0);
}
NATIVE_AGREES(FindPreviousFrame);
