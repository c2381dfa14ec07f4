/* The structures shared with experts have exactly <netmon.h>'s layout - byte-packed on i686,
 * naturally aligned on x86_64 - and the host structures keep theirs. The numbers are written
 * out per architecture in support/layout_table.h; this file compares them with the project's
 * view (through nmapi.h), with <netmon.h> alone (layout_netmon_view.c), and with the bytes
 * nmapi.dll itself writes. */
#include "nmapi_test.h"
#include "layout_table.h"

extern const struct layout_row netmon_view_rows[];
extern const size_t netmon_view_count;

static const struct layout_row project_netmon_rows[] = {
    NETMON_LAYOUT(LAYOUT_STRUCT_ROW, LAYOUT_MEMBER_ROW)
};
static const struct layout_row project_host_rows[] = {
    HOST_LAYOUT(LAYOUT_STRUCT_ROW, LAYOUT_MEMBER_ROW)
};
#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* The packing itself, at compile time: a mis-packed build does not even link a test. */
#ifdef _WIN64
_Static_assert(_Alignof(EXPERTSTARTUPINFO) == 8 && _Alignof(EXPERTSTATUS) == 4,
               "x86_64: <netmon.h>'s expert structures are naturally aligned");
_Static_assert(offsetof(EXPERTSTARTUPINFO, sBitfield.bOn) == 300 && sizeof(EXPERTSTARTUPINFO) == 304,
               "x86_64: sBitfield.bOn is 4-aligned, as natural alignment gives");
#else
_Static_assert(_Alignof(EXPERTENUMINFO) == 1 && _Alignof(EXPERTSTARTUPINFO) == 1 &&
               _Alignof(EXPERTCONFIG) == 1 && _Alignof(EXPERTSTATUS) == 1 &&
               _Alignof(EXPERTFRAMEDESCRIPTOR) == 1,
               "i686: <netmon.h>'s expert structures are byte-packed (alignment 1)");
_Static_assert(offsetof(EXPERTSTARTUPINFO, sBitfield.bOn) == 281 && sizeof(EXPERTSTARTUPINFO) == 285,
               "i686: sBitfield.bOn directly follows its BYTE, which only pack(1) gives (natural: 284, 288)");
#endif
_Static_assert(_Alignof(NMEVENTDATA) == 8, "NMEVENTDATA is declared under pack(8) on both architectures");

static const char *row_name(const struct layout_row *r, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", r->type, r->member ? "." : "", r->member ? r->member : "");
    return buf;
}

/* Every differing row is printed before the test fails, so one run shows the whole drift. */
static void assert_rows_match_table(const struct layout_row *rows, size_t count, const char *view)
{
    size_t differing = 0;
    char name[128];
    for (size_t i = 0; i < count; i++) {
        const struct layout_row *r = &rows[i];
        if (r->actual_offset == r->expected_offset && r->actual_size == r->expected_size)
            continue;
        print_error("%s (%s, %s): %s %lu, %s %lu; the table says %lu, %lu\n",
                    row_name(r, name, sizeof name), view, LAYOUT_ARCH_NAME,
                    r->member ? "offset" : "sizeof", r->actual_offset,
                    r->member ? "size" : "alignof", r->actual_size,
                    r->expected_offset, r->expected_size);
        differing++;
    }
    if (differing)
        fail_msg("%lu of %lu layout rows differ", (unsigned long)differing, (unsigned long)count);
}

static void test_netmon_structures_have_the_written_layout_through_nmapi_h(void **state)
{
    (void)state;
    assert_rows_match_table(project_netmon_rows, COUNT(project_netmon_rows), "through nmapi.h");
}

static void test_netmon_structures_have_the_written_layout_through_netmon_h_alone(void **state)
{
    (void)state;
    assert_int_equal(netmon_view_count, COUNT(project_netmon_rows));
    assert_rows_match_table(netmon_view_rows, netmon_view_count, "<netmon.h> alone");
}

static void test_both_views_see_identical_layouts(void **state)
{
    (void)state;
    char name[128];
    assert_int_equal(netmon_view_count, COUNT(project_netmon_rows));
    for (size_t i = 0; i < netmon_view_count; i++) {
        const struct layout_row *a = &project_netmon_rows[i], *b = &netmon_view_rows[i];
        assert_string_equal(a->type, b->type);
        if (a->actual_offset != b->actual_offset || a->actual_size != b->actual_size)
            fail_msg("%s: nmapi.h sees %lu/%lu, <netmon.h> alone %lu/%lu",
                     row_name(a, name, sizeof name), a->actual_offset, a->actual_size,
                     b->actual_offset, b->actual_size);
    }
}

static void test_host_structures_have_the_written_layout(void **state)
{
    (void)state;
    assert_rows_match_table(project_host_rows, COUNT(project_host_rows), "nmapi.h");
}

/* The tables list every member: the members' sizes and the padding the alignment implies add
 * up to sizeof. A member added to a structure without a row breaks this. */
static void assert_every_member_has_a_row(const struct layout_row *rows, size_t count)
{
    char name[128];
    for (size_t i = 0; i < count; i++) {
        if (rows[i].member)
            continue;
        unsigned long end = 0, align = rows[i].actual_size;
        for (size_t j = i + 1; j < count && rows[j].member; j++)
            if (!strchr(rows[j].member, '.') && rows[j].actual_offset + rows[j].actual_size > end)
                end = rows[j].actual_offset + rows[j].actual_size;
        unsigned long padded = (end + align - 1) / align * align;
        if (padded != rows[i].actual_offset)
            fail_msg("%s: its rows end at %lu (%lu with padding), but sizeof is %lu: a member "
                     "without a row?", row_name(&rows[i], name, sizeof name), end, padded,
                     rows[i].actual_offset);
    }
}

static void test_the_tables_cover_every_member(void **state)
{
    (void)state;
    assert_every_member_has_a_row(project_netmon_rows, COUNT(project_netmon_rows));
    assert_every_member_has_a_row(project_host_rows, COUNT(project_host_rows));
}

/* The DLL, compiled apart from this test, writes the structures at the written offsets and not
 * one byte past sizeof. On i686 the destination sits at an odd address, which byte-packing
 * allows. */
#define CANARY 0xA5
#define PLACEMENT LAYOUT_THIS_ARCH(1, 0)

static void assert_canary_after(const unsigned char *end, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (end[i] != CANARY)
            fail_msg("byte %lu past the structure was written", (unsigned long)i);
}

static DWORD dword_at(const unsigned char *base, size_t offset)
{
    DWORD v;
    memcpy(&v, base + offset, sizeof v);
    return v;
}

static void test_the_dll_writes_startup_info_at_the_written_offsets(void **state)
{
    (void)state;
    EXPERTSTARTUPINFO given;
    memset(&given, 0, sizeof given);
    given.Flags = EXPERT_STARTUP_FLAG_USE_STARTUP_DATA_OVER_CONFIG_DATA;
    strcpy(given.szCaptureFile, "capture.cap");
    given.dwFrameNumber = 0x0BADF00D;
    given.sBitfield.BitNumber = 7;
    given.sBitfield.bOn = 0x01020304;
    EXPERTHOSTKEYINFO info = key_info();
    info.pStartupInfo = &given;
    HEXPERTKEY key = create_key_from(&info);

    _Alignas(16) unsigned char buf[PLACEMENT + sizeof(EXPERTSTARTUPINFO) + 32];
    memset(buf, CANARY, sizeof buf);
    unsigned char *p = buf + PLACEMENT;
    assert_int_equal(ExpertGetStartupInfo(key, (PEXPERTSTARTUPINFO)p), NMERR_SUCCESS);
    assert_int_equal(dword_at(p, 0), EXPERT_STARTUP_FLAG_USE_STARTUP_DATA_OVER_CONFIG_DATA);
    assert_string_equal((const char *)p + LAYOUT_THIS_ARCH(8, 16), "capture.cap");
    assert_int_equal(dword_at(p, LAYOUT_THIS_ARCH(268, 276)), 0x0BADF00D);
    assert_int_equal(p[LAYOUT_THIS_ARCH(280, 296)], 7);
    assert_int_equal(dword_at(p, LAYOUT_THIS_ARCH(281, 300)), 0x01020304);
    assert_canary_after(p + LAYOUT_THIS_ARCH(285, 304), 32);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_the_dll_writes_status_at_the_written_offsets(void **state)
{
    HEXPERTKEY key = *state;
    assert_int_equal(ExpertIndicateStatus(key, EXPERTSTATUS_RUNNING, 5, "half way", 42),
                     NMERR_SUCCESS);
    _Alignas(16) unsigned char buf[PLACEMENT + sizeof(EXPERTSTATUS) + 32];
    memset(buf, CANARY, sizeof buf);
    unsigned char *p = buf + PLACEMENT;
    assert_int_equal(ExpertHostGetStatus(key, (EXPERTSTATUS *)p), NMERR_SUCCESS);
    assert_int_equal(dword_at(p, 0), EXPERTSTATUS_RUNNING);
    assert_int_equal(dword_at(p, 4), 5);
    assert_int_equal(dword_at(p, 8), 42);
    assert_string_equal((const char *)p + 16, "half way");
    assert_canary_after(p + 276, 32);
}

static void test_the_dll_writes_memory_stats_at_the_written_offsets(void **state)
{
    HEXPERTKEY key = *state;
    DWORD error;
    void *block = ExpertAllocMemory(key, 1234, &error);
    assert_non_null(block);
    _Alignas(16) unsigned char buf[sizeof(EXPERTHOSTMEMORYSTATS) + 32];
    memset(buf, CANARY, sizeof buf);
    DWORD cb = sizeof(EXPERTHOSTMEMORYSTATS);
    memcpy(buf, &cb, sizeof cb);
    assert_int_equal(ExpertHostQueryMemory(key, (EXPERTHOSTMEMORYSTATS *)buf), NMERR_SUCCESS);
    SIZE_T live_blocks, live_bytes;
    ULONGLONG total;
    memcpy(&live_blocks, buf + LAYOUT_THIS_ARCH(8, 8), sizeof live_blocks);
    memcpy(&live_bytes, buf + LAYOUT_THIS_ARCH(12, 16), sizeof live_bytes);
    memcpy(&total, buf + LAYOUT_THIS_ARCH(24, 40), sizeof total);
    assert_int_equal(live_blocks, 1);
    assert_int_equal(live_bytes, 1234);
    assert_int_equal(total, 1);
    assert_canary_after(buf + LAYOUT_THIS_ARCH(56, 72), 32);
    assert_int_equal(ExpertFreeMemory(key, block), NMERR_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_netmon_structures_have_the_written_layout_through_nmapi_h),
        cmocka_unit_test(test_netmon_structures_have_the_written_layout_through_netmon_h_alone),
        cmocka_unit_test(test_both_views_see_identical_layouts),
        cmocka_unit_test(test_host_structures_have_the_written_layout),
        cmocka_unit_test(test_the_tables_cover_every_member),
        cmocka_unit_test(test_the_dll_writes_startup_info_at_the_written_offsets),
        cmocka_unit_test_setup_teardown(test_the_dll_writes_status_at_the_written_offsets,
                                        key_setup, key_teardown),
        cmocka_unit_test_setup_teardown(test_the_dll_writes_memory_stats_at_the_written_offsets,
                                        key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
