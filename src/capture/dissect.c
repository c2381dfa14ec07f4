/*
 * dissect.c - see dissect.h. One function per layer, each told where its header starts and
 * how many bytes the frame has; each checks its header fits before reading it.
 */
#include "dissect.h"

#include <string.h>

#include "capture_file.h"

#define ETHERTYPE_IP   0x0800
#define ETHERTYPE_ARP  0x0806
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88A8
#define ETHERTYPE_IP6  0x86DD

struct cursor {
    const uint8_t *p;
    uint32_t n;                  /* stored bytes; the frame ends there */
    struct dissection *d;
    int inner;                   /* inside an ICMP error's quoted datagram */
};

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void found(struct cursor *c, enum proto p, uint32_t at)
{
    if (!dissect_has(c->d, p)) {
        c->d->present |= 1u << p;
        c->d->offset[p] = (uint16_t)(at > 0xFFFF ? 0xFFFF : at);
    }
}

static int has_port(uint16_t a, uint16_t b, uint16_t port) { return a == port || b == port; }

static void ipv4(struct cursor *c, uint32_t at);
static void ipv6(struct cursor *c, uint32_t at);

/* ICMP errors quote the datagram that caused them after their 8-byte header: its IP header and
 * at least the first 8 bytes of its payload (the ports). Recognised once, not inside a quote. */
static void quoted_datagram(struct cursor *c, int version, uint32_t at, uint32_t end)
{
    if (c->inner || end - at < 8)
        return;
    struct cursor quote = { c->p, end, c->d, 1 };
    if (version == 4)
        ipv4(&quote, at + 8);
    else
        ipv6(&quote, at + 8);
}

static void transport(struct cursor *c, uint8_t protocol, uint32_t at, uint32_t end)
{
    if (protocol == 1) {
        found(c, PROTO_ICMP, at);
        uint8_t type = end - at >= 1 ? c->p[at] : 0;
        if (type == 3 || type == 4 || type == 5 || type == 11 || type == 12)
            quoted_datagram(c, 4, at, end);
    } else if (protocol == 58) {
        found(c, PROTO_ICMP6, at);
        if (end - at >= 1 && c->p[at] >= 1 && c->p[at] <= 4)
            quoted_datagram(c, 6, at, end);
    } else if (protocol == 6 && end - at >= (c->inner ? 8u : 20u)) {
        uint32_t header = end - at >= 20 ? (uint32_t)(c->p[at + 12] >> 4) * 4 : 0;
        if (header < 20 && !c->inner)
            return;
        found(c, PROTO_TCP, at);
        uint16_t s = be16(c->p + at), t = be16(c->p + at + 2);
        if (!c->inner) {
            c->d->port_src = s;
            c->d->port_dst = t;
        }
        if (header < 20 || end - at <= header)
            return;                    /* no payload */
        if (has_port(s, t, 80) || has_port(s, t, 8080))
            found(c, PROTO_HTTP, at + header);
        else if (has_port(s, t, 53))
            found(c, PROTO_DNS, at + header);
    } else if (protocol == 17 && end - at >= 8) {
        found(c, PROTO_UDP, at);
        uint16_t s = be16(c->p + at), t = be16(c->p + at + 2);
        if (!c->inner) {
            c->d->port_src = s;
            c->d->port_dst = t;
        }
        if (end - at <= 8)
            return;
        if (has_port(s, t, 53))
            found(c, PROTO_DNS, at + 8);
        else if (has_port(s, t, 67) || has_port(s, t, 68))
            found(c, PROTO_DHCP, at + 8);
    }
}

static void ipv4(struct cursor *c, uint32_t at)
{
    if (c->n - at < 20 || c->p[at] >> 4 != 4)
        return;
    uint32_t header = (uint32_t)(c->p[at] & 0x0F) * 4;
    if (header < 20 || c->n - at < header)
        return;
    found(c, PROTO_IP, at);
    if (!c->d->ip_version) {
        c->d->ip_version = 4;
        c->d->ip_src = (uint16_t)(at + 12);
        c->d->ip_dst = (uint16_t)(at + 16);
    }
    uint32_t total = be16(c->p + at + 2), end = c->n;
    if (total >= header && total < c->n - at)
        end = at + total;            /* Ethernet padding is not payload */
    uint16_t fragment = be16(c->p + at + 6);
    if (fragment & 0x3FFF)             /* more fragments, or not the first */
        return;
    transport(c, c->p[at + 9], at + header, end);
}

static void ipv6(struct cursor *c, uint32_t at)
{
    if (c->n - at < 40 || c->p[at] >> 4 != 6)
        return;
    found(c, PROTO_IP6, at);
    if (!c->d->ip_version) {
        c->d->ip_version = 6;
        c->d->ip_src = (uint16_t)(at + 8);
        c->d->ip_dst = (uint16_t)(at + 24);
    }
    uint32_t payload = be16(c->p + at + 4), end = c->n;
    if (payload < c->n - at - 40)
        end = at + 40 + payload;
    uint8_t next = c->p[at + 6];
    uint32_t cur = at + 40;
    for (int hops = 0; hops < 16; hops++) {
        if (next == 0 || next == 43 || next == 60 || next == 135) {
            if (end - cur < 8 || end < cur)
                return;
            uint32_t len = ((uint32_t)c->p[cur + 1] + 1) * 8;
            next = c->p[cur];
            cur += len;
        } else if (next == 51) {      /* authentication header: length in 4-byte units + 2 */
            if (end - cur < 8 || end < cur)
                return;
            uint32_t len = ((uint32_t)c->p[cur + 1] + 2) * 4;
            next = c->p[cur];
            cur += len;
        } else if (next == 44) {      /* fragment header */
            if (end - cur < 8 || end < cur)
                return;
            if (be16(c->p + cur + 2) & 0xFFF9)   /* offset or more-fragments */
                return;
            next = c->p[cur];
            cur += 8;
        } else {
            break;
        }
        if (cur > end)
            return;
    }
    transport(c, next, cur, end);
}

static void network(struct cursor *c, uint16_t ethertype, uint32_t at)
{
    if (at > c->n)
        return;
    if (ethertype == ETHERTYPE_IP)
        ipv4(c, at);
    else if (ethertype == ETHERTYPE_IP6)
        ipv6(c, at);
    else if (ethertype == ETHERTYPE_ARP && c->n - at >= 8)
        found(c, PROTO_ARP, at);
}

/* After an Ethernet (or SLL) type field: VLAN tags, then the network layer. */
static void ethertype_at(struct cursor *c, uint16_t type, uint32_t at)
{
    for (int tags = 0; (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && tags < 8; tags++) {
        if (c->n - at < 4)
            return;
        found(c, PROTO_VLAN, at);
        type = be16(c->p + at + 2);
        at += 4;
    }
    network(c, type, at);
}

/* 802.2 LLC at `at`, with SNAP when its SAPs say so. */
static void llc(struct cursor *c, uint32_t at)
{
    if (c->n - at < 3)
        return;
    found(c, PROTO_LLC, at);
    if (c->p[at] == 0xAA && c->p[at + 1] == 0xAA && c->p[at + 2] == 0x03 && c->n - at >= 8) {
        found(c, PROTO_SNAP, at + 3);
        ethertype_at(c, be16(c->p + at + 6), at + 8);
    }
}

static void ethernet(struct cursor *c)
{
    if (c->n < 14)
        return;
    struct dissection *d = c->d;
    found(c, PROTO_ETHERNET, 0);
    d->mac_header = 14;
    d->has_mac_dst = d->has_mac_src = 1;
    d->mac_dst = 0;
    d->mac_src = 6;
    uint16_t type = be16(c->p + 12);
    if (type <= 1500)
        llc(c, 14);
    else
        ethertype_at(c, type, 14);
}

static void ieee802_11(struct cursor *c, uint32_t at)
{
    if (c->n - at < 24 || at > c->n)
        return;
    uint8_t fc0 = c->p[at], fc1 = c->p[at + 1], type = (fc0 >> 2) & 3;
    int order = fc1 & 0x80;        /* +HTC: a 4-byte HT control field (management, QoS data) */
    struct dissection *d = c->d;
    if (type == 0) {               /* management: DA, SA, BSSID */
        d->mac_header = (uint16_t)(at + 24 + (order ? 4 : 0));
        d->has_mac_dst = d->has_mac_src = 1;
        d->mac_dst = (uint16_t)(at + 4);
        d->mac_src = (uint16_t)(at + 10);
        return;
    }
    if (type != 2)                 /* control frames carry receiver/transmitter addresses */
        return;
    int to_ds = fc1 & 1, from_ds = (fc1 >> 1) & 1, qos = fc0 & 0x80;
    uint32_t header = 24 + (to_ds && from_ds ? 6 : 0) + (qos ? 2 : 0) + (qos && order ? 4 : 0);
    d->mac_header = (uint16_t)(at + header);
    d->has_mac_dst = d->has_mac_src = 1;
    d->mac_dst = (uint16_t)(at + (to_ds ? 16 : 4));
    d->mac_src = (uint16_t)(at + (to_ds && from_ds ? 24 : from_ds ? 16 : 10));
    if ((fc1 & 0x40) || (fc0 & 0x40) || c->n - at < header)
        return;                    /* protected (encrypted body), or a subtype with no data */
    llc(c, at + header);
}

void dissect(uint32_t link, const uint8_t *frame, uint32_t n, struct dissection *d)
{
    memset(d, 0, sizeof *d);
    struct cursor c = { frame, n, d, 0 };
    switch (link) {
    case CAP_LINK_ETHERNET:
        ethernet(&c);
        break;
    case CAP_LINK_LINUX_SLL:
        if (n >= 16) {
            d->mac_header = 16;
            if (be16(frame + 4) == 6) {
                d->has_mac_src = 1;
                d->mac_src = 6;
            }
            ethertype_at(&c, be16(frame + 14), 16);
        }
        break;
    case CAP_LINK_LINUX_SLL2:
        if (n >= 20) {
            d->mac_header = 20;
            if (frame[11] == 6) {
                d->has_mac_src = 1;
                d->mac_src = 12;
            }
            ethertype_at(&c, be16(frame), 20);
        }
        break;
    case CAP_LINK_RAW:
    case CAP_LINK_IPV4:
    case CAP_LINK_IPV6:
        if (n >= 1)
            network(&c, frame[0] >> 4 == 6 ? ETHERTYPE_IP6 : ETHERTYPE_IP, 0);
        break;
    case CAP_LINK_NULL:
    case CAP_LINK_LOOP:
        if (n >= 4) {
            /* The family is in the writer's byte order (null) or network order (loop):
             * either way it is a small number in one end of the word. */
            uint32_t family = frame[0] | frame[3];
            d->mac_header = 4;
            network(&c, family == 2 ? ETHERTYPE_IP
                      : family == 24 || family == 28 || family == 30 ? ETHERTYPE_IP6 : 0, 4);
        }
        break;
    case CAP_LINK_IEEE802_11:
        ieee802_11(&c, 0);
        break;
    case CAP_LINK_RADIOTAP:
        if (n >= 4)
            ieee802_11(&c, (uint32_t)(frame[2] | frame[3] << 8));
        break;
    default:
        break;
    }
}
