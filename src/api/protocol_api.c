/*
 * protocol_api.c - GetProtocolFromName, GetProtocolInfo, GetEnabledProtocols over the
 * built-in recogniser's protocol table (protocols.h).
 */
#include "protocols.h"

#include <stddef.h>
#include <string.h>

#include "captures.h"
#include "native.h"

#define PROTOCOL(id, name, comment) { id, NULL, name, "", comment }
static const PROTOCOLINFO table[PROTO_COUNT] = {
    [PROTO_ETHERNET] = PROTOCOL(1, "ETHERNET", "Ethernet II and IEEE 802.3"),
    [PROTO_LLC]      = PROTOCOL(2, "LLC", "IEEE 802.2 logical link control"),
    [PROTO_SNAP]     = PROTOCOL(3, "SNAP", "Subnetwork access protocol"),
    [PROTO_VLAN]     = PROTOCOL(4, "VLAN", "IEEE 802.1Q and 802.1ad VLAN tag"),
    [PROTO_ARP]      = PROTOCOL(5, "ARP", "Address resolution protocol"),
    [PROTO_IP]       = PROTOCOL(6, "IP", "Internet protocol version 4"),
    [PROTO_IP6]      = PROTOCOL(7, "IP6", "Internet protocol version 6"),
    [PROTO_ICMP]     = PROTOCOL(8, "ICMP", "Internet control message protocol"),
    [PROTO_ICMP6]    = PROTOCOL(9, "ICMP6", "ICMP for IPv6"),
    [PROTO_TCP]      = PROTOCOL(10, "TCP", "Transmission control protocol"),
    [PROTO_UDP]      = PROTOCOL(11, "UDP", "User datagram protocol"),
    [PROTO_DNS]      = PROTOCOL(12, "DNS", "Domain name system (TCP and UDP port 53)"),
    [PROTO_DHCP]     = PROTOCOL(13, "DHCP", "Dynamic host configuration (UDP ports 67, 68)"),
    [PROTO_HTTP]     = PROTOCOL(14, "HTTP", "Hypertext transfer (TCP ports 80, 8080)"),
};

/* Other names Network Monitor and its users give the same protocols. */
static const struct { const char *name; enum proto p; } aliases[] = {
    { "ETHER", PROTO_ETHERNET }, { "ARP_RARP", PROTO_ARP }, { "IPV4", PROTO_IP },
    { "IPV6", PROTO_IP6 }, { "ICMPV6", PROTO_ICMP6 }, { "BOOTP", PROTO_DHCP },
    { "802.1Q", PROTO_VLAN },
};

static const struct {
    DWORD nProtocols;
    HPROTOCOL hProtocol[PROTO_COUNT];
} enabled = { PROTO_COUNT, {
    (HPROTOCOL)&table[0], (HPROTOCOL)&table[1], (HPROTOCOL)&table[2], (HPROTOCOL)&table[3],
    (HPROTOCOL)&table[4], (HPROTOCOL)&table[5], (HPROTOCOL)&table[6], (HPROTOCOL)&table[7],
    (HPROTOCOL)&table[8], (HPROTOCOL)&table[9], (HPROTOCOL)&table[10], (HPROTOCOL)&table[11],
    (HPROTOCOL)&table[12], (HPROTOCOL)&table[13] } };
_Static_assert(PROTO_COUNT == 14, "the enabled table lists every protocol");
_Static_assert(offsetof(__typeof__(enabled), hProtocol) == offsetof(PROTOCOLTABLE, hProtocol),
               "the enabled table has PROTOCOLTABLE's layout");

int protocol_of_handle(HPROTOCOL h)
{
    uintptr_t v = (uintptr_t)h, first = (uintptr_t)&table[0];
    if (v < first || v >= first + sizeof table || (v - first) % sizeof table[0])
        return -1;
    return (int)((v - first) / sizeof table[0]);
}

HPROTOCOL protocol_handle(enum proto p) { return (HPROTOCOL)&table[p]; }

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        if (x != *b)
            return 0;
    }
    return *a == *b;
}

int protocol_of_name(const char *name)
{
    char copy[32];
    size_t n = 0;
    if (!name)
        return -1;
    while (n < sizeof copy - 1 && name[n])     /* the caller's memory, read once */
        copy[n] = name[n], n++;
    if (name[n])
        return -1;
    copy[n] = '\0';
    for (int p = 0; p < PROTO_COUNT; p++)
        if (same_name(copy, (const char *)table[p].ProtocolName))
            return p;
    for (size_t a = 0; a < sizeof aliases / sizeof *aliases; a++)
        if (same_name(copy, aliases[a].name))
            return aliases[a].p;
    return -1;
}

HPROTOCOL WINAPI NATIVE(GetProtocolFromName)(LPSTR ProtocolName)
{
    int p = protocol_of_name(ProtocolName);
    return p < 0 ? NULL : protocol_handle((enum proto)p);
}
NATIVE_AGREES(GetProtocolFromName);

LPPROTOCOLINFO WINAPI NATIVE(GetProtocolInfo)(HPROTOCOL hProtocol)
{
    int p = protocol_of_handle(hProtocol);
    return p < 0 ? NULL : (LPPROTOCOLINFO)&table[p];
}
NATIVE_AGREES(GetProtocolInfo);

LPPROTOCOLTABLE WINAPI NATIVE(GetEnabledProtocols)(HCAPTURE hCapture)
{
    struct expert_key *k;
    if (!captures_acquire(hCapture, &k))
        return NULL;
    captures_release(k);
    return (LPPROTOCOLTABLE)&enabled;
}
NATIVE_AGREES(GetEnabledProtocols);
