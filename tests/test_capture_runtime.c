/*
 * test_capture_runtime.c - the native capture runtime's contract (include/nmapi.h, "Captures"
 * and "Everything else"), frames and handles: ExpertGetFrame serving a capture of ours
 * (positions, filters, the display filter, terminate, a closed capture, the descriptor and
 * its read-only FRAME), frame and capture handles good and bad, the capture host API, display
 * filters built from FILTEROBJECTs, and the protocol table. The files come from
 * tests/captures/make_captures.sh (the captures fixture), in the folder given as argv[1].
 *
 * all.pcap (0-based frame numbers): 2408 frames; 0 ARP (60 bytes, to ff:ff:ff:ff:ff:ff),
 * 1 VLAN/IPv4/UDP/DNS, 2 LLC/IPv4/ICMP, 3 IPv6/ICMPv6, the first TCP frame is 7, the last
 * (2407) IPv6/TCP of 84 bytes.
 */
#include "capture_fixture.h"

#define ALL_FRAMES 2408u
#define LAST_FRAME (ALL_FRAMES - 1)
#define FIRST_TCP 7u

/* --- What a test opened, closed by the teardown when the test did not ---------------------- */

static HCAPTURE open_captures[16];
static HEXPERTKEY live_keys[16];
static HFILTER live_filters[80];
static int n_captures, n_keys, n_filters;

static int cleanup(void **state)
{
    (void)state;
    for (int i = 0; i < n_captures; i++)
        ExpertHostCloseCapture(open_captures[i], NULL);
    for (int i = 0; i < n_keys; i++)
        ExpertHostDestroyKey(live_keys[i], NULL);
    for (int i = 0; i < n_filters; i++)
        DestroyFilter(live_filters[i]);
    n_captures = n_keys = n_filters = 0;
    return 0;
}

static HCAPTURE open_capture(const char *file)
{
    HCAPTURE h = fixture_open(file);
    open_captures[n_captures++] = h;
    return h;
}

static HCAPTURE open_all(void) { return open_capture("all.pcap"); }

static void close_capture(HCAPTURE h)
{
    assert_int_equal(ExpertHostCloseCapture(h, NULL), NMERR_SUCCESS);
}

/* A key whose startup info names the capture (no pfnGetFrame: ExpertGetFrame serves it). */
static HEXPERTKEY capture_key(HCAPTURE h)
{
    EXPERTSTARTUPINFO startup;
    HEXPERTKEY key = fixture_capture_key(h, NULL, &startup, NULL);
    live_keys[n_keys++] = key;
    return key;
}

static HFILTER new_filter(void)
{
    HFILTER f = CreateFilter();
    assert_non_null(f);
    live_filters[n_filters++] = f;
    return f;
}

static DWORD add_protocol(HFILTER f, const char *name)
{
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = FILTERACTION_PROTOCOLEXIST;
    o.hProtocol = GetProtocolFromName((LPSTR)name);
    assert_non_null(o.hProtocol);
    return FilterAddObject(f, &o);
}

static DWORD add_action(HFILTER f, DWORD action)
{
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = action;
    return FilterAddObject(f, &o);
}

static HFILTER protocol_filter(const char *name)
{
    HFILTER f = new_filter();
    assert_int_equal(add_protocol(f, name), NMERR_SUCCESS);
    return f;
}

static DWORD get(HEXPERTKEY key, DWORD direction, DWORD flags, DWORD n, HFILTER filter,
                 EXPERTFRAMEDESCRIPTOR *d)
{
    memset(d, 0xA5, sizeof *d);
    return ExpertGetFrame(key, direction, flags, n, filter, d);
}

static void assert_served(HCAPTURE h, const EXPERTFRAMEDESCRIPTOR *d, DWORD n)
{
    assert_int_equal(d->FrameNumber, n);
    assert_ptr_equal(d->hFrame, GetFrame(h, n));
    assert_non_null(d->pFrame);
    assert_null(d->lpRecognizeDataTable);
    assert_null(d->lpPropertyTable);
    assert_int_equal(d->pFrame->FrameLength, GetFrameLength(d->hFrame));
    assert_int_equal(d->pFrame->nBytesAvail, GetFrameStoredLength(d->hFrame));
}

static void assert_read_only(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    assert_int_equal(VirtualQuery(p, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.State, MEM_COMMIT);
    assert_int_equal(mbi.Protect & 0xFF, PAGE_READONLY);
}

/* --- ExpertGetFrame: GET_SPECIFIED_FRAME -------------------------------------------------- */

static void test_expert_get_frame_specified_frame_0(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, 0);
    assert_int_equal(d.pFrame->FrameLength, 60);
    assert_int_equal(d.pFrame->nBytesAvail, 60);
    assert_true(d.pFrame->TimeStamp == 0);                 /* a pcap starts at its first frame */
    static const BYTE head[14] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x11, 0x22, 0x33,
                                   0x44, 0x55, 0x08, 0x06 };
    assert_memory_equal(d.pFrame->MacFrame, head, sizeof head);
}

static void test_expert_get_frame_specified_last_frame(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(GetCaptureTotalFrames(h), ALL_FRAMES);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, LAST_FRAME, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, LAST_FRAME);
    assert_int_equal(d.pFrame->FrameLength, 84);
}

static void test_expert_get_frame_specified_past_the_end_is_frame_not_found(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, ALL_FRAMES, NULL, &d), NMERR_FRAME_NOT_FOUND);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, ALL_FRAMES + 1, NULL, &d), NMERR_FRAME_NOT_FOUND);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, (DWORD)-1, NULL, &d), NMERR_FRAME_NOT_FOUND);
}

static void test_expert_get_frame_specified_failing_the_filter_is_frame_failed_filter(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, protocol_filter("TCP"), &d),
                     NMERR_FRAME_FAILED_FILTER);
}

static void test_expert_get_frame_specified_past_the_end_with_filter_is_frame_not_found(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, ALL_FRAMES, protocol_filter("TCP"), &d),
                     NMERR_FRAME_NOT_FOUND);
}

/* --- ExpertGetFrame: walking ------------------------------------------------------------- */

static void test_expert_get_frame_forward_from_minus_one_gives_frame_0(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, 0);
}

static void test_expert_get_frame_forward_gives_the_next_frame(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, 0, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, 1);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, LAST_FRAME - 1, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, LAST_FRAME);
}

static void test_expert_get_frame_forward_from_the_last_is_no_more_frames(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, LAST_FRAME, NULL, &d), NMERR_NO_MORE_FRAMES);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, ALL_FRAMES, NULL, &d), NMERR_NO_MORE_FRAMES);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-2, NULL, &d), NMERR_NO_MORE_FRAMES);
}

static void test_expert_get_frame_forward_skips_frames_failing_the_filter(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, protocol_filter("TCP"), &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, FIRST_TCP);
}

static void test_expert_get_frame_forward_with_nothing_passing_is_no_more_frames(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    HFILTER f = protocol_filter("ARP");
    assert_int_equal(add_protocol(f, "TCP"), NMERR_SUCCESS);
    assert_int_equal(add_action(f, FILTERACTION_AND), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, f, &d), NMERR_NO_MORE_FRAMES);
}

static void test_expert_get_frame_backward_from_total_gives_the_last_frame(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_BACKWARD, 0, GetCaptureTotalFrames(h), NULL, &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, LAST_FRAME);
}

static void test_expert_get_frame_backward_from_beyond_total_gives_the_last_frame(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_BACKWARD, 0, (DWORD)-2, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, LAST_FRAME);
}

static void test_expert_get_frame_backward_from_1_gives_frame_0(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_BACKWARD, 0, 1, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, 0);
}

static void test_expert_get_frame_backward_from_0_is_no_more_frames(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_BACKWARD, 0, 0, NULL, &d), NMERR_NO_MORE_FRAMES);
}

static void test_expert_get_frame_backward_from_minus_one_is_no_more_frames(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_BACKWARD, 0, (DWORD)-1, NULL, &d), NMERR_NO_MORE_FRAMES);
}

static void test_expert_get_frame_backward_skips_frames_failing_the_filter(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_FRAME_NEXT_BACKWARD, 0, FIRST_TCP, protocol_filter("ARP"), &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, 0);
}

/* --- ExpertGetFrame: arguments ------------------------------------------------------------ */

static void test_expert_get_frame_bad_direction_is_invalid_parameter(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, 3, 0, 0, NULL, &d), NMERR_INVALID_PARAMETER);
    assert_int_equal(get(key, 0x80000000u, 0, 0, NULL, &d), NMERR_INVALID_PARAMETER);
    assert_int_equal(get(key, (DWORD)-1, 0, 0, NULL, &d), NMERR_INVALID_PARAMETER);
}

static void test_expert_get_frame_unknown_request_flags_is_invalid_parameter(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0x4, 0, NULL, &d), NMERR_INVALID_PARAMETER);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0x80000000u | FLAGS_DEFER_TO_UI_FILTER, 0,
                         NULL, &d), NMERR_INVALID_PARAMETER);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, (DWORD)-1, (DWORD)-1, NULL, &d),
                     NMERR_INVALID_PARAMETER);
}

static void test_expert_get_frame_attach_properties_attaches_nothing(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_ATTACH_PROPERTIES, 2, NULL, &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, 2);
}

static void test_expert_get_frame_null_descriptor_is_invalid_parameter(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    assert_int_equal(ExpertGetFrame(key, GET_SPECIFIED_FRAME, 0, 0, NULL, NULL),
                     NMERR_INVALID_PARAMETER);
}

static void test_expert_get_frame_destroyed_filter_is_invalid_hfilter(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    HFILTER f = CreateFilter();
    assert_non_null(f);
    assert_int_equal(DestroyFilter(f), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, f, &d), NMERR_INVALID_HFILTER);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, f, &d), NMERR_INVALID_HFILTER);
}

static void test_expert_get_frame_forged_filter_is_invalid_hfilter(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    FILTERDESC2 fake;
    memset(&fake, 0, sizeof fake);
    HFILTER live = new_filter();
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, (HFILTER)&fake, &d), NMERR_INVALID_HFILTER);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, (HFILTER)1, &d), NMERR_INVALID_HFILTER);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, (HFILTER)((char *)live + 1), &d),
                     NMERR_INVALID_HFILTER);
}

static void test_expert_get_frame_without_capture_or_callback_is_not_supported(void **state)
{
    (void)state;
    open_all();                       /* a capture is open, but the key names none */
    HEXPERTKEY key = capture_key(NULL);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_NOT_SUPPORTED);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, NULL, &d), NMERR_NOT_SUPPORTED);
}

static void test_expert_get_frame_dead_key_is_invalid_expert_handle(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(get((HEXPERTKEY)h, GET_SPECIFIED_FRAME, 0, 0, NULL, &d),
                     NMERR_INVALID_EXPERT_HANDLE);
}

/* --- ExpertGetFrame: the display filter --------------------------------------------------- */

static void test_expert_get_frame_defer_without_display_filter_uses_hfilter_only(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0, NULL, &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, 0);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, FLAGS_DEFER_TO_UI_FILTER, (DWORD)-1,
                         protocol_filter("TCP"), &d), NMERR_SUCCESS);
    assert_served(h, &d, FIRST_TCP);
}

static void test_expert_get_frame_defer_applies_the_display_filter(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    assert_int_equal(ExpertHostSetDisplayFilter(h, protocol_filter("TCP")), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0, NULL, &d),
                     NMERR_FRAME_FAILED_FILTER);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, FLAGS_DEFER_TO_UI_FILTER, (DWORD)-1, NULL, &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, FIRST_TCP);
}

static void test_expert_get_frame_without_defer_ignores_the_display_filter(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    assert_int_equal(ExpertHostSetDisplayFilter(h, protocol_filter("TCP")), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_SUCCESS);
    assert_served(h, &d, 0);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, FLAGS_ATTACH_PROPERTIES, (DWORD)-1, NULL, &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, 0);
}

static void test_expert_get_frame_defer_applies_display_filter_and_hfilter(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    assert_int_equal(ExpertHostSetDisplayFilter(h, protocol_filter("TCP")), NMERR_SUCCESS);
    HFILTER arp = protocol_filter("ARP");
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0, arp, &d),
                     NMERR_FRAME_FAILED_FILTER);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, FIRST_TCP, arp, &d),
                     NMERR_FRAME_FAILED_FILTER);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, FLAGS_DEFER_TO_UI_FILTER, (DWORD)-1, arp, &d),
                     NMERR_NO_MORE_FRAMES);
}

static void test_set_display_filter_copies_the_filter_as_it_is_now(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    HFILTER f = protocol_filter("ARP");
    assert_int_equal(ExpertHostSetDisplayFilter(h, f), NMERR_SUCCESS);
    assert_int_equal(add_action(f, FILTERACTION_NOT), NMERR_SUCCESS);   /* f: not ARP now */
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0, NULL, &d),
                     NMERR_SUCCESS);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 1, NULL, &d),
                     NMERR_FRAME_FAILED_FILTER);
}

static void test_set_display_filter_survives_destroying_the_filter(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    HFILTER f = CreateFilter();
    assert_non_null(f);
    assert_int_equal(add_protocol(f, "ARP"), NMERR_SUCCESS);
    assert_int_equal(ExpertHostSetDisplayFilter(h, f), NMERR_SUCCESS);
    assert_int_equal(DestroyFilter(f), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 1, NULL, &d),
                     NMERR_FRAME_FAILED_FILTER);
}

static void test_set_display_filter_null_removes_it(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    assert_int_equal(ExpertHostSetDisplayFilter(h, protocol_filter("TCP")), NMERR_SUCCESS);
    assert_int_equal(ExpertHostSetDisplayFilter(h, NULL), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0, NULL, &d),
                     NMERR_SUCCESS);
    assert_served(h, &d, 0);
}

static void test_set_display_filter_is_per_capture(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_all();
    HEXPERTKEY kb = capture_key(b);
    assert_int_equal(ExpertHostSetDisplayFilter(a, protocol_filter("TCP")), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(kb, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0, NULL, &d),
                     NMERR_SUCCESS);
}

static void test_set_display_filter_bad_capture_is_invalid_hcapture(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    close_capture(h);
    HFILTER f = protocol_filter("TCP");
    assert_int_equal(ExpertHostSetDisplayFilter(h, f), NMERR_INVALID_HCAPTURE);
    assert_int_equal(ExpertHostSetDisplayFilter(NULL, f), NMERR_INVALID_HCAPTURE);
    assert_int_equal(ExpertHostSetDisplayFilter(NULL, NULL), NMERR_INVALID_HCAPTURE);
}

static void test_set_display_filter_bad_filter_is_invalid_hfilter(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    HFILTER f = CreateFilter();
    assert_int_equal(DestroyFilter(f), NMERR_SUCCESS);
    int on_stack = 0;
    assert_int_equal(ExpertHostSetDisplayFilter(h, f), NMERR_INVALID_HFILTER);
    assert_int_equal(ExpertHostSetDisplayFilter(h, (HFILTER)&on_stack), NMERR_INVALID_HFILTER);
    EXPERTFRAMEDESCRIPTOR d;               /* and no display filter was set */
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, FLAGS_DEFER_TO_UI_FILTER, 0, NULL, &d),
                     NMERR_SUCCESS);
}

/* --- ExpertGetFrame: terminate, close, the descriptor -------------------------------------- */

static void test_expert_get_frame_after_terminate_is_expert_terminate(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    assert_int_equal(ExpertHostTerminate(key), NMERR_SUCCESS);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_EXPERT_TERMINATE);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, protocol_filter("TCP"), &d),
                     NMERR_EXPERT_TERMINATE);
}

static void test_expert_get_frame_capture_closed_is_invalid_hcapture(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_SUCCESS);
    close_capture(h);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_INVALID_HCAPTURE);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, NULL, &d), NMERR_INVALID_HCAPTURE);
    assert_int_equal(get(key, GET_FRAME_NEXT_BACKWARD, FLAGS_DEFER_TO_UI_FILTER, ALL_FRAMES, NULL, &d),
                     NMERR_INVALID_HCAPTURE);
}

static void test_expert_get_frame_failure_leaves_the_descriptor_untouched(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    HFILTER tcp = protocol_filter("TCP");
    HFILTER dead = CreateFilter();
    assert_int_equal(DestroyFilter(dead), NMERR_SUCCESS);
    static const struct { DWORD direction, flags, n; int filter; DWORD error; } cases[] = {
        { GET_SPECIFIED_FRAME, 0, ALL_FRAMES, 0, NMERR_FRAME_NOT_FOUND },
        { GET_SPECIFIED_FRAME, 0, 0, 1, NMERR_FRAME_FAILED_FILTER },
        { GET_FRAME_NEXT_FORWARD, 0, LAST_FRAME, 0, NMERR_NO_MORE_FRAMES },
        { GET_FRAME_NEXT_BACKWARD, 0, 0, 0, NMERR_NO_MORE_FRAMES },
        { 7, 0, 0, 0, NMERR_INVALID_PARAMETER },
        { GET_SPECIFIED_FRAME, 0x10, 0, 0, NMERR_INVALID_PARAMETER },
        { GET_SPECIFIED_FRAME, 0, 0, 2, NMERR_INVALID_HFILTER },
    };
    EXPERTFRAMEDESCRIPTOR d, poison;
    memset(&poison, 0x5C, sizeof poison);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        d = poison;
        HFILTER f = cases[i].filter == 1 ? tcp : cases[i].filter == 2 ? dead : NULL;
        assert_int_equal(ExpertGetFrame(key, cases[i].direction, cases[i].flags, cases[i].n, f, &d),
                         cases[i].error);
        assert_memory_equal(&d, &poison, sizeof d);
    }
    assert_int_equal(ExpertHostTerminate(key), NMERR_SUCCESS);
    d = poison;
    assert_int_equal(ExpertGetFrame(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_EXPERT_TERMINATE);
    assert_memory_equal(&d, &poison, sizeof d);
    HEXPERTKEY other = capture_key(h);
    close_capture(h);
    d = poison;
    assert_int_equal(ExpertGetFrame(other, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_INVALID_HCAPTURE);
    assert_memory_equal(&d, &poison, sizeof d);
}

static void test_expert_get_frame_pframe_is_read_only(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, LAST_FRAME, NULL, &d), NMERR_SUCCESS);
    assert_read_only(d.pFrame);
    assert_read_only(d.pFrame->MacFrame + d.pFrame->nBytesAvail - 1);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, (DWORD)-1, NULL, &d), NMERR_SUCCESS);
    assert_read_only(d.pFrame);
    assert_read_only(d.pFrame->MacFrame + d.pFrame->nBytesAvail - 1);
}

static void test_expert_get_frame_pframe_stays_identical_for_63_further_frames(void **state)
{
    (void)state;
    HEXPERTKEY key = capture_key(open_all());
    for (DWORD start = 0; start < ALL_FRAMES; start += 1000) {
        EXPERTFRAMEDESCRIPTOR first, d;
        assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, start, NULL, &first), NMERR_SUCCESS);
        size_t size = offsetof(FRAME, MacFrame) + first.pFrame->nBytesAvail;
        unsigned char *copy = malloc(size);
        memcpy(copy, (const void *)first.pFrame, size);
        DWORD n = start;
        for (int i = 0; i < 63; i++) {
            DWORD error = get(key, GET_FRAME_NEXT_FORWARD, 0, n, NULL, &d);
            if (error == NMERR_NO_MORE_FRAMES)
                assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, n = i % 50, NULL, &d), NMERR_SUCCESS);
            else
                assert_int_equal(error, NMERR_SUCCESS);
            n = d.FrameNumber;
            assert_memory_equal((const void *)first.pFrame, copy, size);
        }
        free(copy);
    }
}

static void test_expert_get_frame_counts_frames_served(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h), other = capture_key(h);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_SUCCESS);
    assert_int_equal(get(key, GET_FRAME_NEXT_FORWARD, 0, 0, NULL, &d), NMERR_SUCCESS);
    assert_int_equal(get(other, GET_SPECIFIED_FRAME, 0, 5, NULL, &d), NMERR_SUCCESS);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, ALL_FRAMES, NULL, &d), NMERR_FRAME_NOT_FOUND);
    EXPERTHOSTCAPTUREINFO info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info;
    assert_int_equal(ExpertHostQueryCapture(h, &info), NMERR_SUCCESS);
    assert_int_equal(info.FramesServed, 3);
}

/* --- Capture and frame handles ------------------------------------------------------------ */

static void test_get_frame_in_range_gives_its_frame(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HFRAME f0 = GetFrame(h, 0), last = GetFrame(h, LAST_FRAME);
    assert_non_null(f0);
    assert_non_null(last);
    assert_ptr_not_equal(f0, last);
    assert_ptr_equal(GetFrame(h, 0), f0);
    assert_int_equal(GetFrameNumber(f0), 0);
    assert_int_equal(GetFrameNumber(last), LAST_FRAME);
    assert_ptr_equal(GetFrameCaptureHandle(last), h);
    assert_int_equal(GetFrameLength(f0), 60);
    assert_int_equal(GetFrameStoredLength(last), 84);
    assert_true(GetFrameTimeStamp(f0) == 0);
    assert_true(GetFrameTimeStamp(GetFrame(h, 1)) == 100);
    assert_int_equal(GetFrameMacType(f0), MAC_TYPE_ETHERNET);
    assert_int_equal(GetFrameMacHeaderLength(f0), 14);
    ULPFRAME p = GetFrameFromFrameHandle(last);
    assert_non_null(p);
    assert_int_equal(p->FrameLength, 84);
    assert_read_only(p);
}

static void test_get_frame_out_of_range_is_null(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    assert_null(GetFrame(h, ALL_FRAMES));
    assert_null(GetFrame(h, ALL_FRAMES + 1));
    assert_null(GetFrame(h, (DWORD)-1));
}

static void test_capture_queries_on_a_good_capture(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    assert_int_equal(GetCaptureTotalFrames(h), ALL_FRAMES);
    assert_int_equal(GetCaptureMacType(h), MAC_TYPE_ETHERNET);
    LPSYSTEMTIME t = GetCaptureTimeStamp(h);
    assert_non_null(t);
    assert_read_only(t);
    assert_null(GetCaptureComment(h));              /* a pcap file has none */
    assert_non_null(GetEnabledProtocols(h));
}

/* Values that are not open captures: NULL, 1, a stack address, a closed capture, an expert's
 * key, a frame handle. */
static size_t bad_captures(HCAPTURE *out, void *stack)
{
    size_t n = 0;
    HCAPTURE closed = open_all();
    HFRAME frame = GetFrame(closed, 3);
    out[n++] = NULL;
    out[n++] = (HCAPTURE)(uintptr_t)1;
    out[n++] = (HCAPTURE)stack;
    out[n++] = (HCAPTURE)~(uintptr_t)0;
    out[n++] = (HCAPTURE)frame;                     /* of a capture still open */
    HEXPERTKEY key = NULL;
    assert_int_equal(ExpertHostCreateKey(NULL, &key), NMERR_SUCCESS);
    live_keys[n_keys++] = key;
    out[n++] = (HCAPTURE)key;
    HCAPTURE reopened = open_all();
    (void)reopened;
    close_capture(closed);
    out[n++] = closed;
    return n;
}

static void test_capture_queries_of_bad_handles_give_their_failure_values(void **state)
{
    (void)state;
    int on_stack[4] = { 0 };
    HCAPTURE bad[8];
    size_t n = bad_captures(bad, on_stack);
    HFILTER f = protocol_filter("TCP");
    for (size_t i = 0; i < n; i++) {
        print_message("bad capture %u\n", (unsigned)i);
        assert_int_equal(GetCaptureTotalFrames(bad[i]), 0);
        assert_int_equal(GetCaptureMacType(bad[i]), NMERR_INVALID_HCAPTURE);
        assert_null(GetCaptureTimeStamp(bad[i]));
        assert_null(GetCaptureComment(bad[i]));
        assert_null(GetFrame(bad[i], 0));
        assert_null(GetEnabledProtocols(bad[i]));
        EXPERTHOSTCAPTUREINFO info;
        memset(&info, 0, sizeof info);
        info.cbSize = sizeof info;
        assert_int_equal(ExpertHostQueryCapture(bad[i], &info), NMERR_INVALID_HCAPTURE);
        assert_int_equal(ExpertHostSetDisplayFilter(bad[i], f), NMERR_INVALID_HCAPTURE);
        assert_int_equal(ExpertHostCloseCapture(bad[i], NULL), NMERR_INVALID_HCAPTURE);
    }
    assert_memory_equal(on_stack, (int[4]){ 0 }, sizeof on_stack);
}

static void assert_frame_refused(HFRAME h)
{
    assert_null(GetFrameCaptureHandle(h));
    assert_null(GetFrameFromFrameHandle(h));
    assert_int_equal(GetFrameNumber(h), (DWORD)-1);
    assert_int_equal(GetFrameLength(h), 0);
    assert_int_equal(GetFrameStoredLength(h), 0);
    assert_true(GetFrameTimeStamp(h) == -1);
    assert_int_equal(GetFrameMacType(h), MAC_TYPE_UNKNOWN);
    assert_int_equal(GetFrameMacHeaderLength(h), 0);
    ADDRESS2 a;
    memset(&a, 0x3C, sizeof a);
    assert_int_equal(GetFrameSourceAddress(h, &a, ADDRESS_TYPE_ETHERNET, 0), NMERR_INVALID_HFRAME);
    assert_int_equal(GetFrameDestAddress(h, &a, ADDRESS_TYPE_IP, 0), NMERR_INVALID_HFRAME);
    assert_int_equal(GetFrameSourceAddress(h, NULL, ADDRESS_TYPE_ETHERNET, 0), NMERR_INVALID_HFRAME);
    DWORD length = 77;
    assert_int_equal(GetFrameSrcAddressOffset(h, ADDRESS_TYPE_ETHERNET, &length), (DWORD)-1);
    assert_int_equal(GetFrameDstAddressOffset(h, ADDRESS_TYPE_ETHERNET, &length), (DWORD)-1);
    assert_int_equal(length, 77);
    ADDRESS2 mac;
    memset(&mac, 0, sizeof mac);
    mac.Type = ADDRESS_TYPE_ETHERNET;
    memset(mac.MACAddress, 0xff, 6);
    assert_false(CompareFrameSourceAddress(h, &mac));
    assert_false(CompareFrameDestAddress(h, &mac));
    assert_null(FindNextFrame(h, (LPSTR)"ARP", NULL, NULL, NULL, (DWORD)-1, (DWORD)-1));
    assert_null(FindPreviousFrame(h, (LPSTR)"ARP", NULL, NULL, NULL, (DWORD)-1, 0));
    assert_int_equal(GetProtocolStartOffset(h, (LPSTR)"ETHERNET"), (DWORD)-1);
    BYTE zero[sizeof a];
    memset(zero, 0x3C, sizeof zero);
    assert_memory_equal(&a, zero, sizeof a);
}

static void test_frame_queries_of_bad_handles_give_their_failure_values(void **state)
{
    (void)state;
    int on_stack = 0;
    HCAPTURE h = open_all();
    HFRAME last = GetFrame(h, LAST_FRAME);
    HFRAME bad[] = { NULL, (HFRAME)(uintptr_t)1, (HFRAME)&on_stack, (HFRAME)~(uintptr_t)0,
                     (HFRAME)h, (HFRAME)((uintptr_t)last + 1), (HFRAME)((uintptr_t)GetFrame(h, 0) - 1) };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("bad frame %u\n", (unsigned)i);
        assert_frame_refused(bad[i]);
    }
    assert_int_equal(on_stack, 0);
}

static void test_frame_handles_of_a_closed_capture_are_refused(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HFRAME f0 = GetFrame(h, 0), f9 = GetFrame(h, 9);
    assert_int_equal(GetFrameNumber(f9), 9);
    close_capture(h);
    assert_frame_refused(f0);
    assert_frame_refused(f9);
}

static void test_frame_handles_of_a_closed_capture_are_refused_after_a_new_open(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HFRAME old[3] = { GetFrame(h, 0), GetFrame(h, 9), GetFrame(h, LAST_FRAME) };
    close_capture(h);
    HCAPTURE again = open_all();
    HCAPTURE links = open_capture("links.pcapng");
    assert_non_null(GetFrame(links, 0));
    for (int i = 0; i < 3; i++) {
        assert_ptr_not_equal(GetFrame(again, GetFrameNumber(GetFrame(again, i))), old[i]);
        assert_frame_refused(old[i]);
    }
    assert_int_equal(GetFrameNumber(GetFrame(again, 9)), 9);
    assert_ptr_equal(GetFrameCaptureHandle(GetFrame(again, 9)), again);
}

static void test_frame_handles_of_two_captures_name_their_own_frames(void **state)
{
    (void)state;
    HCAPTURE a = open_all(), b = open_capture("links.pcapng");
    HFRAME fa = GetFrame(a, 5), fb = GetFrame(b, 5);
    assert_ptr_not_equal(fa, fb);
    assert_ptr_equal(GetFrameCaptureHandle(fa), a);
    assert_ptr_equal(GetFrameCaptureHandle(fb), b);
    assert_int_equal(GetFrameNumber(fb), 5);
    assert_null(GetFrame(b, GetCaptureTotalFrames(b)));
}

static void test_capture_used_as_expert_key_is_invalid_expert_handle(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY as_key = (HEXPERTKEY)h;
    EXPERTSTARTUPINFO startup;
    memset(&startup, 0xCD, sizeof startup);
    EXPERTHOSTMEMORYSTATS s;
    memset(&s, 0, sizeof s);
    s.cbSize = sizeof s;
    EXPERTSTATUS status;
    assert_int_equal(ExpertHostDestroyKey(as_key, NULL), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertHostDestroyKey(as_key, &s), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertGetStartupInfo(as_key, &startup), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertHostTerminate(as_key), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertHostGetStatus(as_key, &status), NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertIndicateStatus(as_key, EXPERTSTATUS_RUNNING, 0, "x", 5),
                     NMERR_INVALID_EXPERT_HANDLE);
    assert_int_equal(ExpertSubmitEvent(as_key, (PNMEVENTDATA)&startup), NMERR_INVALID_EXPERT_HANDLE);
    /* the capture is untouched */
    assert_int_equal(GetCaptureTotalFrames(h), ALL_FRAMES);
    assert_non_null(GetFrameFromFrameHandle(GetFrame(h, 0)));
    close_capture(h);
}

static void test_capture_used_as_a_key_for_memory_reaches_its_per_capture_memory(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY as_key = (HEXPERTKEY)h;
    DWORD error = POISON_ERROR;
    void *p = ExpertAllocMemory(as_key, 16, &error);
    assert_non_null(p);
    assert_int_equal(error, NMERR_SUCCESS);
    EXPERTHOSTMEMORYSTATS s;
    memset(&s, 0, sizeof s);
    s.cbSize = sizeof s;
    assert_int_equal(ExpertHostQueryMemory(as_key, &s), NMERR_SUCCESS);
    assert_int_equal(s.LiveBlocks, 1);
    assert_int_equal(s.LiveBytes, 16);
    EXPERTHOSTCAPTUREINFO info = { .cbSize = sizeof info };
    assert_int_equal(ExpertHostQueryCapture(h, &info), NMERR_SUCCESS);
    assert_int_equal(info.CCHeapBlocks, 1);
    assert_int_equal(info.CCHeapBytes, 16);
    assert_int_equal(ExpertFreeMemory(as_key, p), NMERR_SUCCESS);
    close_capture(h);
}

/* --- Host API ----------------------------------------------------------------------------- */

static void test_open_capture_null_arguments_are_invalid_parameter(void **state)
{
    (void)state;
    char path[MAX_PATH];
    fixture_windows_path("all.pcap", path);
    HCAPTURE h = (HCAPTURE)(uintptr_t)0x1234;
    assert_int_equal(ExpertHostOpenCapture(NULL, &h), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostOpenCapture("", &h), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostOpenCapture(path, NULL), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostOpenCaptureW(NULL, &h), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostOpenCaptureW(L"", &h), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostOpenCaptureW(L"Z:\\x", NULL), NMERR_INVALID_PARAMETER);
    assert_ptr_equal(h, (HCAPTURE)(uintptr_t)0x1234);
}

static void test_open_capture_missing_file_is_file_not_found(void **state)
{
    (void)state;
    char path[MAX_PATH];
    HCAPTURE h = (HCAPTURE)(uintptr_t)0x1234;
    fixture_windows_path("no_such_capture.pcap", path);
    assert_int_equal(ExpertHostOpenCapture(path, &h), NMERR_FILE_NOT_FOUND);
    fixture_windows_path("no_such_folder/all.pcap", path);
    assert_int_equal(ExpertHostOpenCapture(path, &h), NMERR_FILE_NOT_FOUND);
    assert_ptr_equal(h, (HCAPTURE)(uintptr_t)0x1234);
}

/* A file of the given bytes in the temporary folder; its name in out. */
static void temp_file(const char *bytes, size_t n, char out[MAX_PATH])
{
    char dir[MAX_PATH];
    assert_true(GetTempPathA(sizeof dir, dir) > 0);
    assert_true(GetTempFileNameA(dir, "nmc", 0, out) != 0);
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

static void test_open_capture_text_file_is_invalid_file_format(void **state)
{
    (void)state;
    static const char text[] = "This is not a capture file.\nIt has lines of text in it.\n";
    char path[MAX_PATH];
    temp_file(text, sizeof text - 1, path);
    HCAPTURE h = (HCAPTURE)(uintptr_t)0x1234;
    DWORD error = ExpertHostOpenCapture(path, &h);
    DeleteFileA(path);
    assert_int_equal(error, NMERR_INVALID_FILE_FORMAT);
    assert_ptr_equal(h, (HCAPTURE)(uintptr_t)0x1234);
}

static void test_open_capture_empty_file_is_invalid_file_format(void **state)
{
    (void)state;
    char path[MAX_PATH];
    temp_file("", 0, path);
    HCAPTURE h = (HCAPTURE)(uintptr_t)0x1234;
    DWORD error = ExpertHostOpenCapture(path, &h);
    DeleteFileA(path);
    assert_int_equal(error, NMERR_INVALID_FILE_FORMAT);
    assert_ptr_equal(h, (HCAPTURE)(uintptr_t)0x1234);
}

static void test_open_capture_w_opens_the_same_capture(void **state)
{
    (void)state;
    char path[MAX_PATH];
    WCHAR wide[MAX_PATH];
    fixture_windows_path("all.pcapng", path);
    assert_true(MultiByteToWideChar(CP_ACP, 0, path, -1, wide, MAX_PATH) > 0);
    HCAPTURE h = NULL;
    assert_int_equal(ExpertHostOpenCaptureW(wide, &h), NMERR_SUCCESS);
    open_captures[n_captures++] = h;
    assert_int_equal(GetCaptureTotalFrames(h), ALL_FRAMES);
}

static void test_query_capture_checks_cbsize(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    EXPERTHOSTCAPTUREINFO info, poison;
    DWORD sizes[] = { 0, sizeof info - 1, sizeof info + 1, sizeof info - sizeof(SIZE_T) };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        memset(&info, 0x77, sizeof info);
        info.cbSize = sizes[i];
        poison = info;
        assert_int_equal(ExpertHostQueryCapture(h, &info), NMERR_INVALID_PARAMETER);
        assert_memory_equal(&info, &poison, sizeof info);
    }
    assert_int_equal(ExpertHostQueryCapture(h, NULL), NMERR_INVALID_PARAMETER);
}

static void test_query_capture_describes_the_capture(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    EXPERTHOSTCAPTUREINFO info;
    memset(&info, 0x77, sizeof info);
    info.cbSize = sizeof info;
    assert_int_equal(ExpertHostQueryCapture(h, &info), NMERR_SUCCESS);
    assert_int_equal(info.cbSize, sizeof info);
    assert_int_equal(info.Format, EXPERTHOST_CAPTURE_PCAP);
    assert_int_equal(info.MacType, MAC_TYPE_ETHERNET);
    assert_int_equal(info.LinkType, 1);
    assert_int_equal(info.TotalFrames, ALL_FRAMES);
    assert_int_equal(info.Damage, EXPERTHOST_DAMAGE_NONE);
    assert_int_equal(info.Reserved, 0);
    assert_int_equal(info.IndexBytes, 16 * (ULONGLONG)ALL_FRAMES);
    assert_int_equal(info.FramesServed, 0);
    assert_int_equal(info.CCHeapBlocks, 0);
    assert_int_equal(info.CCHeapBytes, 0);
    assert_true(info.FileSize > 0);
}

static void test_close_capture_twice_is_invalid_hcapture(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    assert_int_equal(ExpertHostCloseCapture(h, NULL), NMERR_SUCCESS);
    assert_int_equal(ExpertHostCloseCapture(h, NULL), NMERR_INVALID_HCAPTURE);
    EXPERTHOSTMEMORYSTATS s;
    memset(&s, 0, sizeof s);
    s.cbSize = sizeof s;
    assert_int_equal(ExpertHostCloseCapture(h, &s), NMERR_INVALID_HCAPTURE);
}

static void test_close_capture_wrong_cbsize_leaves_it_open(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    EXPERTHOSTMEMORYSTATS s;
    memset(&s, 0, sizeof s);
    s.cbSize = sizeof s - 1;
    assert_int_equal(ExpertHostCloseCapture(h, &s), NMERR_INVALID_PARAMETER);
    s.cbSize = 0;
    assert_int_equal(ExpertHostCloseCapture(h, &s), NMERR_INVALID_PARAMETER);
    assert_int_equal(GetCaptureTotalFrames(h), ALL_FRAMES);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &d), NMERR_SUCCESS);
    s.cbSize = sizeof s;
    assert_int_equal(ExpertHostCloseCapture(h, &s), NMERR_SUCCESS);
}

static void test_forward_to_is_refused_while_a_capture_is_open(void **state)
{
    (void)state;
    open_all();
    char path[MAX_PATH];
    fixture_windows_path("no_such_original_nmapi.dll", path);   /* were it accepted: not found */
    DWORD resolved = 99;
    assert_int_equal(ExpertHostForwardTo(path, &resolved), NMERR_NOT_SUPPORTED);
    assert_int_equal(ExpertHostForwardToW(L"Z:\\no_such_original_nmapi.dll", &resolved),
                     NMERR_NOT_SUPPORTED);
}

static void test_forward_to_is_refused_while_a_filter_is_live(void **state)
{
    (void)state;
    assert_int_equal(n_captures, 0);
    new_filter();
    char path[MAX_PATH];
    fixture_windows_path("no_such_original_nmapi.dll", path);
    assert_int_equal(ExpertHostForwardTo(path, NULL), NMERR_NOT_SUPPORTED);
}

/* --- Filters ------------------------------------------------------------------------------ */

static void test_create_filter_gives_an_empty_filter_passing_every_frame(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    HEXPERTKEY key = capture_key(h);
    HFILTER f = new_filter();
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 0);
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, f, &d), NMERR_SUCCESS);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, LAST_FRAME, f, &d), NMERR_SUCCESS);
}

static void test_destroy_filter_twice_is_invalid_hfilter(void **state)
{
    (void)state;
    HFILTER f = CreateFilter();
    assert_non_null(f);
    assert_int_equal(DestroyFilter(f), NMERR_SUCCESS);
    assert_int_equal(DestroyFilter(f), NMERR_INVALID_HFILTER);
}

static void test_destroy_filter_bad_handles_are_invalid_hfilter(void **state)
{
    (void)state;
    FILTERDESC2 fake;
    memset(&fake, 0, sizeof fake);
    HFILTER live = new_filter();
    assert_int_equal(DestroyFilter(NULL), NMERR_INVALID_HFILTER);
    assert_int_equal(DestroyFilter((HFILTER)(uintptr_t)1), NMERR_INVALID_HFILTER);
    assert_int_equal(DestroyFilter((HFILTER)&fake), NMERR_INVALID_HFILTER);
    assert_int_equal(DestroyFilter((HFILTER)((char *)live + 2)), NMERR_INVALID_HFILTER);
    assert_int_equal(add_protocol(live, "IP"), NMERR_SUCCESS);   /* live is still live */
}

static void test_create_filter_refuses_the_1025th(void **state)
{
    (void)state;
    static HFILTER all[1100];
    int n = 0;
    while (n < 1100 && (all[n] = CreateFilter()) != NULL)
        n++;
    for (int i = 0; i < n; i++)
        assert_int_equal(DestroyFilter(all[i]), NMERR_SUCCESS);
    assert_int_equal(n, 1024);
    HFILTER again = new_filter();
    assert_non_null(again);
}

static void test_filter_add_object_null_object_is_invalid_parameter(void **state)
{
    (void)state;
    HFILTER f = new_filter();
    assert_int_equal(FilterAddObject(f, NULL), NMERR_INVALID_PARAMETER);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 0);
}

static void test_filter_add_object_bad_filter_is_invalid_hfilter(void **state)
{
    (void)state;
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = FILTERACTION_BOOL;
    o.Value = 1;
    HFILTER dead = CreateFilter();
    assert_int_equal(DestroyFilter(dead), NMERR_SUCCESS);
    FILTERDESC2 fake;
    memset(&fake, 0, sizeof fake);
    assert_int_equal(FilterAddObject(NULL, &o), NMERR_INVALID_HFILTER);
    assert_int_equal(FilterAddObject(dead, &o), NMERR_INVALID_HFILTER);
    assert_int_equal(FilterAddObject((HFILTER)&fake, &o), NMERR_INVALID_HFILTER);
}

static void test_filter_add_object_property_actions_are_not_supported(void **state)
{
    (void)state;
    HFILTER f = new_filter();
    static const DWORD actions[] = {
        FILTERACTION_PROPERTY, FILTERACTION_VALUE, FILTERACTION_STRING, FILTERACTION_ARRAY,
        FILTERACTION_PROPERTYEXIST, FILTERACTION_CONTAINSNC, FILTERACTION_CONTAINS,
        FILTERACTION_EQUALNC, FILTERACTION_EQUAL, FILTERACTION_NOTEQUALNC, FILTERACTION_NOTEQUAL,
        FILTERACTION_GREATERNC, FILTERACTION_GREATER, FILTERACTION_LESSNC, FILTERACTION_LESS,
        FILTERACTION_GREATEREQUALNC, FILTERACTION_GREATEREQUAL, FILTERACTION_LESSEQUALNC,
        FILTERACTION_LESSEQUAL, FILTERACTION_PLUS, FILTERACTION_MINUS, FILTERACTION_AREBITSON,
        FILTERACTION_AREBITSOFF, FILTERACTION_ARRAYEQUAL, FILTERACTION_DEREFPROPERTY,
        FILTERACTION_LARGEINT, FILTERACTION_TIME, FILTERACTION_ADDR_ETHER, FILTERACTION_ADDR_TOKEN,
        FILTERACTION_ADDR_FDDI, FILTERACTION_ADDR_IPX, FILTERACTION_ADDR_IP, FILTERACTION_OID,
        FILTERACTION_OID_CONTAINS, FILTERACTION_OID_BEGINS_WITH, FILTERACTION_OID_ENDS_WITH,
        FILTERACTION_ADDR_VINES, FILTERACTION_ADDR_IP6, FILTERACTION_EXPRESSION,
        FILTERACTION_NOEVAL,
    };
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++) {
        print_message("action %lu\n", (unsigned long)actions[i]);
        assert_int_equal(add_action(f, actions[i]), NMERR_NOT_SUPPORTED);
    }
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 0);
}

static void test_filter_add_object_address_the_recogniser_does_not_see_is_not_supported(void **state)
{
    (void)state;
    HFILTER f = new_filter();
    ADDRESS2 a[2];
    memset(a, 0, sizeof a);
    a[0].Type = ADDRESS_TYPE_IPX;
    a[1].Type = ADDRESS_TYPE_IP;
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = FILTERACTION_ADDRESS;
    o.lpAddress = a;
    assert_int_equal(FilterAddObject(f, &o), NMERR_NOT_SUPPORTED);
    o.Action = FILTERACTION_FROMTO;
    a[0].Type = ADDRESS_TYPE_IP;
    a[1].Type = ADDRESS_TYPE_IPX;
    assert_int_equal(FilterAddObject(f, &o), NMERR_NOT_SUPPORTED);
    o.lpAddress = NULL;
    assert_int_equal(FilterAddObject(f, &o), NMERR_INVALID_PARAMETER);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 0);
}

static void test_filter_add_object_unknown_action_is_invalid_parameter(void **state)
{
    (void)state;
    HFILTER f = new_filter();
    static const DWORD actions[] = { FILTERACTION_INVALID, 50, 96, 100, 1000, 0x80000000u, (DWORD)-1 };
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        assert_int_equal(add_action(f, actions[i]), NMERR_INVALID_PARAMETER);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 0);
}

static void test_filter_add_object_and_without_operands_is_stack_empty(void **state)
{
    (void)state;
    HFILTER f = new_filter();
    assert_int_equal(add_action(f, FILTERACTION_AND), NMERR_STACK_EMPTY);
    assert_int_equal(add_action(f, FILTERACTION_NOT), NMERR_STACK_EMPTY);
    assert_int_equal(add_protocol(f, "TCP"), NMERR_SUCCESS);
    assert_int_equal(add_action(f, FILTERACTION_OR), NMERR_STACK_EMPTY);
    assert_int_equal(add_action(f, FILTERACTION_XOR), NMERR_STACK_EMPTY);
    assert_int_equal(add_action(f, FILTERACTION_NOT), NMERR_SUCCESS);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 2);
}

static void test_filter_add_object_65th_is_stack_overflow(void **state)
{
    (void)state;
    HFILTER f = new_filter();
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = FILTERACTION_BOOL;
    o.Value = 1;
    for (int i = 0; i < 64; i++)
        assert_int_equal(FilterAddObject(f, &o), NMERR_SUCCESS);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 64);
    assert_int_equal(FilterAddObject(f, &o), NMERR_STACK_OVERFLOW);
    assert_int_equal(add_action(f, FILTERACTION_AND), NMERR_STACK_OVERFLOW);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 64);
    HEXPERTKEY key = capture_key(open_all());    /* 64 TRUEs left on the stack: all pass */
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, f, &d), NMERR_SUCCESS);
}

static void test_filter_add_object_bad_hprotocol_is_invalid_hprotocol(void **state)
{
    (void)state;
    HFILTER f = new_filter();
    PROTOCOLINFO fake;
    memset(&fake, 0, sizeof fake);
    HPROTOCOL tcp = GetProtocolFromName((LPSTR)"TCP");
    HPROTOCOL bad[] = { NULL, (HPROTOCOL)(uintptr_t)1, (HPROTOCOL)&fake,
                        (HPROTOCOL)((char *)tcp + 1) };
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = FILTERACTION_PROTOCOLEXIST;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.hProtocol = bad[i];
        assert_int_equal(FilterAddObject(f, &o), NMERR_INVALID_HPROTOCOL);
    }
    struct { DWORD n; HPROTOCOL h[2]; } table = { 2, { tcp, (HPROTOCOL)&fake } };
    o.Action = FILTERACTION_PROTOCOLSEXIST;
    o.lpProtocolTable = (LPPROTOCOLTABLETYPE)&table;
    assert_int_equal(FilterAddObject(f, &o), NMERR_INVALID_HPROTOCOL);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 0);
}

static void test_filter_ui_instance_data_macros_work(void **state)
{
    (void)state;
    HFILTER f = new_filter(), g = new_filter();
    int mine = 0, other = 0;
    assert_null(FilterGetUIInstanceData(f));
    FilterSetUIInstanceData(f, &mine);
    FilterSetUIInstanceData(g, &other);
    assert_int_equal(add_protocol(f, "UDP"), NMERR_SUCCESS);
    assert_ptr_equal(FilterGetUIInstanceData(f), &mine);
    assert_ptr_equal(FilterGetUIInstanceData(g), &other);
    assert_int_equal(((LPFILTERDESC2)f)->NumEntries, 1);
    HEXPERTKEY key = capture_key(open_all());
    EXPERTFRAMEDESCRIPTOR d;
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 1, f, &d), NMERR_SUCCESS);
    assert_int_equal(get(key, GET_SPECIFIED_FRAME, 0, 0, f, &d), NMERR_FRAME_FAILED_FILTER);
}

/* --- Protocols ---------------------------------------------------------------------------- */

static const char *const protocol_names[] = {
    "ETHERNET", "LLC", "SNAP", "VLAN", "ARP", "IP", "IP6", "ICMP", "ICMP6", "TCP", "UDP",
    "DNS", "DHCP", "HTTP",
};
#define PROTOCOLS (sizeof protocol_names / sizeof *protocol_names)

static void test_get_protocol_from_name_is_case_insensitive(void **state)
{
    (void)state;
    HPROTOCOL tcp = GetProtocolFromName((LPSTR)"TCP");
    assert_non_null(tcp);
    assert_ptr_equal(GetProtocolFromName((LPSTR)"tcp"), tcp);
    assert_ptr_equal(GetProtocolFromName((LPSTR)"TcP"), tcp);
    assert_ptr_equal(GetProtocolFromName((LPSTR)"Ethernet"), GetProtocolFromName((LPSTR)"ETHERNET"));
    assert_ptr_equal(GetProtocolFromName((LPSTR)"icmp6"), GetProtocolFromName((LPSTR)"ICMP6"));
}

static void test_get_protocol_from_name_knows_the_aliases(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        { "ETHER", "ETHERNET" }, { "ARP_RARP", "ARP" }, { "IPV4", "IP" }, { "IPV6", "IP6" },
        { "ICMPV6", "ICMP6" }, { "BOOTP", "DHCP" }, { "802.1Q", "VLAN" }, { "ipv6", "IP6" },
        { "802.1q", "VLAN" }, { "bootp", "DHCP" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        HPROTOCOL p = GetProtocolFromName((LPSTR)pairs[i][0]);
        assert_non_null(p);
        assert_ptr_equal(p, GetProtocolFromName((LPSTR)pairs[i][1]));
    }
}

static void test_get_protocol_from_name_unknown_is_null(void **state)
{
    (void)state;
    static const char *const names[] = { "", "TCPX", "TC", " TCP", "TCP ", "IPX", "SMB",
        "ETHERNETETHERNETETHERNETETHERNETETHERNET" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        assert_null(GetProtocolFromName((LPSTR)names[i]));
    assert_null(GetProtocolFromName(NULL));
}

static void test_get_protocol_info_gives_the_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < PROTOCOLS; i++) {
        HPROTOCOL p = GetProtocolFromName((LPSTR)protocol_names[i]);
        assert_non_null(p);
        LPPROTOCOLINFO info = GetProtocolInfo(p);
        assert_non_null(info);
        assert_string_equal((const char *)info->ProtocolName, protocol_names[i]);
        assert_null(info->PropertyDatabase);
        assert_read_only(info);
    }
}

static void test_get_protocol_info_bad_handle_is_null(void **state)
{
    (void)state;
    PROTOCOLINFO fake;
    memset(&fake, 0, sizeof fake);
    HPROTOCOL tcp = GetProtocolFromName((LPSTR)"TCP");
    assert_null(GetProtocolInfo(NULL));
    assert_null(GetProtocolInfo((HPROTOCOL)(uintptr_t)1));
    assert_null(GetProtocolInfo((HPROTOCOL)&fake));
    assert_null(GetProtocolInfo((HPROTOCOL)((char *)tcp + 1)));
    assert_null(GetProtocolInfo((HPROTOCOL)((char *)tcp - 1)));
}

static void test_get_enabled_protocols_lists_the_14(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    LPPROTOCOLTABLE t = GetEnabledProtocols(h);
    assert_non_null(t);
    assert_read_only(t);
    assert_int_equal(t->nProtocols, PROTOCOLS);
    for (size_t i = 0; i < PROTOCOLS; i++) {
        int found = 0;
        for (DWORD j = 0; j < t->nProtocols; j++) {
            LPPROTOCOLINFO info = GetProtocolInfo(t->hProtocol[j]);
            assert_non_null(info);
            found += strcmp((const char *)info->ProtocolName, protocol_names[i]) == 0;
        }
        assert_int_equal(found, 1);
    }
}

static void test_get_enabled_protocols_bad_capture_is_null(void **state)
{
    (void)state;
    HCAPTURE h = open_all();
    close_capture(h);
    int on_stack = 0;
    assert_null(GetEnabledProtocols(h));
    assert_null(GetEnabledProtocols(NULL));
    assert_null(GetEnabledProtocols((HCAPTURE)&on_stack));
}

#define T(name) cmocka_unit_test_teardown(name, cleanup)

int main(int argc, char **argv)
{
    fixture_folder_from(argc, argv);
    const struct CMUnitTest tests[] = {
        T(test_expert_get_frame_specified_frame_0),
        T(test_expert_get_frame_specified_last_frame),
        T(test_expert_get_frame_specified_past_the_end_is_frame_not_found),
        T(test_expert_get_frame_specified_failing_the_filter_is_frame_failed_filter),
        T(test_expert_get_frame_specified_past_the_end_with_filter_is_frame_not_found),
        T(test_expert_get_frame_forward_from_minus_one_gives_frame_0),
        T(test_expert_get_frame_forward_gives_the_next_frame),
        T(test_expert_get_frame_forward_from_the_last_is_no_more_frames),
        T(test_expert_get_frame_forward_skips_frames_failing_the_filter),
        T(test_expert_get_frame_forward_with_nothing_passing_is_no_more_frames),
        T(test_expert_get_frame_backward_from_total_gives_the_last_frame),
        T(test_expert_get_frame_backward_from_beyond_total_gives_the_last_frame),
        T(test_expert_get_frame_backward_from_1_gives_frame_0),
        T(test_expert_get_frame_backward_from_0_is_no_more_frames),
        T(test_expert_get_frame_backward_from_minus_one_is_no_more_frames),
        T(test_expert_get_frame_backward_skips_frames_failing_the_filter),
        T(test_expert_get_frame_bad_direction_is_invalid_parameter),
        T(test_expert_get_frame_unknown_request_flags_is_invalid_parameter),
        T(test_expert_get_frame_attach_properties_attaches_nothing),
        T(test_expert_get_frame_null_descriptor_is_invalid_parameter),
        T(test_expert_get_frame_destroyed_filter_is_invalid_hfilter),
        T(test_expert_get_frame_forged_filter_is_invalid_hfilter),
        T(test_expert_get_frame_without_capture_or_callback_is_not_supported),
        T(test_expert_get_frame_dead_key_is_invalid_expert_handle),
        T(test_expert_get_frame_defer_without_display_filter_uses_hfilter_only),
        T(test_expert_get_frame_defer_applies_the_display_filter),
        T(test_expert_get_frame_without_defer_ignores_the_display_filter),
        T(test_expert_get_frame_defer_applies_display_filter_and_hfilter),
        T(test_set_display_filter_copies_the_filter_as_it_is_now),
        T(test_set_display_filter_survives_destroying_the_filter),
        T(test_set_display_filter_null_removes_it),
        T(test_set_display_filter_is_per_capture),
        T(test_set_display_filter_bad_capture_is_invalid_hcapture),
        T(test_set_display_filter_bad_filter_is_invalid_hfilter),
        T(test_expert_get_frame_after_terminate_is_expert_terminate),
        T(test_expert_get_frame_capture_closed_is_invalid_hcapture),
        T(test_expert_get_frame_failure_leaves_the_descriptor_untouched),
        T(test_expert_get_frame_pframe_is_read_only),
        T(test_expert_get_frame_pframe_stays_identical_for_63_further_frames),
        T(test_expert_get_frame_counts_frames_served),
        T(test_get_frame_in_range_gives_its_frame),
        T(test_get_frame_out_of_range_is_null),
        T(test_capture_queries_on_a_good_capture),
        T(test_capture_queries_of_bad_handles_give_their_failure_values),
        T(test_frame_queries_of_bad_handles_give_their_failure_values),
        T(test_frame_handles_of_a_closed_capture_are_refused),
        T(test_frame_handles_of_a_closed_capture_are_refused_after_a_new_open),
        T(test_frame_handles_of_two_captures_name_their_own_frames),
        T(test_capture_used_as_expert_key_is_invalid_expert_handle),
        T(test_capture_used_as_a_key_for_memory_reaches_its_per_capture_memory),
        T(test_open_capture_null_arguments_are_invalid_parameter),
        T(test_open_capture_missing_file_is_file_not_found),
        T(test_open_capture_text_file_is_invalid_file_format),
        T(test_open_capture_empty_file_is_invalid_file_format),
        T(test_open_capture_w_opens_the_same_capture),
        T(test_query_capture_checks_cbsize),
        T(test_query_capture_describes_the_capture),
        T(test_close_capture_twice_is_invalid_hcapture),
        T(test_close_capture_wrong_cbsize_leaves_it_open),
        T(test_forward_to_is_refused_while_a_capture_is_open),
        T(test_forward_to_is_refused_while_a_filter_is_live),
        T(test_create_filter_gives_an_empty_filter_passing_every_frame),
        T(test_destroy_filter_twice_is_invalid_hfilter),
        T(test_destroy_filter_bad_handles_are_invalid_hfilter),
        T(test_create_filter_refuses_the_1025th),
        T(test_filter_add_object_null_object_is_invalid_parameter),
        T(test_filter_add_object_bad_filter_is_invalid_hfilter),
        T(test_filter_add_object_property_actions_are_not_supported),
        T(test_filter_add_object_address_the_recogniser_does_not_see_is_not_supported),
        T(test_filter_add_object_unknown_action_is_invalid_parameter),
        T(test_filter_add_object_and_without_operands_is_stack_empty),
        T(test_filter_add_object_65th_is_stack_overflow),
        T(test_filter_add_object_bad_hprotocol_is_invalid_hprotocol),
        T(test_filter_ui_instance_data_macros_work),
        T(test_get_protocol_from_name_is_case_insensitive),
        T(test_get_protocol_from_name_knows_the_aliases),
        T(test_get_protocol_from_name_unknown_is_null),
        T(test_get_protocol_info_gives_the_names),
        T(test_get_protocol_info_bad_handle_is_null),
        T(test_get_enabled_protocols_lists_the_14),
        T(test_get_enabled_protocols_bad_capture_is_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
