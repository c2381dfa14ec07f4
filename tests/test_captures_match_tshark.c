/*
 * test_captures_match_tshark.c - what the runtime serves from capture files made by
 * Wireshark's tools equals what tshark sees in them, frame by frame: the frame count, each
 * frame's lengths and time, the protocols the recogniser reports, its MAC, IPv4 and IPv6
 * addresses; and the frames ExpertGetFrame serves through display filters built from
 * FILTEROBJECTs equal those tshark's display filters select. Every format: libpcap
 * (microseconds, nanoseconds, big-endian), pcapng (one link type; three), Network Monitor
 * 2.0 and 1.1; 802.11, radiotap and Linux cooked v2 links; and real loopback traffic dumpcap captured, in pcapng, pcap and netmon2. The files and tshark's answers come from tests/captures/make_captures.sh
 * (the captures fixture), in the folder given as the program's argument.
 */
#include "capture_fixture.h"

struct capture_case {
    const char *file;
    const char *filters;     /* the file whose .frames lists hold tshark's selections */
    const char *comment;     /* the capture's comment, as make_captures.sh wrote it */
};

/* --- tshark's answers ------------------------------------------------------------------- */

enum { F_NUMBER, F_EPOCH, F_LEN, F_CAPLEN, F_PROTOCOLS, F_ETH_SRC, F_ETH_DST, F_IP_SRC,
       F_IP_DST, F_IP6_SRC, F_IP6_DST, F_TCP_SRC, F_TCP_DST, F_UDP_SRC, F_UDP_DST, F_TCP_LEN,
       F_WLAN_SA, F_WLAN_DA, F_SLL_SRC, F_COUNT };

struct oracle_frame { char field[F_COUNT][64]; };

static char *path_of(const char *name, const char *suffix)
{
    static char buf[4][MAX_PATH];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, MAX_PATH, "%s/%s%s", fixture_folder, name, suffix);
    return p;
}

/* The lines of F.fields, split at tabs. */
static struct oracle_frame *read_fields(const char *file, DWORD *count)
{
    FILE *f = fopen(path_of(file, ".fields"), "r");
    assert_non_null(f);
    size_t capacity = 4096, n = 0;
    struct oracle_frame *frames = calloc(capacity, sizeof *frames);
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        if (n == capacity)
            frames = realloc(frames, (capacity *= 2) * sizeof *frames);
        memset(&frames[n], 0, sizeof frames[n]);
        char *at = line;
        for (int i = 0; i < F_COUNT; i++) {
            size_t len = strcspn(at, "\t\r\n");
            snprintf(frames[n].field[i], sizeof frames[n].field[i], "%.*s", (int)len, at);
            at += len;
            if (*at != '\t')
                break;
            at++;
        }
        n++;
    }
    fclose(f);
    *count = (DWORD)n;
    return frames;
}

static int has_protocol(const struct oracle_frame *o, const char *name)
{
    const char *p = o->field[F_PROTOCOLS];
    size_t len = strlen(name);
    while (*p) {
        size_t token = strcspn(p, ":");
        if (token == len && strncmp(p, name, len) == 0)
            return 1;
        p += token + (p[token] == ':');
    }
    return 0;
}

/* --- frames --------------------------------------------------------------------------- */

static const struct { const char *ours, *tshark; } protocol_names[] = {
    { "ETHERNET", "eth" }, { "LLC", "llc" }, { "VLAN", "vlan" }, { "ARP", "arp" },
    { "IP", "ip" }, { "IP6", "ipv6" }, { "ICMP", "icmp" }, { "ICMP6", "icmpv6" },
    { "TCP", "tcp" }, { "UDP", "udp" }, { "DNS", "dns" }, { "DHCP", "dhcp" },
    { "HTTP", "http" },
};

static void parse_mac(const char *text, BYTE out[6])
{
    unsigned b[6];
    assert_int_equal(sscanf(text, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]), 6);
    for (int i = 0; i < 6; i++)
        out[i] = (BYTE)b[i];
}

static void parse_ip(const char *text, BYTE out[4])
{
    unsigned b[4];
    assert_int_equal(sscanf(text, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]), 4);
    for (int i = 0; i < 4; i++)
        out[i] = (BYTE)b[i];
}

/* An IPv6 address as tshark prints it (with ::). */
static void parse_ip6(const char *text, BYTE out[16])
{
    unsigned groups[8] = { 0 };
    int before = 0, after = 0;
    unsigned tail[8];
    const char *p = text;
    int in_tail = 0;
    while (*p) {
        if (p[0] == ':' && p[1] == ':') {
            in_tail = 1;
            p += 2;
            continue;
        }
        if (*p == ':') {
            p++;
            continue;
        }
        unsigned v = (unsigned)strtoul(p, (char **)&p, 16);
        if (in_tail)
            tail[after++] = v;
        else
            groups[before++] = v;
    }
    for (int i = 0; i < after; i++)
        groups[8 - after + i] = tail[i];
    for (int i = 0; i < 8; i++) {
        out[2 * i] = (BYTE)(groups[i] >> 8);
        out[2 * i + 1] = (BYTE)groups[i];
    }
}

static void check_address(HFRAME h, const char *text, DWORD type, int source, DWORD n)
{
    ADDRESS2 got;
    DWORD (WINAPI *get)(HFRAME, LPADDRESS2, DWORD, DWORD) =
        source ? GetFrameSourceAddress : GetFrameDestAddress;
    assert_int_equal(get(h, NULL, type, 0), NMERR_INVALID_PARAMETER);
    if (!text[0]) {                       /* tshark sees none: neither do we */
        if (get(h, &got, type, 0) != NMERR_PROTOCOL_NOT_FOUND)
            print_error("frame %lu: a %s address of type %lu tshark does not see\n",
                        (unsigned long)n, source ? "source" : "destination", (unsigned long)type);
        assert_int_equal(get(h, &got, type, 0), NMERR_PROTOCOL_NOT_FOUND);
        return;
    }
    BYTE want[16];
    size_t length = type == ADDRESS_TYPE_ETHERNET ? 6 : type == ADDRESS_TYPE_IP ? 4 : 16;
    if (type == ADDRESS_TYPE_ETHERNET)
        parse_mac(text, want);
    else if (type == ADDRESS_TYPE_IP)
        parse_ip(text, want);
    else
        parse_ip6(text, want);
    memset(&got, 0, sizeof got);
    DWORD error = get(h, &got, type, 0);
    if (error != NMERR_SUCCESS || memcmp(got.IP6Address, want, length))
        print_error("frame %lu: %s address of type %lu is not %s\n", (unsigned long)n,
                    source ? "source" : "destination", (unsigned long)type, text);
    assert_int_equal(error, NMERR_SUCCESS);
    assert_int_equal(got.Type, type);
    assert_memory_equal(got.IP6Address, want, length);
    ADDRESS2 probe = got;
    assert_true(source ? CompareFrameSourceAddress(h, &probe) : CompareFrameDestAddress(h, &probe));
}

/* tshark's epoch time "s.fffffffff" in microseconds (truncated). */
static LONGLONG epoch_us(const char *text)
{
    LONGLONG seconds = 0, fraction = 0;
    int digits = 0;
    const char *p = text;
    while (*p >= '0' && *p <= '9')
        seconds = seconds * 10 + (*p++ - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 6)
                fraction = fraction * 10 + (*p - '0');
    for (; digits < 6; digits++)
        fraction *= 10;
    return seconds * 1000000 + fraction;
}

static void test_frames_match_tshark(void **state)
{
    const struct capture_case *c = *state;
    DWORD expected;
    struct oracle_frame *oracle = read_fields(c->file, &expected);
    HCAPTURE h = fixture_open(c->file);
    assert_int_equal(GetCaptureTotalFrames(h), expected);
    EXPERTHOSTCAPTUREINFO info = { .cbSize = sizeof info };
    assert_int_equal(ExpertHostQueryCapture(h, &info), NMERR_SUCCESS);
    assert_int_equal(info.TotalFrames, expected);
    assert_int_equal(info.Damage, EXPERTHOST_DAMAGE_NONE);
    assert_true(info.IndexBytes <= 16ull * expected);
    LONGLONG start_us = (info.StartTime - 116444736000000000LL) / 10;
    assert_non_null(GetCaptureTimeStamp(h));
    if (c->comment)
        assert_string_equal(GetCaptureComment(h), c->comment);
    else
        assert_null(GetCaptureComment(h));
    for (DWORD n = 0; n < expected; n++) {
        const struct oracle_frame *o = &oracle[n];
        HFRAME f = GetFrame(h, n);
        assert_non_null(f);
        assert_int_equal(GetFrameNumber(f), n);
        assert_ptr_equal(GetFrameCaptureHandle(f), h);
        assert_int_equal(GetFrameLength(f), strtoul(o->field[F_LEN], NULL, 10));
        assert_int_equal(GetFrameStoredLength(f), strtoul(o->field[F_CAPLEN], NULL, 10));
        __int64 t = GetFrameTimeStamp(f);
        if (start_us + t != epoch_us(o->field[F_EPOCH]))
            print_error("%s frame %lu: %lld us, tshark %s\n", c->file, (unsigned long)n,
                        (long long)(start_us + t), o->field[F_EPOCH]);
        assert_int_equal(start_us + t, epoch_us(o->field[F_EPOCH]));
        ULPFRAME frame = GetFrameFromFrameHandle(f);
        assert_non_null(frame);
        assert_int_equal(frame->TimeStamp, t);
        assert_int_equal(frame->FrameLength, GetFrameLength(f));
        assert_int_equal(frame->nBytesAvail, GetFrameStoredLength(f));
        for (size_t p = 0; p < sizeof protocol_names / sizeof *protocol_names; p++) {
            int ours = GetProtocolStartOffset(f, (LPSTR)protocol_names[p].ours) != (DWORD)-1;
            int theirs = has_protocol(o, protocol_names[p].tshark);
            if (ours != theirs)
                print_error("%s frame %lu: %s %s, tshark: %s\n", c->file, (unsigned long)n,
                            protocol_names[p].ours, ours ? "found" : "not found",
                            o->field[F_PROTOCOLS]);
            assert_int_equal(ours, theirs);
        }
        /* The link's MAC addresses: Ethernet's, 802.11's (source and destination, whatever
         * the DS bits), Linux cooked's (the sender's). */
        const char *mac_src = o->field[F_ETH_SRC][0]  ? o->field[F_ETH_SRC]
                            : o->field[F_WLAN_SA][0] ? o->field[F_WLAN_SA] : o->field[F_SLL_SRC];
        const char *mac_dst = o->field[F_ETH_DST][0] ? o->field[F_ETH_DST] : o->field[F_WLAN_DA];
        check_address(f, mac_src, ADDRESS_TYPE_ETHERNET, 1, n);
        check_address(f, mac_dst, ADDRESS_TYPE_ETHERNET, 0, n);
        check_address(f, o->field[F_IP_SRC], ADDRESS_TYPE_IP, 1, n);
        check_address(f, o->field[F_IP_DST], ADDRESS_TYPE_IP, 0, n);
        check_address(f, o->field[F_IP6_SRC], ADDRESS_TYPE_IP6, 1, n);
        check_address(f, o->field[F_IP6_DST], ADDRESS_TYPE_IP6, 0, n);
    }
    assert_null(GetFrame(h, expected));
    assert_int_equal(ExpertHostCloseCapture(h, NULL), NMERR_SUCCESS);
    free(oracle);
}

/* --- filters -------------------------------------------------------------------------- */

static ADDRESS2 ip(BYTE a, BYTE b, BYTE c, BYTE d)
{
    ADDRESS2 x;
    memset(&x, 0, sizeof x);
    x.Type = ADDRESS_TYPE_IP;
    x.IPAddress[0] = a; x.IPAddress[1] = b; x.IPAddress[2] = c; x.IPAddress[3] = d;
    return x;
}

static void add(HFILTER f, DWORD action, HPROTOCOL p, LPADDRESS2 a)
{
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = action;
    if (p)
        o.hProtocol = p;
    else if (a)
        o.lpAddress = a;
    assert_int_equal(FilterAddObject(f, &o), NMERR_SUCCESS);
}

static HPROTOCOL proto(const char *name)
{
    HPROTOCOL p = GetProtocolFromName((LPSTR)name);
    assert_non_null(p);
    return p;
}

/* The filter of filters.tsv called name, built from FILTEROBJECTs. */
static HFILTER build(const char *name)
{
    HFILTER f = CreateFilter();
    assert_non_null(f);
    static ADDRESS2 pair[2], one;
    if (!strcmp(name, "tcp")) {
        add(f, FILTERACTION_PROTOCOLEXIST, proto("TCP"), NULL);
    } else if (!strcmp(name, "udp_or_arp")) {
        add(f, FILTERACTION_PROTOCOLEXIST, proto("UDP"), NULL);
        add(f, FILTERACTION_PROTOCOLEXIST, proto("ARP"), NULL);
        add(f, FILTERACTION_OR, NULL, NULL);
    } else if (!strcmp(name, "not_ip")) {
        add(f, FILTERACTION_PROTOCOLEXIST, proto("IP"), NULL);
        add(f, FILTERACTION_NOT, NULL, NULL);
    } else if (!strcmp(name, "ip6")) {
        add(f, FILTERACTION_PROTOCOLEXIST, proto("IP6"), NULL);
    } else if (!strcmp(name, "vlan")) {
        add(f, FILTERACTION_PROTOCOLEXIST, proto("VLAN"), NULL);
    } else if (!strcmp(name, "addr")) {
        one = ip(10, 2, 0, 3);
        add(f, FILTERACTION_ADDRESS, NULL, &one);
    } else if (!strcmp(name, "from")) {
        one = ip(10, 1, 2, 7);
        add(f, FILTERACTION_FROM, NULL, &one);
    } else if (!strcmp(name, "to")) {
        one = ip(10, 3, 1, 1);
        add(f, FILTERACTION_TO, NULL, &one);
    } else if (!strcmp(name, "fromto")) {
        pair[0] = ip(10, 1, 1, 6);
        pair[1] = ip(10, 2, 0, 7);
        add(f, FILTERACTION_FROMTO, NULL, pair);
    } else if (!strcmp(name, "mac_from")) {
        memset(&one, 0, sizeof one);
        one.Type = ADDRESS_TYPE_ETHERNET;
        memcpy(one.MACAddress, "\x00\x11\x22\x33\x44\x55", 6);
        add(f, FILTERACTION_FROM, NULL, &one);
    } else if (!strcmp(name, "ip6_addr")) {
        memset(&one, 0, sizeof one);
        one.Type = ADDRESS_TYPE_IP6;
        parse_ip6("2001:db8::3", one.IP6Address);
        add(f, FILTERACTION_ADDRESS, NULL, &one);
    } else if (!strcmp(name, "tcp_xor_dns")) {
        add(f, FILTERACTION_PROTOCOLEXIST, proto("TCP"), NULL);
        add(f, FILTERACTION_PROTOCOLEXIST, proto("DNS"), NULL);
        add(f, FILTERACTION_XOR, NULL, NULL);
    } else {
        fail_msg("no filter called %s", name);
    }
    return f;
}

static const char *const filter_names[] = {
    "tcp", "udp_or_arp", "not_ip", "ip6", "vlan", "addr", "from", "to", "fromto",
    "mac_from", "ip6_addr", "tcp_xor_dns",
};

static void test_filters_select_what_tshark_selects(void **state)
{
    const struct capture_case *c = *state;
    HCAPTURE h = fixture_open(c->file);
    EXPERTSTARTUPINFO startup;
    HEXPERTKEY key = fixture_capture_key(h, NULL, &startup, NULL);
    for (size_t i = 0; i < sizeof filter_names / sizeof *filter_names; i++) {
        HFILTER filter = build(filter_names[i]);
        char frames_name[MAX_PATH];
        snprintf(frames_name, sizeof frames_name, "%s.%s.frames", c->filters, filter_names[i]);
        FILE *list = fopen(path_of(frames_name, ""), "r");
        assert_non_null(list);
        EXPERTFRAMEDESCRIPTOR d;
        DWORD at = (DWORD)-1, error;
        unsigned long want;
        int served = 0;
        while ((error = ExpertGetFrame(key, GET_FRAME_NEXT_FORWARD, FLAGS_ATTACH_PROPERTIES, at,
                                       filter, &d)) == NMERR_SUCCESS) {
            if (fscanf(list, "%lu", &want) != 1 || d.FrameNumber + 1 != want)
                print_error("%s, filter %s: served frame %lu\n", c->file, filter_names[i],
                            (unsigned long)d.FrameNumber + 1);
            assert_int_equal(d.FrameNumber + 1, want);
            assert_ptr_equal(d.hFrame, GetFrame(h, d.FrameNumber));
            assert_ptr_equal(d.pFrame, GetFrameFromFrameHandle(d.hFrame));
            assert_null(d.lpPropertyTable);
            at = d.FrameNumber;
            served++;
        }
        assert_int_equal(error, NMERR_NO_MORE_FRAMES);
        assert_int_equal(fscanf(list, "%lu", &want), EOF);   /* tshark selected no more */
        fclose(list);
        assert_int_equal(DestroyFilter(filter), NMERR_SUCCESS);
    }
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
    assert_int_equal(ExpertHostCloseCapture(h, NULL), NMERR_SUCCESS);
}

static const struct capture_case cases[] = {
    { "all.pcap", "all.pcap", NULL },     { "all_ns.pcap", "all.pcap", NULL },
    { "all_be.pcap", "all.pcap", NULL },  { "all.pcapng", "all.pcap", NULL },
    { "all.cap", "all.pcap", NULL },      { "all_v1.cap", "all.pcap", NULL },
    { "links.pcapng", "links.pcapng", "three link types, one file" },
    { "wireless.pcapng", "wireless.pcapng", NULL },
    { "loopback.pcapng", "loopback.pcapng", NULL }, { "loopback.pcap", "loopback.pcapng", NULL },
    { "loopback.cap", "loopback.pcapng", NULL },
};

int main(int argc, char **argv)
{
    fixture_folder_from(argc, argv);
    static struct CMUnitTest tests[2 * sizeof cases / sizeof *cases];
    static char names[2 * sizeof cases / sizeof *cases][96];
    size_t n = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(names[n], sizeof names[n], "test_frames_match_tshark(%s)", cases[i].file);
        tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_frames_match_tshark, (void *)&cases[i]);
        tests[n].name = names[n];
        n++;
        snprintf(names[n], sizeof names[n], "test_filters_select_what_tshark_selects(%s)", cases[i].file);
        tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_filters_select_what_tshark_selects, (void *)&cases[i]);
        tests[n].name = names[n];
        n++;
    }
    return _cmocka_run_group_tests("captures", tests, n, NULL, NULL);
}
