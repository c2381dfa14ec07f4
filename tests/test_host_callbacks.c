/* ExpertGetStartupInfo, ExpertSubmitEvent and ExpertGetFrame: the startup info the host gave,
 * the host's callbacks reached with every argument, documented defaults without them, and
 * NMERR_EXPERT_TERMINATE once terminated. */
#include "nmapi_test.h"

struct host_log {
    int events, frames;
    HEXPERTKEY key;
    PNMEVENTDATA event;
    DWORD direction, flags, number;
    HFILTER filter;
    LPEXPERTFRAMEDESCRIPTOR descriptor;
};

static DWORD WINAPI on_submit_event(PVOID context, HEXPERTKEY key, PNMEVENTDATA event)
{
    struct host_log *log = context;
    log->events++;
    log->key = key;
    log->event = event;
    return 4242;
}

static DWORD WINAPI on_get_frame(PVOID context, HEXPERTKEY key, DWORD direction, DWORD flags,
                                 DWORD number, HFILTER filter, LPEXPERTFRAMEDESCRIPTOR descriptor)
{
    struct host_log *log = context;
    log->frames++;
    log->key = key;
    log->direction = direction;
    log->flags = flags;
    log->number = number;
    log->filter = filter;
    log->descriptor = descriptor;
    descriptor->FrameNumber = number + 1;
    return NMERR_NO_MORE_FRAMES;
}

static HEXPERTKEY create_key_for_host(struct host_log *log, const EXPERTSTARTUPINFO *startup)
{
    EXPERTHOSTKEYINFO info = key_info();
    info.pStartupInfo = startup;
    info.CallbackContext = log;
    info.pfnSubmitEvent = on_submit_event;
    info.pfnGetFrame = on_get_frame;
    return create_key_from(&info);
}

static void test_get_startup_info_copies_what_the_host_gave(void **state)
{
    (void)state;
    EXPERTSTARTUPINFO given, got;
    memset(&given, 0, sizeof given);
    given.Flags = EXPERT_STARTUP_FLAG_USE_STARTUP_DATA_OVER_CONFIG_DATA;
    given.dwFrameNumber = 77;
    strcpy(given.szCaptureFile, "C:\\captures\\lan.cap");
    struct host_log log = { 0 };
    HEXPERTKEY key = create_key_for_host(&log, &given);
    memset(&given, 0xEE, sizeof given);   /* the DLL kept its own copy */
    memset(&got, 0xCD, sizeof got);
    assert_int_equal(ExpertGetStartupInfo(key, &got), NMERR_SUCCESS);
    assert_int_equal(got.dwFrameNumber, 77);
    assert_int_equal(got.Flags, EXPERT_STARTUP_FLAG_USE_STARTUP_DATA_OVER_CONFIG_DATA);
    assert_string_equal(got.szCaptureFile, "C:\\captures\\lan.cap");
    assert_int_equal(ExpertGetStartupInfo(key, NULL), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_get_startup_info_is_zero_when_none_was_given(void **state)
{
    EXPERTSTARTUPINFO got, zero;
    memset(&got, 0xCD, sizeof got);
    memset(&zero, 0, sizeof zero);
    assert_int_equal(ExpertGetStartupInfo(*state, &got), NMERR_SUCCESS);
    assert_memory_equal(&got, &zero, sizeof got);
}

static void test_submit_event_and_get_frame_reach_the_host(void **state)
{
    (void)state;
    struct host_log log = { 0 };
    HEXPERTKEY key = create_key_for_host(&log, NULL);
    NMEVENTDATA *event = ExpertAllocMemory(key, sizeof *event, NULL);
    assert_int_equal(ExpertSubmitEvent(key, event), 4242);
    assert_int_equal(log.events, 1);
    assert_ptr_equal(log.event, event);
    assert_ptr_equal(log.key, key);

    EXPERTFRAMEDESCRIPTOR frame;
    memset(&frame, 0, sizeof frame);
    HFILTER filter = (HFILTER)(uintptr_t)0x1234;
    assert_int_equal(ExpertGetFrame(key, GET_FRAME_NEXT_FORWARD, FLAGS_ATTACH_PROPERTIES, 9, filter, &frame),
                     NMERR_NO_MORE_FRAMES);
    assert_int_equal(log.frames, 1);
    assert_int_equal(log.direction, GET_FRAME_NEXT_FORWARD);
    assert_int_equal(log.flags, FLAGS_ATTACH_PROPERTIES);
    assert_int_equal(log.number, 9);
    assert_ptr_equal(log.filter, filter);
    assert_ptr_equal(log.descriptor, &frame);
    assert_int_equal(frame.FrameNumber, 10);

    assert_int_equal(ExpertSubmitEvent(key, NULL), NMERR_INVALID_PARAMETER);
    assert_int_equal(ExpertGetFrame(key, 0, 0, 0, NULL, NULL), NMERR_INVALID_PARAMETER);
    assert_int_equal(log.events + log.frames, 2);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_without_callbacks_they_are_not_supported(void **state)
{
    NMEVENTDATA event;
    EXPERTFRAMEDESCRIPTOR frame;
    memset(&event, 0, sizeof event);
    assert_int_equal(ExpertSubmitEvent(*state, &event), NMERR_NOT_SUPPORTED);
    assert_int_equal(ExpertGetFrame(*state, GET_SPECIFIED_FRAME, 0, 0, NULL, &frame), NMERR_NOT_SUPPORTED);
}

static void test_after_terminate_they_say_terminate(void **state)
{
    (void)state;
    struct host_log log = { 0 };
    HEXPERTKEY key = create_key_for_host(&log, NULL);
    assert_int_equal(ExpertHostTerminate(key), NMERR_SUCCESS);
    NMEVENTDATA event;
    EXPERTFRAMEDESCRIPTOR frame;
    EXPERTSTARTUPINFO startup;
    assert_int_equal(ExpertSubmitEvent(key, &event), NMERR_EXPERT_TERMINATE);
    assert_int_equal(ExpertGetFrame(key, GET_SPECIFIED_FRAME, 0, 0, NULL, &frame), NMERR_EXPERT_TERMINATE);
    assert_int_equal(ExpertGetStartupInfo(key, &startup), NMERR_EXPERT_TERMINATE);
    assert_int_equal(log.events + log.frames, 0);
    assert_int_equal(ExpertHostDestroyKey(key, NULL), NMERR_SUCCESS);
}

static void test_with_dead_or_forged_key_they_say_invalid_handle(void **state)
{
    HEXPERTKEY forged[MAX_FORGED_KEYS];
    size_t n = forged_keys(*state, forged);
    NMEVENTDATA event;
    EXPERTFRAMEDESCRIPTOR frame;
    EXPERTSTARTUPINFO startup;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ExpertSubmitEvent(forged[i], &event), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertGetFrame(forged[i], 0, 0, 0, NULL, &frame), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertGetStartupInfo(forged[i], &startup), NMERR_INVALID_EXPERT_HANDLE);
        assert_int_equal(ExpertGetStartupInfo(forged[i], NULL), NMERR_INVALID_EXPERT_HANDLE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_startup_info_copies_what_the_host_gave),
        cmocka_unit_test_setup_teardown(test_get_startup_info_is_zero_when_none_was_given, key_setup, key_teardown),
        cmocka_unit_test(test_submit_event_and_get_frame_reach_the_host),
        cmocka_unit_test_setup_teardown(test_without_callbacks_they_are_not_supported, key_setup, key_teardown),
        cmocka_unit_test(test_after_terminate_they_say_terminate),
        cmocka_unit_test_setup_teardown(test_with_dead_or_forged_key_they_say_invalid_handle, key_setup, key_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
