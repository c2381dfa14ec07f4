/* The utility exports of nmapi.dll that need no key: address text and order, MAC types,
 * labeled sets, variable-length integers, the BER readers, BuildINIPath, and the two helpers
 * PROPDIST imports. Called through the import library, as an expert calls them; table-shaped
 * contracts are tables, one test per row. A refused call must write nothing, and nothing may
 * be read beyond what the contract names: the tests put data against a no-access page. */
#include "nmapi_test.h"
#include "nmapi.h"

#define SENTINEL_BYTE 0xCC
static ULPBYTE const sentinel_ptr = (ULPBYTE)(uintptr_t)0x5A5A5A5Au;

/* Two pages, the second no-access: returns the first byte of the second; data placed just
 * before it ends at the boundary. */
static BYTE *guarded_end(void **base)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    BYTE *p = VirtualAlloc(NULL, 2 * si.dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(p);
    DWORD old;
    assert_true(VirtualProtect(p + si.dwPageSize, si.dwPageSize, PAGE_NOACCESS, &old));
    *base = p;
    return p + si.dwPageSize;
}

static void guarded_free(void *base) { VirtualFree(base, 0, MEM_RELEASE); }

static ADDRESS2 address_of(DWORD type, const BYTE *bytes, size_t n)
{
    ADDRESS2 a;
    memset(&a, SENTINEL_BYTE, sizeof a);
    a.Type = type;
    if (n)
        memcpy(a.IP6Address, bytes, n);
    a.Flags = 0x5A5A;
    return a;
}

/* --- AddressToString and StringToAddress: the formats ------------------------------------- */

struct address_vector {
    const char *format_test, *parse_test;
    DWORD type;
    BYTE bytes[16];
    size_t length;
    const char *text;
};

#define AV(name, type, length, text, ...) \
    { "test_AddressToString_" name, "test_StringToAddress_" name, type, { __VA_ARGS__ }, length, text }
static const struct address_vector address_vectors[] = {
    AV("ethernet_is_12_uppercase_hex_digits", ADDRESS_TYPE_ETHERNET, 6, "00AA00B4C5D6",
       0x00, 0xaa, 0x00, 0xb4, 0xc5, 0xd6),
    AV("tokenring_is_12_hex_digits", ADDRESS_TYPE_TOKENRING, 6, "10005A01F203",
       0x10, 0x00, 0x5a, 0x01, 0xf2, 0x03),
    AV("fddi_is_12_hex_digits", ADDRESS_TYPE_FDDI, 6, "08002B000001", 0x08, 0x00, 0x2b, 0, 0, 1),
    AV("atm_is_12_hex_digits", ADDRESS_TYPE_ATM, 6, "00A0C9FFFFFE", 0x00, 0xa0, 0xc9, 0xff, 0xff, 0xfe),
    AV("1394_is_12_hex_digits", ADDRESS_TYPE_1394, 6, "FFFFFFFFFFFF", 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
    AV("ip_is_dotted_decimal", ADDRESS_TYPE_IP, 4, "129.65.100.2", 129, 65, 100, 2),
    AV("ip_zero", ADDRESS_TYPE_IP, 4, "0.0.0.0", 0, 0, 0, 0),
    AV("ip_broadcast", ADDRESS_TYPE_IP, 4, "255.255.255.255", 255, 255, 255, 255),
    AV("ipx_is_network_dot_node", ADDRESS_TYPE_IPX, 10, "00000001.0020AF0E8D5A",
       0, 0, 0, 1, 0x00, 0x20, 0xaf, 0x0e, 0x8d, 0x5a),
    AV("xns_is_network_dot_node", ADDRESS_TYPE_XNS, 10, "ABCDEF01.080009123456",
       0xab, 0xcd, 0xef, 0x01, 0x08, 0x00, 0x09, 0x12, 0x34, 0x56),
    AV("vines_is_network_colon_subnetwork", ADDRESS_TYPE_VINES_IP, 6, "0027A4D2:8001",
       0x00, 0x27, 0xa4, 0xd2, 0x80, 0x01),
    AV("ip6_unspecified_is_two_colons", ADDRESS_TYPE_IP6, 16, "::", 0),
    AV("ip6_loopback", ADDRESS_TYPE_IP6, 16, "::1", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
    AV("ip6_is_lowercase_without_leading_zeros", ADDRESS_TYPE_IP6, 16, "2001:db8::1",
       0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
    AV("ip6_without_zero_groups", ADDRESS_TYPE_IP6, 16, "2001:db8:1:2:3:4:5:6",
       0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6),
    AV("ip6_single_zero_group_is_not_compressed", ADDRESS_TYPE_IP6, 16, "2001:db8:0:1:1:1:1:1",
       0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1),
    AV("ip6_longest_zero_run_is_compressed", ADDRESS_TYPE_IP6, 16, "2001:0:0:1::1",
       0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1),
    AV("ip6_first_of_equal_zero_runs_is_compressed", ADDRESS_TYPE_IP6, 16, "2001:db8::1:0:0:1",
       0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1),
    AV("ip6_trailing_zero_run", ADDRESS_TYPE_IP6, 16, "fe80::", 0xfe, 0x80),
    AV("ip6_ipv4_mapped_is_dotted", ADDRESS_TYPE_IP6, 16, "::ffff:192.0.2.1",
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1),
    AV("ip6_longest_form", ADDRESS_TYPE_IP6, 16, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe),
};

static void test_address_to_string_row(void **state)
{
    const struct address_vector *v = *state;
    ADDRESS2 a = address_of(v->type, v->bytes, v->length);
    char text[64];
    memset(text, SENTINEL_BYTE, sizeof text);
    assert_ptr_equal(AddressToString(text, (BYTE *)&a), text);
    assert_string_equal(text, v->text);
    assert_int_equal((unsigned char)text[strlen(v->text) + 1], SENTINEL_BYTE);  /* nothing after */
}

/* Parsing the text gives the bytes back, and writes only them: Type, Flags and the rest of the
 * union stay as they were. */
static void test_string_to_address_row(void **state)
{
    const struct address_vector *v = *state;
    ADDRESS2 a = address_of(v->type, NULL, 0), expected = address_of(v->type, v->bytes, v->length);
    assert_ptr_equal(StringToAddress((BYTE *)&a, (LPSTR)v->text), (BYTE *)&a);
    assert_memory_equal(&a, &expected, sizeof a);
}

/* Other spellings StringToAddress accepts. */
struct parse_vector {
    const char *name;
    DWORD type;
    const char *text;
    BYTE bytes[16];
    size_t length;
};
#define PV(name, type, text, length, ...) \
    { "test_StringToAddress_accepts_" name, type, text, { __VA_ARGS__ }, length }
static const struct parse_vector accepted_spellings[] = {
    PV("lowercase_mac", ADDRESS_TYPE_ETHERNET, "00aa00b4c5d6", 6, 0x00, 0xaa, 0x00, 0xb4, 0xc5, 0xd6),
    PV("mac_with_dashes", ADDRESS_TYPE_ETHERNET, "00-AA-00-B4-C5-D6", 6, 0x00, 0xaa, 0x00, 0xb4, 0xc5, 0xd6),
    PV("mac_with_colons", ADDRESS_TYPE_FDDI, "00:aa:00:b4:c5:d6", 6, 0x00, 0xaa, 0x00, 0xb4, 0xc5, 0xd6),
    PV("ipx_node_with_dashes", ADDRESS_TYPE_IPX, "00000001.00-20-AF-0E-8D-5A", 10,
       0, 0, 0, 1, 0x00, 0x20, 0xaf, 0x0e, 0x8d, 0x5a),
    PV("ip6_uncompressed_with_leading_zeros", ADDRESS_TYPE_IP6, "2001:0db8:0000:0000:0000:0000:0000:0001",
       16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
    PV("ip6_uppercase", ADDRESS_TYPE_IP6, "2001:DB8::ABCD", 16,
       0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd),
    PV("ip6_two_colons_for_one_group", ADDRESS_TYPE_IP6, "2001:db8::1:1:1:1:1", 16,
       0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1),
    PV("ip6_leading_two_colons", ADDRESS_TYPE_IP6, "::2:3:4:5:6:7:8", 16,
       0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8),
    PV("ip6_trailing_two_colons", ADDRESS_TYPE_IP6, "1::", 16, 0, 1),
    PV("ip6_dotted_tail_after_two_colons", ADDRESS_TYPE_IP6, "::192.0.2.1", 16,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1),
    PV("ip6_dotted_tail_after_six_groups", ADDRESS_TYPE_IP6, "0:0:0:0:0:ffff:10.1.2.3", 16,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3),
};

static void test_accepted_spelling_row(void **state)
{
    const struct parse_vector *v = *state;
    ADDRESS2 a = address_of(v->type, NULL, 0), expected = address_of(v->type, v->bytes, v->length);
    assert_ptr_equal(StringToAddress((BYTE *)&a, (LPSTR)v->text), (BYTE *)&a);
    assert_memory_equal(&a, &expected, sizeof a);
}

/* Texts StringToAddress refuses: NULL, and the address untouched. */
struct reject_vector {
    const char *name;
    DWORD type;
    const char *text;
};
#define RV(name, type, text) { "test_StringToAddress_refuses_" name, type, text }
static const struct reject_vector refused_spellings[] = {
    RV("empty_ip", ADDRESS_TYPE_IP, ""),
    RV("ip_with_three_parts", ADDRESS_TYPE_IP, "1.2.3"),
    RV("ip_with_five_parts", ADDRESS_TYPE_IP, "1.2.3.4.5"),
    RV("ip_part_over_255", ADDRESS_TYPE_IP, "256.1.1.1"),
    RV("ip_part_of_four_digits", ADDRESS_TYPE_IP, "1.2.3.0004"),
    RV("ip_part_with_leading_zero", ADDRESS_TYPE_IP, "01.2.3.4"),
    RV("ip_empty_part", ADDRESS_TYPE_IP, "1..2.3"),
    RV("ip_negative_part", ADDRESS_TYPE_IP, "1.2.3.-4"),
    RV("ip_leading_space", ADDRESS_TYPE_IP, " 1.2.3.4"),
    RV("ip_trailing_space", ADDRESS_TYPE_IP, "1.2.3.4 "),
    RV("mac_of_five_bytes", ADDRESS_TYPE_ETHERNET, "00AA00B4C5"),
    RV("mac_of_seven_bytes", ADDRESS_TYPE_ETHERNET, "00AA00B4C5D6E7"),
    RV("mac_of_odd_digit_count", ADDRESS_TYPE_ETHERNET, "00AA00B4C5D"),
    RV("mac_with_mixed_separators", ADDRESS_TYPE_ETHERNET, "00-AA:00-B4-C5-D6"),
    RV("mac_with_trailing_separator", ADDRESS_TYPE_ETHERNET, "00-AA-00-B4-C5-D6-"),
    RV("mac_with_one_digit_group", ADDRESS_TYPE_ETHERNET, "0-AA-00-B4-C5-D6"),
    RV("mac_with_non_hex_digit", ADDRESS_TYPE_TOKENRING, "0G0000000000"),
    RV("ipx_with_colon", ADDRESS_TYPE_IPX, "00000001:0020AF0E8D5A"),
    RV("ipx_short_network", ADDRESS_TYPE_IPX, "0000001.0020AF0E8D5A"),
    RV("ipx_short_node", ADDRESS_TYPE_XNS, "00000001.0020AF0E8D5"),
    RV("vines_with_dot", ADDRESS_TYPE_VINES_IP, "0027A4D2.8001"),
    RV("vines_short_subnetwork", ADDRESS_TYPE_VINES_IP, "0027A4D2:801"),
    RV("ip6_single_colon", ADDRESS_TYPE_IP6, ":"),
    RV("ip6_three_colons", ADDRESS_TYPE_IP6, ":::"),
    RV("ip6_seven_groups", ADDRESS_TYPE_IP6, "1:2:3:4:5:6:7"),
    RV("ip6_nine_groups", ADDRESS_TYPE_IP6, "1:2:3:4:5:6:7:8:9"),
    RV("ip6_two_colons_with_eight_groups", ADDRESS_TYPE_IP6, "1:2:3:4::5:6:7:8"),
    RV("ip6_two_gaps", ADDRESS_TYPE_IP6, "1::2::3"),
    RV("ip6_leading_single_colon", ADDRESS_TYPE_IP6, ":1::2"),
    RV("ip6_trailing_single_colon", ADDRESS_TYPE_IP6, "1:2:3:4:5:6:7:8:"),
    RV("ip6_group_of_five_digits", ADDRESS_TYPE_IP6, "12345::"),
    RV("ip6_short_dotted_tail", ADDRESS_TYPE_IP6, "::1.2.3"),
    RV("ip6_dotted_tail_over_255", ADDRESS_TYPE_IP6, "::ffff:256.0.0.1"),
    RV("ip6_dotted_tail_after_seven_groups", ADDRESS_TYPE_IP6, "1:2:3:4:5:6:7:1.2.3.4"),
    RV("ip6_dotted_tail_not_last", ADDRESS_TYPE_IP6, "::1.2.3.4:1"),
    RV("ip6_non_hex_digit", ADDRESS_TYPE_IP6, "::g"),
    RV("ip6_in_brackets", ADDRESS_TYPE_IP6, "[::1]"),
};

static void test_refused_spelling_row(void **state)
{
    const struct reject_vector *v = *state;
    ADDRESS2 a = address_of(v->type, NULL, 0), before = a;
    assert_null(StringToAddress((BYTE *)&a, (LPSTR)v->text));
    assert_memory_equal(&a, &before, sizeof a);
}

/* --- AddressToString and StringToAddress: arguments --------------------------------------- */

static const DWORD wildcard_types[] = { ADDRESS_TYPE_ANY, ADDRESS_TYPE_ANY_GROUP,
                                        ADDRESS_TYPE_FIND_HIGHEST, ADDRESS_TYPE_LOCAL_ONLY };
static const DWORD unknown_types[] = { ADDRESS_TYPE_IP6 + 1, 0x100, 0xFFFFFFFFu };

static void test_AddressToString_null_buffer_fails(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 1, 2, 3, 4 }, 4);
    assert_null(AddressToString(NULL, (BYTE *)&a));
}

static void test_AddressToString_null_address_fails_and_writes_nothing(void **state)
{
    (void)state;
    char text[8];
    memset(text, SENTINEL_BYTE, sizeof text);
    assert_null(AddressToString(text, NULL));
    assert_filled(text, SENTINEL_BYTE, sizeof text);
}

static void test_AddressToString_unknown_type_fails_and_writes_nothing(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof unknown_types / sizeof *unknown_types; i++) {
        ADDRESS2 a = address_of(unknown_types[i], NULL, 0);
        char text[64];
        memset(text, SENTINEL_BYTE, sizeof text);
        assert_null(AddressToString(text, (BYTE *)&a));
        assert_filled(text, SENTINEL_BYTE, sizeof text);
    }
}

static void test_AddressToString_wildcard_type_fails(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof wildcard_types / sizeof *wildcard_types; i++) {
        ADDRESS2 a = address_of(wildcard_types[i], NULL, 0);
        char text[64];
        memset(text, SENTINEL_BYTE, sizeof text);
        assert_null(AddressToString(text, (BYTE *)&a));
        assert_filled(text, SENTINEL_BYTE, sizeof text);
    }
}

/* Type and four bytes, against a no-access page: nothing else is read. */
static void test_AddressToString_reads_only_type_and_address_bytes(void **state)
{
    (void)state;
    void *base;
    BYTE *end = guarded_end(&base);
    BYTE *a = end - 8;
    DWORD type = ADDRESS_TYPE_IP;
    memcpy(a, &type, 4);
    memcpy(a + 4, (const BYTE[]){ 10, 0, 0, 1 }, 4);
    char text[16];
    assert_ptr_equal(AddressToString(text, a), text);
    assert_string_equal(text, "10.0.0.1");
    guarded_free(base);
}

static void test_AddressToString_accepts_an_unaligned_address(void **state)
{
    (void)state;
    BYTE raw[1 + sizeof(ADDRESS2)];
    ADDRESS2 a = address_of(ADDRESS_TYPE_ETHERNET, (const BYTE[]){ 1, 2, 3, 4, 5, 6 }, 6);
    memcpy(raw + 1, &a, sizeof a);
    char text[16];
    assert_ptr_equal(AddressToString(text, raw + 1), text);
    assert_string_equal(text, "010203040506");
}

static void test_StringToAddress_null_arguments_fail(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_IP, NULL, 0), before = a;
    assert_null(StringToAddress((BYTE *)&a, NULL));
    assert_memory_equal(&a, &before, sizeof a);
    assert_null(StringToAddress(NULL, (LPSTR) "1.2.3.4"));
}

static void test_StringToAddress_unknown_or_wildcard_type_fails(void **state)
{
    (void)state;
    DWORD types[] = { ADDRESS_TYPE_ANY, ADDRESS_TYPE_ANY_GROUP, ADDRESS_TYPE_FIND_HIGHEST,
                      ADDRESS_TYPE_LOCAL_ONLY, ADDRESS_TYPE_IP6 + 1, 0xFFFFFFFFu };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        ADDRESS2 a = address_of(types[i], NULL, 0), before = a;
        assert_null(StringToAddress((BYTE *)&a, (LPSTR) "0"));
        assert_memory_equal(&a, &before, sizeof a);
    }
}

/* An Ethernet address in a 10-byte space against a no-access page: writes only its bytes. */
static void test_StringToAddress_touches_only_type_and_address_bytes(void **state)
{
    (void)state;
    void *base;
    BYTE *end = guarded_end(&base);
    BYTE *a = end - 10;
    DWORD type = ADDRESS_TYPE_ETHERNET;
    memcpy(a, &type, 4);
    assert_ptr_equal(StringToAddress(a, (LPSTR) "0200DEADBEEF"), a);
    assert_memory_equal(a + 4, ((const BYTE[]){ 0x02, 0x00, 0xde, 0xad, 0xbe, 0xef }), 6);
    guarded_free(base);
}

/* --- CompareAddresses --------------------------------------------------------------------- */

static int compare(ADDRESS2 a, ADDRESS2 b) { return CompareAddresses(&a, &b); }

static void test_CompareAddresses_equal_addresses_give_zero(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 10, 0, 0, 1 }, 4);
    assert_int_equal(compare(a, a), 0);
}

static void test_CompareAddresses_orders_by_type_first(void **state)
{
    (void)state;
    ADDRESS2 ether = address_of(ADDRESS_TYPE_ETHERNET, (const BYTE[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 6);
    ADDRESS2 ip = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 0, 0, 0, 0 }, 4);
    assert_int_equal(compare(ether, ip), -1);
    assert_int_equal(compare(ip, ether), 1);
}

static void test_CompareAddresses_first_differing_byte_decides(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 10, 0, 0, 9 }, 4);
    ADDRESS2 b = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 10, 0, 1, 0 }, 4);
    assert_int_equal(compare(a, b), -1);
    assert_int_equal(compare(b, a), 1);
}

static void test_CompareAddresses_bytes_compare_unsigned(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 0x7f, 0, 0, 1 }, 4);
    ADDRESS2 b = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 0x80, 0, 0, 1 }, 4);
    assert_int_equal(compare(a, b), -1);
}

static void test_CompareAddresses_ignores_flags(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 10, 0, 0, 1 }, 4), b = a;
    b.Flags = ADDRESS_FLAGS_MATCH_DST;
    assert_int_equal(compare(a, b), 0);
}

static void test_CompareAddresses_ignores_bytes_past_the_type_length(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_IP, (const BYTE[]){ 10, 0, 0, 1 }, 4), b = a;
    b.IP6Address[4] = 0;
    b.IP6Address[15] = 0;
    assert_int_equal(compare(a, b), 0);
}

static void test_CompareAddresses_wildcards_of_one_type_are_equal(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_ANY, (const BYTE[]){ 1 }, 1);
    ADDRESS2 b = address_of(ADDRESS_TYPE_ANY, (const BYTE[]){ 2 }, 1);
    assert_int_equal(compare(a, b), 0);
}

static void test_CompareAddresses_unknown_type_compares_the_whole_union(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(0x100, NULL, 0), b = a;
    b.IP6Address[15] = 0;
    assert_int_equal(compare(b, a), -1);
}

static void test_CompareAddresses_null_sorts_first(void **state)
{
    (void)state;
    ADDRESS2 a = address_of(ADDRESS_TYPE_ETHERNET, NULL, 0);
    assert_int_equal(CompareAddresses(NULL, &a), -1);
    assert_int_equal(CompareAddresses(&a, NULL), 1);
    assert_int_equal(CompareAddresses(NULL, NULL), 0);
}

/* Two Ethernet addresses of 10 bytes each against a no-access page. */
static void test_CompareAddresses_reads_only_type_and_address_bytes(void **state)
{
    (void)state;
    void *base;
    BYTE *end = guarded_end(&base);
    BYTE *a = end - 20, *b = end - 10;
    DWORD type = ADDRESS_TYPE_ETHERNET;
    memcpy(a, &type, 4);
    memcpy(b, &type, 4);
    memcpy(a + 4, "\1\2\3\4\5\6", 6);
    memcpy(b + 4, "\1\2\3\4\5\7", 6);
    assert_int_equal(CompareAddresses((LPADDRESS2)a, (LPADDRESS2)b), -1);
    guarded_free(base);
}

/* --- MacTypeToAddressType ----------------------------------------------------------------- */

struct mac_vector {
    const char *name;
    DWORD mac_type, address_type;
};
static const struct mac_vector mac_vectors[] = {
    { "test_MacTypeToAddressType_ethernet", MAC_TYPE_ETHERNET, ADDRESS_TYPE_ETHERNET },
    { "test_MacTypeToAddressType_tokenring", MAC_TYPE_TOKENRING, ADDRESS_TYPE_TOKENRING },
    { "test_MacTypeToAddressType_fddi", MAC_TYPE_FDDI, ADDRESS_TYPE_FDDI },
    { "test_MacTypeToAddressType_atm", MAC_TYPE_ATM, ADDRESS_TYPE_ATM },
    { "test_MacTypeToAddressType_1394", MAC_TYPE_1394, ADDRESS_TYPE_1394 },
    { "test_MacTypeToAddressType_unknown_fails", MAC_TYPE_UNKNOWN, (DWORD)-1 },
    { "test_MacTypeToAddressType_next_after_1394_fails", MAC_TYPE_1394 + 1, (DWORD)-1 },
    { "test_MacTypeToAddressType_all_ones_fails", 0xFFFFFFFFu, (DWORD)-1 },
};

static void test_mac_type_row(void **state)
{
    const struct mac_vector *v = *state;
    assert_int_equal(MacTypeToAddressType(v->mac_type), v->address_type);
}

/* --- Labeled sets ------------------------------------------------------------------------- */

static char label_a[] = "a", label_b[] = "b", label_c[] = "c";

static void test_LookupByteSetString_finds_the_label(void **state)
{
    (void)state;
    LABELED_BYTE t[] = { { 1, label_a }, { 2, label_b }, { 3, label_c } };
    SET s = { 3, { .lpLabeledByteTable = t } };
    assert_ptr_equal(LookupByteSetString(&s, 3), label_c);
    assert_ptr_equal(LookupByteSetString(&s, 1), label_a);
}

static void test_LookupByteSetString_first_of_equal_values_wins(void **state)
{
    (void)state;
    LABELED_BYTE t[] = { { 7, label_a }, { 7, label_b } };
    SET s = { 2, { .lpLabeledByteTable = t } };
    assert_ptr_equal(LookupByteSetString(&s, 7), label_a);
}

static void test_LookupByteSetString_missing_value_gives_null(void **state)
{
    (void)state;
    LABELED_BYTE t[] = { { 1, label_a }, { 2, label_b } };
    SET s = { 2, { .lpLabeledByteTable = t } };
    assert_null(LookupByteSetString(&s, 3));
}

static void test_LookupByteSetString_searches_only_nEntries(void **state)
{
    (void)state;
    LABELED_BYTE t[] = { { 1, label_a }, { 2, label_b } };
    SET s = { 1, { .lpLabeledByteTable = t } };
    assert_null(LookupByteSetString(&s, 2));
}

static void test_LookupByteSetString_empty_set_gives_null(void **state)
{
    (void)state;
    LABELED_BYTE t[] = { { 0, label_a } };
    SET s = { 0, { .lpLabeledByteTable = t } };
    assert_null(LookupByteSetString(&s, 0));
}

static void test_LookupByteSetString_null_set_or_table_gives_null(void **state)
{
    (void)state;
    SET s = { 5, { .lpLabeledByteTable = NULL } };
    assert_null(LookupByteSetString(NULL, 0));
    assert_null(LookupByteSetString(&s, 0));
}

static void test_LookupWordSetString_matches_all_16_bits(void **state)
{
    (void)state;
    LABELED_WORD t[] = { { 0x0001, label_a }, { 0x0101, label_b } };
    SET s = { 2, { .lpLabeledWordTable = t } };
    assert_ptr_equal(LookupWordSetString(&s, 0x0101), label_b);
    assert_ptr_equal(LookupWordSetString(&s, 0x0001), label_a);
    assert_null(LookupWordSetString(&s, 0x0100));
}

static void test_LookupWordSetString_null_set_or_table_gives_null(void **state)
{
    (void)state;
    SET s = { 5, { .lpLabeledWordTable = NULL } };
    assert_null(LookupWordSetString(NULL, 0));
    assert_null(LookupWordSetString(&s, 0));
}

static void test_LookupDwordSetString_matches_all_32_bits(void **state)
{
    (void)state;
    LABELED_DWORD t[] = { { 0x00010000u, label_a }, { 0x80000001u, label_b }, { 1, label_c } };
    SET s = { 3, { .lpLabeledDwordTable = t } };
    assert_ptr_equal(LookupDwordSetString(&s, 0x80000001u), label_b);
    assert_ptr_equal(LookupDwordSetString(&s, 1), label_c);
    assert_null(LookupDwordSetString(&s, 0x00010001u));
}

static void test_LookupDwordSetString_null_set_or_table_gives_null(void **state)
{
    (void)state;
    SET s = { 5, { .lpLabeledDwordTable = NULL } };
    assert_null(LookupDwordSetString(NULL, 0));
    assert_null(LookupDwordSetString(&s, 0));
}

/* --- VarLenSmallIntToDword ---------------------------------------------------------------- */

struct varlen_vector {
    const char *name;
    BYTE bytes[4];
    WORD length;
    WINBOOL swapped;
    DWORD value;
};
static const struct varlen_vector varlen_vectors[] = {
    { "test_VarLenSmallIntToDword_one_byte", { 0x92 }, 1, FALSE, 0x92 },
    { "test_VarLenSmallIntToDword_two_bytes_least_significant_first", { 0x34, 0x12 }, 2, FALSE, 0x1234 },
    { "test_VarLenSmallIntToDword_three_bytes_least_significant_first", { 0x56, 0x34, 0x12 }, 3, FALSE, 0x123456 },
    { "test_VarLenSmallIntToDword_four_bytes_least_significant_first", { 0x78, 0x56, 0x34, 0x12 }, 4, FALSE, 0x12345678 },
    { "test_VarLenSmallIntToDword_swapped_one_byte", { 0x92 }, 1, TRUE, 0x92 },
    { "test_VarLenSmallIntToDword_swapped_two_bytes_most_significant_first", { 0x12, 0x34 }, 2, TRUE, 0x1234 },
    { "test_VarLenSmallIntToDword_swapped_three_bytes_most_significant_first", { 0x12, 0x34, 0x56 }, 3, TRUE, 0x123456 },
    { "test_VarLenSmallIntToDword_swapped_four_bytes_most_significant_first", { 0x12, 0x34, 0x56, 0x78 }, 4, TRUE, 0x12345678 },
    { "test_VarLenSmallIntToDword_any_nonzero_flag_means_swapped", { 0x12, 0x34 }, 2, 2, 0x1234 },
    { "test_VarLenSmallIntToDword_is_unsigned", { 0xff, 0xff, 0xff }, 3, TRUE, 0xffffff },
};

static void test_varlen_row(void **state)
{
    const struct varlen_vector *v = *state;
    BYTE bytes[4];
    memcpy(bytes, v->bytes, sizeof bytes);
    DWORD out = 0xA5A5A5A5u;        /* the bytes above ValueLen's must come out zero */
    assert_ptr_equal(VarLenSmallIntToDword(bytes, v->length, v->swapped, &out), &out);
    assert_int_equal(out, v->value);
}

static void test_VarLenSmallIntToDword_length_zero_fails_and_writes_nothing(void **state)
{
    (void)state;
    BYTE bytes[4] = { 1, 2, 3, 4 };
    DWORD out = 0xA5A5A5A5u;
    assert_null(VarLenSmallIntToDword(bytes, 0, FALSE, &out));
    assert_int_equal(out, 0xA5A5A5A5u);
}

static void test_VarLenSmallIntToDword_length_over_four_fails_and_writes_nothing(void **state)
{
    (void)state;
    BYTE bytes[8] = { 0 };
    DWORD out = 0xA5A5A5A5u;
    assert_null(VarLenSmallIntToDword(bytes, 5, TRUE, &out));
    assert_null(VarLenSmallIntToDword(bytes, 0xFFFF, FALSE, &out));
    assert_int_equal(out, 0xA5A5A5A5u);
}

static void test_VarLenSmallIntToDword_null_pointers_fail(void **state)
{
    (void)state;
    BYTE bytes[4] = { 1, 2, 3, 4 };
    DWORD out = 0xA5A5A5A5u;
    assert_null(VarLenSmallIntToDword(NULL, 2, FALSE, &out));
    assert_int_equal(out, 0xA5A5A5A5u);
    assert_null(VarLenSmallIntToDword(bytes, 2, FALSE, NULL));
}

/* --- BER ---------------------------------------------------------------------------------- */

enum ber_call { BER_INTEGER, BER_STRING, BER_HEADER };

struct ber_vector {
    const char *name;
    enum ber_call call;
    BYTE bytes[8];
    BOOL ok;
    BYTE tag;
    DWORD header_length, data_length;
};
#define BV(name, call, ok, tag, hl, dl, ...) { name, call, { __VA_ARGS__ }, ok, tag, hl, dl }
static const struct ber_vector ber_vectors[] = {
    BV("test_BERGetInteger_short_form", BER_INTEGER, TRUE, 0x02, 2, 1, 0x02, 0x01, 0x05),
    BV("test_BERGetInteger_long_form_one_octet", BER_INTEGER, TRUE, 0x02, 3, 1, 0x02, 0x81, 0x01, 0x05),
    BV("test_BERGetInteger_long_form_two_octets", BER_INTEGER, TRUE, 0x02, 4, 2, 0x02, 0x82, 0x00, 0x02, 0x01, 0x00),
    BV("test_BERGetInteger_long_form_four_octets", BER_INTEGER, TRUE, 0x02, 6, 1, 0x02, 0x84, 0, 0, 0, 1, 7),
    BV("test_BERGetInteger_counter32", BER_INTEGER, TRUE, 0x41, 2, 1, 0x41, 0x01, 0x07),
    BV("test_BERGetInteger_gauge32", BER_INTEGER, TRUE, 0x42, 2, 2, 0x42, 0x02, 0x01, 0x00),
    BV("test_BERGetInteger_timeticks", BER_INTEGER, TRUE, 0x43, 2, 4, 0x43, 0x04, 1, 2, 3, 4),
    BV("test_BERGetInteger_counter64", BER_INTEGER, TRUE, 0x46, 2, 1, 0x46, 0x01, 0x00),
    BV("test_BERGetInteger_non_minimal_is_accepted", BER_INTEGER, TRUE, 0x02, 2, 3, 0x02, 0x03, 0x00, 0x00, 0x01),
    BV("test_BERGetInteger_refuses_zero_length", BER_INTEGER, FALSE, 0, 0, 0, 0x02, 0x00),
    BV("test_BERGetInteger_refuses_octet_string", BER_INTEGER, FALSE, 0, 0, 0, 0x04, 0x01, 0x05),
    BV("test_BERGetInteger_refuses_constructed_tag", BER_INTEGER, FALSE, 0, 0, 0, 0x22, 0x01, 0x05),
    BV("test_BERGetInteger_refuses_ipaddress", BER_INTEGER, FALSE, 0, 0, 0, 0x40, 0x04, 1, 2, 3, 4),
    BV("test_BERGetInteger_refuses_indefinite_length", BER_INTEGER, FALSE, 0, 0, 0, 0x02, 0x80, 0x05, 0, 0),
    BV("test_BERGetInteger_refuses_five_length_octets", BER_INTEGER, FALSE, 0, 0, 0, 0x02, 0x85, 0, 0, 0, 0, 1),
    BV("test_BERGetInteger_refuses_reserved_length_octet", BER_INTEGER, FALSE, 0, 0, 0, 0x02, 0xff),
    BV("test_BERGetString_octet_string", BER_STRING, TRUE, 0x04, 2, 3, 0x04, 0x03, 'a', 'b', 'c'),
    BV("test_BERGetString_empty_string", BER_STRING, TRUE, 0x04, 2, 0, 0x04, 0x00),
    BV("test_BERGetString_long_form", BER_STRING, TRUE, 0x04, 3, 2, 0x04, 0x81, 0x02, 'h', 'i'),
    BV("test_BERGetString_ipaddress", BER_STRING, TRUE, 0x40, 2, 4, 0x40, 0x04, 10, 0, 0, 1),
    BV("test_BERGetString_opaque", BER_STRING, TRUE, 0x44, 2, 1, 0x44, 0x01, 0x99),
    BV("test_BERGetString_printable_string", BER_STRING, TRUE, 0x13, 2, 2, 0x13, 0x02, 'o', 'k'),
    BV("test_BERGetString_utf8_string", BER_STRING, TRUE, 0x0c, 2, 1, 0x0c, 0x01, 'x'),
    BV("test_BERGetString_refuses_integer", BER_STRING, FALSE, 0, 0, 0, 0x02, 0x01, 0x05),
    BV("test_BERGetString_refuses_constructed_octet_string", BER_STRING, FALSE, 0, 0, 0, 0x24, 0x00),
    BV("test_BERGetString_refuses_null", BER_STRING, FALSE, 0, 0, 0, 0x05, 0x00),
    BV("test_BERGetString_refuses_sequence", BER_STRING, FALSE, 0, 0, 0, 0x30, 0x00),
    BV("test_BERGetString_refuses_indefinite_length", BER_STRING, FALSE, 0, 0, 0, 0x04, 0x80, 0, 0),
    BV("test_BERGetHeader_sequence", BER_HEADER, TRUE, 0x30, 2, 3, 0x30, 0x03, 0x02, 0x01, 0x00),
    BV("test_BERGetHeader_context_constructed_pdu", BER_HEADER, TRUE, 0xa2, 3, 0x80, 0xa2, 0x81, 0x80),
    BV("test_BERGetHeader_primitive_value", BER_HEADER, TRUE, 0x43, 2, 1, 0x43, 0x01, 0x2a),
    BV("test_BERGetHeader_two_length_octets", BER_HEADER, TRUE, 0x30, 4, 0x0123, 0x30, 0x82, 0x01, 0x23),
    BV("test_BERGetHeader_non_minimal_length_is_accepted", BER_HEADER, TRUE, 0x30, 3, 5, 0x30, 0x81, 0x05),
    BV("test_BERGetHeader_refuses_high_tag_number_form", BER_HEADER, FALSE, 0, 0, 0, 0x1f, 0x81, 0x01, 0x00),
    BV("test_BERGetHeader_refuses_end_of_contents", BER_HEADER, FALSE, 0, 0, 0, 0x00, 0x00),
    BV("test_BERGetHeader_refuses_indefinite_length", BER_HEADER, FALSE, 0, 0, 0, 0x30, 0x80, 0, 0),
    BV("test_BERGetHeader_refuses_five_length_octets", BER_HEADER, FALSE, 0, 0, 0, 0x30, 0x85, 0, 0, 0, 0, 1),
};

static WINBOOL ber_call(enum ber_call call, ULPBYTE p, ULPBYTE *value, BYTE *tag, DWORD *hl,
                        DWORD *dl, ULPBYTE *next)
{
    switch (call) {
    case BER_INTEGER: return BERGetInteger(p, value, hl, dl, next);
    case BER_STRING:  return BERGetString(p, value, hl, dl, next);
    default:          return BERGetHeader(p, tag, hl, dl, next);
    }
}

static void test_ber_row(void **state)
{
    const struct ber_vector *v = *state;
    BYTE data[8];
    memcpy(data, v->bytes, sizeof data);
    ULPBYTE value = sentinel_ptr, next = sentinel_ptr;
    BYTE tag = SENTINEL_BYTE;
    DWORD hl = 0xA5A5A5A5u, dl = 0xA5A5A5A5u;
    WINBOOL ok = ber_call(v->call, data, &value, &tag, &hl, &dl, &next);
    if (!v->ok) {
        assert_false(ok);
        assert_ptr_equal(value, sentinel_ptr);
        assert_ptr_equal(next, sentinel_ptr);
        assert_int_equal(tag, SENTINEL_BYTE);
        assert_int_equal(hl, 0xA5A5A5A5u);
        assert_int_equal(dl, 0xA5A5A5A5u);
        return;
    }
    assert_true(ok);
    assert_int_equal(hl, v->header_length);
    assert_int_equal(dl, v->data_length);
    if (v->call == BER_HEADER) {
        assert_int_equal(tag, v->tag);
        assert_ptr_equal(next, data + v->header_length);         /* into the contents */
    } else {
        assert_int_equal(tag, SENTINEL_BYTE);
        assert_ptr_equal(value, data + v->header_length);        /* the content octets */
        assert_ptr_equal(next, data + v->header_length + v->data_length);   /* past them */
    }
}

/* Every NULL argument of each reader, in turn: FALSE, and the others untouched. */
static void test_BER_readers_refuse_each_null_argument(void **state)
{
    (void)state;
    static const BYTE integer[] = { 0x02, 0x01, 0x05 }, string[] = { 0x04, 0x01, 'a' };
    for (int call = BER_INTEGER; call <= BER_HEADER; call++) {
        ULPBYTE p = (ULPBYTE)(call == BER_STRING ? string : integer);
        for (int hole = 0; hole < 5; hole++) {
            ULPBYTE value = sentinel_ptr, next = sentinel_ptr;
            BYTE tag = SENTINEL_BYTE;
            DWORD hl = 0xA5A5A5A5u, dl = 0xA5A5A5A5u;
            WINBOOL ok = ber_call((enum ber_call)call, hole == 0 ? NULL : p,
                                  hole == 1 ? NULL : &value, hole == 1 ? NULL : &tag,
                                  hole == 2 ? NULL : &hl, hole == 3 ? NULL : &dl,
                                  hole == 4 ? NULL : &next);
            assert_false(ok);
            assert_ptr_equal(value, sentinel_ptr);
            assert_ptr_equal(next, sentinel_ptr);
            assert_int_equal(tag, SENTINEL_BYTE);
            assert_int_equal(hl, 0xA5A5A5A5u);
            assert_int_equal(dl, 0xA5A5A5A5u);
        }
    }
}

/* A header that ends at a no-access page and announces 65535 bytes: the content is not read. */
static void test_BERGetString_reads_only_the_header(void **state)
{
    (void)state;
    void *base;
    BYTE *end = guarded_end(&base);
    BYTE *p = end - 4;
    memcpy(p, "\x04\x82\xff\xff", 4);
    ULPBYTE value, next;
    DWORD hl, dl;
    assert_true(BERGetString(p, &value, &hl, &dl, &next));
    assert_int_equal(hl, 4);
    assert_int_equal(dl, 0xffff);
    assert_ptr_equal(value, end);
    guarded_free(base);
}

static void test_BERGetInteger_reads_only_the_header(void **state)
{
    (void)state;
    void *base;
    BYTE *end = guarded_end(&base);
    BYTE *p = end - 6;
    memcpy(p, "\x02\x84\x00\x00\x00\x04", 6);
    ULPBYTE value, next;
    DWORD hl, dl;
    assert_true(BERGetInteger(p, &value, &hl, &dl, &next));
    assert_int_equal(hl, 6);
    assert_int_equal(dl, 4);
    assert_ptr_equal(next, end + 4);
    guarded_free(base);
}

/* A length that would carry the element's end past the top of the address space: only
 * possible with 32-bit pointers. */
static void test_BERGetString_length_past_the_address_space_is_refused(void **state)
{
    (void)state;
    BYTE data[] = { 0x04, 0x84, 0xff, 0xff, 0xff, 0xff };
    ULPBYTE value = sentinel_ptr, next = sentinel_ptr;
    DWORD hl, dl;
    WINBOOL ok = BERGetString(data, &value, &hl, &dl, &next);
    if (sizeof(void *) == 4) {
        assert_false(ok);
        assert_ptr_equal(next, sentinel_ptr);
    } else {
        assert_true(ok);
        assert_int_equal(dl, 0xffffffffu);
    }
}

/* --- BuildINIPath ------------------------------------------------------------------------- */

/* nmapi.dll's directory, with its trailing backslash. */
static void dll_directory(char *out, size_t cap)
{
    HMODULE m = GetModuleHandleA("nmapi.dll");
    assert_non_null(m);
    DWORD n = GetModuleFileNameA(m, out, (DWORD)cap);
    assert_true(n > 0 && n < cap);
    while (n > 0 && out[n - 1] != '\\' && out[n - 1] != '/')
        n--;
    out[n] = '\0';
}

static void test_BuildINIPath_names_the_file_in_PARSERS_beside_the_dll(void **state)
{
    (void)state;
    char expected[MAX_PATH], path[INI_PATH_LENGTH];
    dll_directory(expected, sizeof expected);
    strcat(expected, "PARSERS\\TCP.INI");
    assert_ptr_equal(BuildINIPath(path, (char *)"TCP"), path);
    assert_string_equal(path, expected);
}

static void test_BuildINIPath_keeps_the_name_as_given(void **state)
{
    (void)state;
    char expected[MAX_PATH], path[INI_PATH_LENGTH];
    dll_directory(expected, sizeof expected);
    strcat(expected, "PARSERS\\Xns.v2.INI");
    assert_ptr_equal(BuildINIPath(path, (char *)"Xns.v2"), path);
    assert_string_equal(path, expected);
}

static void test_BuildINIPath_null_arguments_fail(void **state)
{
    (void)state;
    char path[INI_PATH_LENGTH];
    memset(path, SENTINEL_BYTE, sizeof path);
    assert_null(BuildINIPath(path, NULL));
    assert_filled(path, SENTINEL_BYTE, sizeof path);
    assert_null(BuildINIPath(NULL, (char *)"TCP"));
}

static void test_BuildINIPath_refuses_an_empty_name(void **state)
{
    (void)state;
    char path[INI_PATH_LENGTH];
    memset(path, SENTINEL_BYTE, sizeof path);
    assert_null(BuildINIPath(path, (char *)""));
    assert_filled(path, SENTINEL_BYTE, sizeof path);
}

static void test_BuildINIPath_refuses_path_and_wildcard_characters(void **state)
{
    (void)state;
    static const char *const names[] = { "..\\TCP", "a/b", "C:TCP", "TC*", "TC?", "T<", "T>",
                                         "T|", "T\"", "T\t" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[INI_PATH_LENGTH];
        memset(path, SENTINEL_BYTE, sizeof path);
        assert_null(BuildINIPath(path, (char *)names[i]));
        assert_filled(path, SENTINEL_BYTE, sizeof path);
    }
}

/* The longest name whose path fits INI_PATH_LENGTH bytes with its NUL, and one longer. */
static size_t longest_fitting_name(void)
{
    char dir[MAX_PATH];
    dll_directory(dir, sizeof dir);
    size_t fixed = strlen(dir) + strlen("PARSERS\\") + strlen(".INI") + 1;
    assert_true(fixed < INI_PATH_LENGTH);
    return INI_PATH_LENGTH - fixed;
}

static void test_BuildINIPath_longest_name_that_fits(void **state)
{
    (void)state;
    char name[INI_PATH_LENGTH + 1], path[INI_PATH_LENGTH + 8];
    size_t n = longest_fitting_name();
    memset(name, 'N', n);
    name[n] = '\0';
    memset(path, SENTINEL_BYTE, sizeof path);
    assert_ptr_equal(BuildINIPath(path, name), path);
    assert_int_equal(strlen(path), INI_PATH_LENGTH - 1);
    assert_filled(path + INI_PATH_LENGTH, SENTINEL_BYTE, 8);
}

static void test_BuildINIPath_name_one_longer_fails_and_writes_nothing(void **state)
{
    (void)state;
    char name[INI_PATH_LENGTH + 1], path[INI_PATH_LENGTH];
    size_t n = longest_fitting_name() + 1;
    memset(name, 'N', n);
    name[n] = '\0';
    memset(path, SENTINEL_BYTE, sizeof path);
    assert_null(BuildINIPath(path, name));
    assert_filled(path, SENTINEL_BYTE, sizeof path);
}

/* A name of 300 characters against a no-access page, without its NUL: refused before the end. */
static void test_BuildINIPath_reads_no_more_of_a_long_name_than_the_limit(void **state)
{
    (void)state;
    void *base;
    BYTE *end = guarded_end(&base);
    char *name = (char *)end - INI_PATH_LENGTH;
    memset(name, 'N', INI_PATH_LENGTH);      /* no NUL before the no-access page */
    char path[INI_PATH_LENGTH];
    assert_null(BuildINIPath(path, name));
    guarded_free(base);
}

/* --- HelperFormatUnicodeString ------------------------------------------------------------ */

static DWORD format(char *out, const WCHAR *in, size_t bytes)
{
    return HelperFormatUnicodeString(out, in, (WORD)bytes);
}

static void test_HelperFormatUnicodeString_converts_ascii(void **state)
{
    (void)state;
    char out[MAX_PATH];
    assert_int_equal(format(out, L"Hello, world", 24), 12);
    assert_string_equal(out, "Hello, world");
}

static void test_HelperFormatUnicodeString_len_counts_bytes_and_an_odd_byte_is_dropped(void **state)
{
    (void)state;
    char out[MAX_PATH];
    assert_int_equal(format(out, L"abcdef", 7), 3);
    assert_string_equal(out, "abc");
}

static void test_HelperFormatUnicodeString_stops_at_a_nul(void **state)
{
    (void)state;
    char out[MAX_PATH];
    assert_int_equal(format(out, L"ab\0cd", 10), 2);
    assert_string_equal(out, "ab");
}

static void test_HelperFormatUnicodeString_len_zero_gives_an_empty_string(void **state)
{
    (void)state;
    char out[4] = "xyz";
    assert_int_equal(format(out, L"abc", 0), 0);
    assert_string_equal(out, "");
}

static void test_HelperFormatUnicodeString_truncates_to_MAX_PATH_bytes(void **state)
{
    (void)state;
    WCHAR in[400];
    for (size_t i = 0; i < 400; i++)
        in[i] = (WCHAR)(L'a' + i % 26);
    char out[MAX_PATH + 16];
    memset(out, SENTINEL_BYTE, sizeof out);
    assert_int_equal(format(out, in, sizeof in), MAX_PATH - 1);
    assert_int_equal(strlen(out), MAX_PATH - 1);
    assert_filled(out + MAX_PATH, SENTINEL_BYTE, 16);
}

static void test_HelperFormatUnicodeString_reads_unaligned_input(void **state)
{
    (void)state;
    BYTE raw[1 + 6];
    memcpy(raw + 1, "x\0y\0z\0", 6);
    char out[MAX_PATH];
    assert_int_equal(HelperFormatUnicodeString(out, (LPCWSTR)(void *)(raw + 1), 6), 3);
    assert_string_equal(out, "xyz");
}

static void test_HelperFormatUnicodeString_null_output_returns_zero(void **state)
{
    (void)state;
    assert_int_equal(HelperFormatUnicodeString(NULL, L"abc", 6), 0);
}

static void test_HelperFormatUnicodeString_null_input_gives_an_empty_string(void **state)
{
    (void)state;
    char out[4] = "xyz";
    assert_int_equal(HelperFormatUnicodeString(out, NULL, 6), 0);
    assert_string_equal(out, "");
}

/* Under the Western European ANSI code page: é is one byte, what it cannot spell is '?', and a
 * surrogate pair or a lone surrogate is one character. */
static void test_HelperFormatUnicodeString_uses_the_ansi_code_page(void **state)
{
    (void)state;
    if (GetACP() != 1252)
        skip();
    char out[MAX_PATH];
    static const WCHAR in[] = { L'a', 0x00e9, 0x4e2d, 0xd83d, 0xde00, 0xdc00, L'z' };
    assert_int_equal(format(out, in, sizeof in), 6);
    assert_string_equal(out, "a\xe9???z");
}

/* --- DecodeSNMPObjectIdentifier ----------------------------------------------------------- */

struct oid_vector {
    const char *name;
    BYTE bytes[12];
    DWORD length;
    DWORD status;
    DWORD arcs[12];
    DWORD count;
};
#define OV(name, length, status, count, arcs, ...) \
    { "test_DecodeSNMPObjectIdentifier_" name, { __VA_ARGS__ }, length, status, arcs, count }
#define ARCS(...) { __VA_ARGS__ }
static const struct oid_vector oid_vectors[] = {
    OV("sysDescr", 8, NMERR_SUCCESS, 9, ARCS(1, 3, 6, 1, 2, 1, 1, 1, 0),
       0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00),
    OV("microsoft_enterprise", 7, NMERR_SUCCESS, 7, ARCS(1, 3, 6, 1, 4, 1, 311),
       0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37),
    OV("first_octet_0_0", 1, NMERR_SUCCESS, 2, ARCS(0, 0), 0x00),
    OV("first_octet_0_39", 1, NMERR_SUCCESS, 2, ARCS(0, 39), 0x27),
    OV("first_octet_1_0", 1, NMERR_SUCCESS, 2, ARCS(1, 0), 0x28),
    OV("first_octet_1_39", 1, NMERR_SUCCESS, 2, ARCS(1, 39), 0x4f),
    OV("first_octet_2_0", 1, NMERR_SUCCESS, 2, ARCS(2, 0), 0x50),
    OV("first_arcs_2_999", 2, NMERR_SUCCESS, 2, ARCS(2, 999), 0x88, 0x37),
    OV("second_arc_after_2_up_to_32_bits", 5, NMERR_SUCCESS, 2, ARCS(2, 0xffffffffu),
       0x90, 0x80, 0x80, 0x80, 0x4f),
    OV("arc_of_32_bits", 6, NMERR_SUCCESS, 3, ARCS(1, 3, 0xffffffffu), 0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f),
    OV("leading_0x80_is_accepted", 3, NMERR_SUCCESS, 3, ARCS(1, 3, 1), 0x2b, 0x80, 0x01),
    OV("refuses_second_arc_past_32_bits", 5, NMERR_INVALID_DATA, 0, ARCS(0), 0x90, 0x80, 0x80, 0x80, 0x50),
    OV("refuses_arc_past_32_bits", 6, NMERR_INVALID_DATA, 0, ARCS(0), 0x2b, 0x90, 0x80, 0x80, 0x80, 0x00),
    OV("refuses_a_very_long_arc", 12, NMERR_INVALID_DATA, 0, ARCS(0),
       0x2b, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01),
    OV("refuses_a_truncated_last_arc", 2, NMERR_INVALID_DATA, 0, ARCS(0), 0x2b, 0x86),
    OV("refuses_a_truncated_first_octet", 1, NMERR_INVALID_DATA, 0, ARCS(0), 0x86),
};

/* As PROPDIST calls it: (DataLen + 1) DWORDs, Length set to their size in bytes. */
static void test_oid_row(void **state)
{
    const struct oid_vector *v = *state;
    BYTE data[12];
    memcpy(data, v->bytes, sizeof data);
    DWORD arcs[13];
    for (size_t i = 0; i < 13; i++)
        arcs[i] = 0xDEADBEEFu;
    OBJECT_IDENTIFIER oid = { (v->length + 1) * (DWORD)sizeof(DWORD), arcs };
    assert_int_equal(DecodeSNMPObjectIdentifier(data, v->length, &oid), v->status);
    assert_ptr_equal(oid.lpIdentifier, arcs);
    if (v->status != NMERR_SUCCESS) {
        assert_int_equal(oid.Length, (v->length + 1) * sizeof(DWORD));
        for (size_t i = 0; i < 13; i++)
            assert_int_equal(arcs[i], 0xDEADBEEFu);
        return;
    }
    assert_int_equal(oid.Length, v->count);
    assert_memory_equal(arcs, v->arcs, v->count * sizeof(DWORD));
    assert_int_equal(arcs[v->count], 0xDEADBEEFu);
}

static const BYTE sys_descr[] = { 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00 };   /* 9 arcs */

static void test_DecodeSNMPObjectIdentifier_too_small_a_buffer_fails_and_writes_nothing(void **state)
{
    (void)state;
    DWORD arcs[9] = { 0 };
    OBJECT_IDENTIFIER oid = { 8 * sizeof(DWORD), arcs };
    assert_int_equal(DecodeSNMPObjectIdentifier((LPBYTE)sys_descr, sizeof sys_descr, &oid),
                     NMERR_BUFFER_TOO_SMALL);
    assert_int_equal(oid.Length, 8 * sizeof(DWORD));
    assert_filled(arcs, 0, sizeof arcs);
}

static void test_DecodeSNMPObjectIdentifier_length_is_the_buffer_size_in_bytes(void **state)
{
    (void)state;
    DWORD arcs[9];
    OBJECT_IDENTIFIER oid = { 9, arcs };       /* 9 bytes: two arcs, not nine */
    assert_int_equal(DecodeSNMPObjectIdentifier((LPBYTE)sys_descr, sizeof sys_descr, &oid),
                     NMERR_BUFFER_TOO_SMALL);
    oid.Length = sizeof arcs;
    assert_int_equal(DecodeSNMPObjectIdentifier((LPBYTE)sys_descr, sizeof sys_descr, &oid),
                     NMERR_SUCCESS);
    assert_int_equal(oid.Length, 9);
}

static void test_DecodeSNMPObjectIdentifier_null_or_empty_arguments_fail(void **state)
{
    (void)state;
    DWORD arcs[9];
    OBJECT_IDENTIFIER oid = { sizeof arcs, arcs }, no_array = { sizeof arcs, NULL };
    assert_int_equal(DecodeSNMPObjectIdentifier(NULL, 8, &oid), NMERR_INVALID_PARAMETER);
    assert_int_equal(DecodeSNMPObjectIdentifier((LPBYTE)sys_descr, 0, &oid), NMERR_INVALID_PARAMETER);
    assert_int_equal(DecodeSNMPObjectIdentifier((LPBYTE)sys_descr, 8, NULL), NMERR_INVALID_PARAMETER);
    assert_int_equal(DecodeSNMPObjectIdentifier((LPBYTE)sys_descr, 8, &no_array),
                     NMERR_INVALID_PARAMETER);
    assert_int_equal(oid.Length, sizeof arcs);
}

/* The content octets against a no-access page: nothing past DataLen is read. */
static void test_DecodeSNMPObjectIdentifier_reads_only_DataLen_bytes(void **state)
{
    (void)state;
    void *base;
    BYTE *end = guarded_end(&base);
    BYTE *p = end - sizeof sys_descr;
    memcpy(p, sys_descr, sizeof sys_descr);
    DWORD arcs[9];
    OBJECT_IDENTIFIER oid = { sizeof arcs, arcs };
    assert_int_equal(DecodeSNMPObjectIdentifier(p, sizeof sys_descr, &oid), NMERR_SUCCESS);
    assert_int_equal(oid.Length, 9);
    guarded_free(base);
}

/* --- The run ------------------------------------------------------------------------------ */

#define ROWS(table) (sizeof table / sizeof *table)
#define NAMED(fn) { #fn, fn, NULL, NULL, NULL }

static const struct CMUnitTest named_tests[] = {
    NAMED(test_AddressToString_null_buffer_fails),
    NAMED(test_AddressToString_null_address_fails_and_writes_nothing),
    NAMED(test_AddressToString_unknown_type_fails_and_writes_nothing),
    NAMED(test_AddressToString_wildcard_type_fails),
    NAMED(test_AddressToString_reads_only_type_and_address_bytes),
    NAMED(test_AddressToString_accepts_an_unaligned_address),
    NAMED(test_StringToAddress_null_arguments_fail),
    NAMED(test_StringToAddress_unknown_or_wildcard_type_fails),
    NAMED(test_StringToAddress_touches_only_type_and_address_bytes),
    NAMED(test_CompareAddresses_equal_addresses_give_zero),
    NAMED(test_CompareAddresses_orders_by_type_first),
    NAMED(test_CompareAddresses_first_differing_byte_decides),
    NAMED(test_CompareAddresses_bytes_compare_unsigned),
    NAMED(test_CompareAddresses_ignores_flags),
    NAMED(test_CompareAddresses_ignores_bytes_past_the_type_length),
    NAMED(test_CompareAddresses_wildcards_of_one_type_are_equal),
    NAMED(test_CompareAddresses_unknown_type_compares_the_whole_union),
    NAMED(test_CompareAddresses_null_sorts_first),
    NAMED(test_CompareAddresses_reads_only_type_and_address_bytes),
    NAMED(test_LookupByteSetString_finds_the_label),
    NAMED(test_LookupByteSetString_first_of_equal_values_wins),
    NAMED(test_LookupByteSetString_missing_value_gives_null),
    NAMED(test_LookupByteSetString_searches_only_nEntries),
    NAMED(test_LookupByteSetString_empty_set_gives_null),
    NAMED(test_LookupByteSetString_null_set_or_table_gives_null),
    NAMED(test_LookupWordSetString_matches_all_16_bits),
    NAMED(test_LookupWordSetString_null_set_or_table_gives_null),
    NAMED(test_LookupDwordSetString_matches_all_32_bits),
    NAMED(test_LookupDwordSetString_null_set_or_table_gives_null),
    NAMED(test_VarLenSmallIntToDword_length_zero_fails_and_writes_nothing),
    NAMED(test_VarLenSmallIntToDword_length_over_four_fails_and_writes_nothing),
    NAMED(test_VarLenSmallIntToDword_null_pointers_fail),
    NAMED(test_BER_readers_refuse_each_null_argument),
    NAMED(test_BERGetString_reads_only_the_header),
    NAMED(test_BERGetInteger_reads_only_the_header),
    NAMED(test_BERGetString_length_past_the_address_space_is_refused),
    NAMED(test_BuildINIPath_names_the_file_in_PARSERS_beside_the_dll),
    NAMED(test_BuildINIPath_keeps_the_name_as_given),
    NAMED(test_BuildINIPath_null_arguments_fail),
    NAMED(test_BuildINIPath_refuses_an_empty_name),
    NAMED(test_BuildINIPath_refuses_path_and_wildcard_characters),
    NAMED(test_BuildINIPath_longest_name_that_fits),
    NAMED(test_BuildINIPath_name_one_longer_fails_and_writes_nothing),
    NAMED(test_BuildINIPath_reads_no_more_of_a_long_name_than_the_limit),
    NAMED(test_HelperFormatUnicodeString_converts_ascii),
    NAMED(test_HelperFormatUnicodeString_len_counts_bytes_and_an_odd_byte_is_dropped),
    NAMED(test_HelperFormatUnicodeString_stops_at_a_nul),
    NAMED(test_HelperFormatUnicodeString_len_zero_gives_an_empty_string),
    NAMED(test_HelperFormatUnicodeString_truncates_to_MAX_PATH_bytes),
    NAMED(test_HelperFormatUnicodeString_reads_unaligned_input),
    NAMED(test_HelperFormatUnicodeString_null_output_returns_zero),
    NAMED(test_HelperFormatUnicodeString_null_input_gives_an_empty_string),
    NAMED(test_HelperFormatUnicodeString_uses_the_ansi_code_page),
    NAMED(test_DecodeSNMPObjectIdentifier_too_small_a_buffer_fails_and_writes_nothing),
    NAMED(test_DecodeSNMPObjectIdentifier_length_is_the_buffer_size_in_bytes),
    NAMED(test_DecodeSNMPObjectIdentifier_null_or_empty_arguments_fail),
    NAMED(test_DecodeSNMPObjectIdentifier_reads_only_DataLen_bytes),
};

#define TEST_CAPACITY (ROWS(named_tests) + 2 * ROWS(address_vectors) + ROWS(accepted_spellings) + \
                       ROWS(refused_spellings) + ROWS(mac_vectors) + ROWS(varlen_vectors) +     \
                       ROWS(ber_vectors) + ROWS(oid_vectors))

static struct CMUnitTest tests[TEST_CAPACITY];
static size_t test_count;

static void add(const char *name, CMUnitTestFunction fn, const void *row)
{
    tests[test_count].name = name;
    tests[test_count].test_func = fn;
    tests[test_count].initial_state = (void *)row;
    test_count++;
}

int main(void)
{
    for (size_t i = 0; i < ROWS(address_vectors); i++) {
        add(address_vectors[i].format_test, test_address_to_string_row, &address_vectors[i]);
        add(address_vectors[i].parse_test, test_string_to_address_row, &address_vectors[i]);
    }
    for (size_t i = 0; i < ROWS(accepted_spellings); i++)
        add(accepted_spellings[i].name, test_accepted_spelling_row, &accepted_spellings[i]);
    for (size_t i = 0; i < ROWS(refused_spellings); i++)
        add(refused_spellings[i].name, test_refused_spelling_row, &refused_spellings[i]);
    for (size_t i = 0; i < ROWS(mac_vectors); i++)
        add(mac_vectors[i].name, test_mac_type_row, &mac_vectors[i]);
    for (size_t i = 0; i < ROWS(varlen_vectors); i++)
        add(varlen_vectors[i].name, test_varlen_row, &varlen_vectors[i]);
    for (size_t i = 0; i < ROWS(ber_vectors); i++)
        add(ber_vectors[i].name, test_ber_row, &ber_vectors[i]);
    for (size_t i = 0; i < ROWS(oid_vectors); i++)
        add(oid_vectors[i].name, test_oid_row, &oid_vectors[i]);
    for (size_t i = 0; i < ROWS(named_tests); i++)
        tests[test_count++] = named_tests[i];
    return _cmocka_run_group_tests("utility_functions", tests, test_count, NULL, NULL);
}
