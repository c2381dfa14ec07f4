/*
 * dissect.h - the built-in protocol recogniser: which protocols a frame carries, where each
 * starts, and the frame's link, network and transport addresses. It reads only the frame's
 * stored bytes and never past them; a header cut short ends the recognition there (the
 * protocols before it are still reported).
 *
 * Recognised (enum proto): Ethernet II and 802.3 (with LLC, and SNAP), 802.1Q/802.1ad VLAN
 * tags, ARP, IPv4 (a fragment is IP only: its payload is not recognised), IPv6 with its
 * extension headers (likewise for fragments), ICMP, ICMPv6, TCP, UDP, and by port DNS
 * (TCP/UDP 53), DHCP (UDP 67/68) and HTTP (TCP 80/8080 with payload: each segment on its own,
 * no reassembly). The datagram an ICMP or ICMPv6 error quotes is recognised too (its IP and
 * transport; the addresses and ports stay the outer packet's). Links: Ethernet, Linux
 * cooked (v1, v2), raw IP, BSD loopback (null, loop), 802.11 plain and behind radiotap (the
 * addresses of management and data frames, protected ones too; the LLC/SNAP payload of
 * unprotected data frames).
 */
#ifndef NMAPI_DISSECT_H
#define NMAPI_DISSECT_H

#include <stdint.h>

enum proto {
    PROTO_ETHERNET,
    PROTO_LLC,
    PROTO_SNAP,
    PROTO_VLAN,
    PROTO_ARP,
    PROTO_IP,
    PROTO_IP6,
    PROTO_ICMP,
    PROTO_ICMP6,
    PROTO_TCP,
    PROTO_UDP,
    PROTO_DNS,
    PROTO_DHCP,
    PROTO_HTTP,
    PROTO_COUNT
};

struct dissection {
    uint32_t present;             /* 1u << enum proto for each protocol found */
    uint16_t offset[PROTO_COUNT]; /* where each present protocol's header starts */
    uint16_t mac_header;          /* bytes of the link header (0: none, raw IP) */
    uint8_t has_mac_src, has_mac_dst;
    uint16_t mac_src, mac_dst;    /* offsets of 6-byte MAC addresses */
    uint8_t ip_version;           /* 4 or 6 for the outermost IP header, else 0 */
    uint16_t ip_src, ip_dst;      /* offsets of its addresses (4 or 16 bytes) */
    uint16_t port_src, port_dst;  /* TCP or UDP ports, when present */
};

/* Recognises the n stored bytes of a frame of link type `link` (CAP_LINK_*). */
void dissect(uint32_t link, const uint8_t *frame, uint32_t n, struct dissection *d);

static inline int dissect_has(const struct dissection *d, enum proto p)
{
    return (d->present >> p) & 1u;
}

#endif
