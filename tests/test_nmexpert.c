/*
 * test_nmexpert.c - the runner, run as a user runs it: every outcome and exit status, list,
 * configure, --json, and the report in words. The expert is tests/experts/behaviour_expert.c,
 * which does what its stored configuration names (and exports decorated names on i686), and
 * the samples from examples/.
 */
#include "nmapi_test.h"
#include "json_check.h"
#include "run_tool.h"
#include "outcome.h"         /* the runner's exit statuses, enum nmexpert_exit */
#include "export_rows.h"     /* generated from nmapi.def and src/surface/exports.tsv: the fake original's values */

static struct tool_run run;    /* one at a time; large */

/* A configuration file in the temporary folder holding text; returns its path. */
static const char *config_file(const char *name, const char *text)
{
    static char path[MAX_PATH];
    char temp[MAX_PATH];
    GetTempPathA(sizeof temp, temp);
    snprintf(path, sizeof path, "%snmexpert-test-%lu-%s.bin", temp,
             (unsigned long)GetCurrentProcessId(), name);
    DeleteFileA(path);
    if (text) {
        HANDLE f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        DWORD written;
        assert_true(f != INVALID_HANDLE_VALUE);
        assert_true(WriteFile(f, text, (DWORD)strlen(text), &written, NULL));
        CloseHandle(f);
    }
    return path;
}

static void read_config_file(const char *path, char *out, size_t size)
{
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    DWORD got = 0;
    ReadFile(f, out, (DWORD)size - 1, &got, NULL);
    out[got] = '\0';
    CloseHandle(f);
}

/* Runs nmexpert with printf-style arguments; checks the exit status. */
static void nmexpert(enum nmexpert_exit expected_exit, const char *format, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, format);
    vsnprintf(args, sizeof args, format, ap);
    va_end(ap);
    assert_true(run_tool("nmexpert.exe", args, &run));
    if (run.exit_code != expected_exit)
        print_error("nmexpert %s\nexit %lu\nstdout:\n%s\nstderr:\n%s\n", args,
                    (unsigned long)run.exit_code, run.out, run.err);
    assert_int_equal(run.exit_code, expected_exit);
}

/* Runs the behaviour expert with the behaviour as its stored configuration, --json. */
static void run_behaviour(enum nmexpert_exit expected_exit, const char *behaviour, const char *options)
{
    nmexpert(expected_exit, "run behaviour_expert.dll --config \"%s\" --json %s",
             config_file("behaviour", behaviour), options);
    assert_true(json_is_one_object(run.out));
    assert_string_equal(run.err, "");
}

static const char *member(const char *key)
{
    static char value[1024];
    return json_member(run.out, key, value, sizeof value);
}

static void assert_member_of(const char *json, const char *key, const char *expected)
{
    char value[1024];
    assert_string_equal(json_member(json, key, value, sizeof value), expected);
}

static void assert_member(const char *key, const char *expected)
{
    assert_member_of(run.out, key, expected);
}

/* The three blocks of 100 bytes the behaviour expert always leaves, reclaimed. */
static void assert_leak_reclaimed(void)
{
    assert_member("key_destroyed", "true");
    assert_member("reclaimed_blocks", "3");
    assert_member("reclaimed_bytes", "300");
}

/* ---- run: every outcome ------------------------------------------------------------------ */

static void test_run_returned_true_exits_0(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_TRUE, "return-true", "");
    assert_member("command", "\"run\"");
    assert_member("expert", "\"behaviour_expert.dll\"");
    assert_member("name", "\"Behaviour expert\"");
    assert_member("outcome", "\"returned-true\"");
    assert_member("exit_code", "0");
    assert_member("told_to_terminate", "false");
    assert_member("status", "{\"state\":\"RUNNING\",\"substatus\":0,\"percent\":42,"
                            "\"text\":\"return-true\"}");
    /* Its 3 blocks only: the configuration is handed in on a host key of its own. */
    assert_member("total_allocations", "3");
    assert_member("peak_bytes", "300");
    assert_member("exception_code", "");
    assert_leak_reclaimed();
}

static void test_run_returned_false_exits_1(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_FALSE, "return-false", "");
    assert_member("outcome", "\"returned-false\"");
    assert_leak_reclaimed();
}

static void test_run_terminated_after_timeout_exits_2(void **state)
{
    (void)state;
    run_behaviour(EXIT_TERMINATED, "obey-terminate", "--timeout 200");
    assert_member("outcome", "\"terminated\"");
    assert_member("told_to_terminate", "true");
    assert_true(atoi(member("elapsed_ms")) >= 200);
    assert_leak_reclaimed();
}

/* Every way Run can crash on the thread the runner gave it, one row each: the runner survives,
 * reports the exception, destroys the key with exact figures and exits with EXIT_CRASHED. */
static const struct crash_case {
    const char *behaviour;       /* what behaviour_expert.dll does in Run */
    DWORD exception;             /* the exception code reported */
    const char *exception_name;  /* its name in the JSON report ("null": none known) */
    const char *module;          /* where the exception was raised: "module+0x..." */
    int output_before_report;    /* the expert printed before crashing: the report follows */
    int key_destroyed;           /* the key's teardown completed (else: reported as not) */
} crash_cases[] = {
#define NAMED(code) code, "\"" #code "\""   /* the code and the name the report gives it */
#define EXPERT "behaviour_expert.dll"
    { "access-violation", NAMED(EXCEPTION_ACCESS_VIOLATION), EXPERT, 0, 1 },
    { "stack-overflow", NAMED(EXCEPTION_STACK_OVERFLOW), EXPERT, 0, 1 },
    { "divide-by-zero", NAMED(EXCEPTION_INT_DIVIDE_BY_ZERO), EXPERT, 0, 1 },
    { "noncontinuable", 0xE0000001u, "null", "kernelbase.dll", 0, 1 },     /* RaiseException */
    /* the fault is inside nmapi.dll (the expert's status text), which holds nothing then */
    { "wild-status-text", NAMED(EXCEPTION_ACCESS_VIOLATION), "nmapi.dll", 0, 1 },
    /* inside nmapi.dll's write of the startup info: nothing of the key is held then */
    { "wild-startup-info", NAMED(EXCEPTION_ACCESS_VIOLATION), "nmapi.dll", 0, 1 },
    /* the landing the crashed thread is sent to starts with the direction flag clear */
    { "crash-with-direction-flag", NAMED(EXCEPTION_ACCESS_VIOLATION), EXPERT, 0, 1 },
    /* the guard is a frame handler at the base of the thread: an unhandled-exception filter
     * the expert installs during Run cannot take it away */
    { "own-filter-then-crash", NAMED(EXCEPTION_ACCESS_VIOLATION), EXPERT, 0, 1 },
    /* a crash that takes a lock of the C runtime or of the process heap with it must not
     * hang the report (the CTest timeout would catch a hang). The key's records live in the
     * process heap, so with its lock gone the bounded teardown gives up and says so. */
    { "crash-in-printf", NAMED(EXCEPTION_ACCESS_VIOLATION), "msvcrt.dll", 1, 1 },
    { "crash-holding-heap-lock", NAMED(EXCEPTION_ACCESS_VIOLATION), EXPERT, 0, 0 },
#undef EXPERT
#undef NAMED
};

static void test_run_every_crash_is_reported_and_exits_crashed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof crash_cases / sizeof *crash_cases; i++) {
        const struct crash_case *c = &crash_cases[i];
        nmexpert(EXIT_CRASHED, "run behaviour_expert.dll --config \"%s\" --json "
                 "--teardown-timeout 1500", config_file("crash", c->behaviour));
        const char *report = c->output_before_report ? strstr(run.out, "{") : run.out;
        assert_non_null(report);
        assert_true(json_is_one_object(report));
        char code[16];
        snprintf(code, sizeof code, "%lu", (unsigned long)c->exception);
        assert_member_of(report, "outcome", "\"crashed\"");
        assert_member_of(report, "exception_code", code);
        assert_member_of(report, "exception_name", c->exception_name);
        char address[1024];
        json_member(report, "exception_address", address, sizeof address);
        print_message("crash: %s: %s at %s\n", c->behaviour, code, address);
        size_t module_length = strlen(c->module);
        assert_int_equal(_strnicmp(address + 1, c->module, module_length), 0);
        assert_int_equal(strncmp(address + 1 + module_length, "+0x", 3), 0);
        if (c->key_destroyed) {
            assert_member_of(report, "teardown", "\"destroyed\"");
            assert_member_of(report, "key_destroyed", "true");
            assert_member_of(report, "reclaimed_blocks", "3");
            assert_member_of(report, "reclaimed_bytes", "300");
        } else {   /* the crash keeps its status; the teardown says what it did */
            assert_member_of(report, "teardown", "\"timed-out\"");
            assert_member_of(report, "key_destroyed", "false");
            assert_member_of(report, "reclaimed_blocks", "null");
        }
    }
}

/* Run returns holding the loader lock: its thread can never finish exiting (nor can the
 * runner's finisher). The runner waits a bounded time, reports, and ends the process. */
static void test_run_returning_holding_the_loader_lock_is_reported(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_TRUE, "return-holding-loader-lock", "");
    assert_member("outcome", "\"returned-true\"");
}

/* The expert destroys its own key (through the host API, found by name): the runner's teardown
 * says so instead of blaming a lock, and the run is not a success. */
static void test_run_key_destroyed_by_the_expert_is_reported_as_gone(void **state)
{
    (void)state;
    run_behaviour(EXIT_TEARDOWN_FAILED, "destroy-own-key", "");
    assert_member("outcome", "\"returned-true\"");
    assert_member("teardown", "\"key-already-gone\"");
    assert_member("key_destroyed", "false");
    assert_true(atoi(member("teardown_ms")) < 1000);
    nmexpert(EXIT_TEARDOWN_FAILED, "run behaviour_expert.dll --config \"%s\"",
             config_file("gone", "destroy-own-key"));
    assert_non_null(strstr(run.out, "memory      unknown: the key was already destroyed when "
                                    "the runner tore it down"));
    assert_non_null(strstr(run.out, "by whom, nmapi.dll cannot say"));
}

static void test_run_exit_thread_exits_6(void **state)
{
    (void)state;
    run_behaviour(EXIT_EXITED_THREAD, "exit-thread", "");
    assert_member("outcome", "\"exited-thread\"");
    assert_leak_reclaimed();
}

/* A crash on a thread the expert started itself cannot be survived: one line on stderr, a
 * documented status, nothing half-written on stdout. */
static void test_run_crash_on_the_experts_own_thread_ends_the_process_with_3(void **state)
{
    (void)state;
    nmexpert(EXIT_CRASHED, "run behaviour_expert.dll --config \"%s\" --json",
             config_file("own-thread", "crash-on-own-thread"));
    assert_string_equal(run.out, "");
    assert_non_null(strstr(run.err, "exception 0xC0000005 at behaviour_expert.dll+0x"));
    assert_non_null(strstr(run.err, "on a thread the runner does not guard"));
}

static void test_run_unresponsive_exits_4(void **state)
{
    (void)state;
    run_behaviour(EXIT_UNRESPONSIVE, "ignore-terminate", "--timeout 100 --grace 300");
    assert_member("outcome", "\"unresponsive\"");
    assert_member("told_to_terminate", "true");
    assert_true(atoi(member("elapsed_ms")) >= 400);
    assert_leak_reclaimed();
}

/* Ended with TerminateThread while it loops on allocator and status calls, most often inside
 * one of them (refused since the terminate, but inside the DLL): the key is still destroyed
 * whole, the runner still reports. Several runs, as where the thread is cut off varies. A
 * host's thread killed inside calls that succeed is test_thread_killed_by_the_host. */
static void test_run_unresponsive_inside_calls_is_still_reclaimed(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++) {
        run_behaviour(EXIT_UNRESPONSIVE, "ignore-terminate-in-calls", "--timeout 100 --grace 200");
        assert_member("outcome", "\"unresponsive\"");
        assert_member("key_destroyed", "true");
        /* The three blocks always left, and the loop's block if it was ended holding one. */
        long blocks = strtol(member("reclaimed_blocks"), NULL, 10);
        long bytes = strtol(member("reclaimed_bytes"), NULL, 10);
        assert_true(blocks == 3 || blocks == 4);
        assert_true(blocks == 3 ? bytes == 300 : bytes > 300);
    }
}

static void test_run_memory_limit_refuses_past_it(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_TRUE, "fill-memory", "--memory-limit 10K");
    assert_member("memory_limit", "10240");
    assert_member("peak_bytes", "9516");         /* 300 + 9 blocks of 1024 fit; the 10th not */
    assert_member("failed_allocations", "1");
    assert_member("reclaimed_blocks", "12");
}

static void test_run_check_corruption_reports_what_it_found(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_TRUE, "corrupt-memory", "--check-corruption");
    assert_member("corruption_checks", "true");
    assert_member("overruns_detected", "1");
    assert_member("writes_after_free_detected", "1");
    assert_leak_reclaimed();
    run_behaviour(EXIT_RETURNED_TRUE, "return-true", "--check-corruption");
    assert_member("overruns_detected", "0");
    assert_member("writes_after_free_detected", "0");
    run_behaviour(EXIT_RETURNED_TRUE, "return-true", "");
    assert_member("corruption_checks", "false");
    nmexpert(EXIT_RETURNED_TRUE, "run behaviour_expert.dll --config \"%s\" --check-corruption",
             config_file("behaviour", "corrupt-memory"));
    assert_non_null(strstr(run.out, "corruption  1 overrun, 1 write after free detected"));
}

static void test_run_with_a_capture_that_cannot_be_opened_exits_66(void **state)
{
    (void)state;
    nmexpert(EXIT_CAPTURE, "run behaviour_expert.dll --capture \"C:\\captures\\monday.cap\"");
    assert_non_null(strstr(run.err, "--capture C:\\captures\\monday.cap: no such file (NMERR 18)"));
}

static void test_run_json_escapes_what_the_expert_wrote(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_FALSE, "control-text", "");
    assert_non_null(strstr(member("status"), "\"text\":\"a\\\"b\\\\c\\u001b[2J\\u000d\\u000a"));
}

static void test_run_report_in_words(void **state)
{
    (void)state;
    nmexpert(EXIT_CRASHED, "run crashing_expert.dll");
    assert_non_null(strstr(run.out, "expert      Crashing protocol counter (crashing_expert.dll)"));
    assert_non_null(strstr(run.out, "outcome     crashed after"));
    assert_non_null(strstr(run.out, "(EXCEPTION_ACCESS_VIOLATION) at crashing_expert.dll+0x"));
    assert_non_null(strstr(run.out, "status      RUNNING, substatus 0, 10% \"counting protocols\""));
    assert_non_null(strstr(run.out, "reclaimed   9 blocks, "));
    nmexpert(EXIT_RETURNED_TRUE, "run tidy_expert.dll");
    assert_non_null(strstr(run.out, "reclaimed   nothing: the expert freed every block"));
}

/* ---- configure ---------------------------------------------------------------------------- */

static void test_configure_without_stored_config_writes_the_defaults(void **state)
{
    (void)state;
    const char *path = config_file("settings", NULL);
    nmexpert(EXIT_RETURNED_TRUE, "configure configurable_expert.dll --config \"%s\" --json", path);
    assert_true(json_is_one_object(run.out));
    assert_member("outcome", "\"returned-true\"");
    assert_member("config_stored", "false");
    assert_member("config_bytes_in", "0");
    assert_member("config_written", "true");
    assert_member("config_bytes_out", "8");
    assert_member("reclaimed_blocks", "0");      /* the configuration was the host's to free */
    /* Configured twice, then run with it: the stored settings reach Run. */
    nmexpert(EXIT_RETURNED_TRUE, "configure configurable_expert.dll --config \"%s\"", path);
    nmexpert(EXIT_RETURNED_TRUE, "run configurable_expert.dll --config \"%s\" --json", path);
    assert_non_null(strstr(member("status"), "scanned 500 frames (configured 2 times)"));
}

static void test_configure_grows_the_stored_config_with_realloc(void **state)
{
    (void)state;
    const char *path = config_file("grow", "configure-grow");
    nmexpert(EXIT_RETURNED_TRUE, "configure behaviour_expert.dll --config \"%s\" --json", path);
    assert_member("config_bytes_in", "14");
    assert_member("config_bytes_out", "20");
    char stored[64];
    read_config_file(path, stored, sizeof stored);
    assert_string_equal(stored, "configure-grow+grown");
}

/* Configure changes the current folder, as a file dialog does: the file is still rewritten
 * where the user named it. */
static void test_configure_writes_where_named_after_a_change_of_folder(void **state)
{
    (void)state;
    const char *name = "nmexpert-test-chdir.bin";
    HANDLE f = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD written;
    assert_true(WriteFile(f, "configure-chdir", 15, &written, NULL));
    CloseHandle(f);
    nmexpert(EXIT_RETURNED_TRUE, "configure behaviour_expert.dll --config %s --json", name);
    assert_member("config_written", "true");
    char stored[64];
    read_config_file(name, stored, sizeof stored);
    assert_string_equal(stored, "configure-chdir");
    DeleteFileA(name);
}

static void test_configure_a_stored_config_beyond_the_limit_is_a_usage_error(void **state)
{
    (void)state;
    nmexpert(EXIT_USAGE, "configure behaviour_expert.dll --config \"%s\" --memory-limit 8",
             config_file("big", "configure-grow"));
    assert_non_null(strstr(run.err, "does not fit --memory-limit 8"));
}

static void test_configure_returning_false_leaves_the_file(void **state)
{
    (void)state;
    const char *path = config_file("false", "configure-false");
    nmexpert(EXIT_RETURNED_FALSE, "configure behaviour_expert.dll --config \"%s\" --json", path);
    assert_member("config_written", "false");
    char stored[64];
    read_config_file(path, stored, sizeof stored);
    assert_string_equal(stored, "configure-false");
}

static void test_configure_invalid_configs_exit_5(void **state)
{
    (void)state;
    static const char *const behaviours[] = { "configure-foreign-pointer",
                                              "configure-length-lie", "configure-null" };
    for (size_t i = 0; i < sizeof behaviours / sizeof *behaviours; i++) {
        const char *path = config_file("invalid", behaviours[i]);
        nmexpert(EXIT_BAD_CONFIG, "configure behaviour_expert.dll --config \"%s\" --json", path);
        assert_true(json_is_one_object(run.out));
        assert_member("config_written", "false");
        assert_true(strlen(member("problem")) > 2);
        char stored[64];
        read_config_file(path, stored, sizeof stored);
        assert_string_equal(stored, behaviours[i]);
    }
}

/* ---- list ---------------------------------------------------------------------------------- */

static void test_list_in_words_and_json(void **state)
{
    (void)state;
    nmexpert(EXIT_RETURNED_TRUE, "list behaviour_expert.dll configurable_expert.dll");
    assert_non_null(strstr(run.out, "  name         Behaviour expert"));
    assert_non_null(strstr(run.out, "  version      131075 (0x00020003)"));   /* as written */
    assert_non_null(strstr(run.out, "  flags        0x00000005 (CONFIGURABLE | NO_VIEWER)"));
    assert_non_null(strstr(run.out, "  name         Configurable frame scanner"));
    nmexpert(EXIT_RETURNED_TRUE, "list behaviour_expert.dll tidy_expert.dll --json");
    assert_true(json_is_one_object(run.out));
    assert_non_null(strstr(run.out, "{\"expert\":\"behaviour_expert.dll\",\"name\":\"Behaviour "
                                    "expert\",\"vendor\":\"nmapi tests\",\"description\":\"Does "
                                    "what its configuration says\",\"version\":131075,\"flags\":5,"
                                    "\"configurable\":true,\"unload\":\"unloaded\"}"));
    assert_non_null(strstr(run.out, "\"configurable\":false"));
}

static void test_list_an_expert_that_cannot_load_exits_65(void **state)
{
    (void)state;
    nmexpert(EXIT_CANNOT_LOAD, "list tidy_expert.dll no_such_expert.dll --json");
    assert_true(json_is_one_object(run.out));
    assert_non_null(strstr(run.out, "\"name\":\"Tidy frame-size histogram\""));
    assert_non_null(strstr(run.out, "\"expert\":\"no_such_expert.dll\",\"error\":\"cannot load"));
}

/* Whatever an assertion cut short, the next test starts without the variables set here. */
static int clear_environment(void **state)
{
    (void)state;
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_REGISTER", NULL);
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_DLLMAIN", NULL);
    SetEnvironmentVariableA("NMAPI_FORWARD", NULL);
    return 0;
}

/* ---- DllMain: loading and unloading bounded ---------------------------------------------- */

static void test_dllmain_blocking_on_attach_is_bounded(void **state)
{
    (void)state;
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_DLLMAIN", "attach-blocks");
    nmexpert(EXIT_DLLMAIN, "list behaviour_expert.dll tidy_expert.dll --load-timeout 1000");
    assert_non_null(strstr(run.out, "cannot load behaviour_expert.dll: its DllMain did not "
                                    "return within 1000 ms (DLL_PROCESS_ATTACH)"));
    /* The loader lock went with that thread: the next expert is not even tried. */
    assert_non_null(strstr(run.out, "tidy_expert.dll was not loaded: an earlier expert's "
                                    "DllMain did not return"));
    nmexpert(EXIT_DLLMAIN, "run behaviour_expert.dll --load-timeout 1000");
    assert_non_null(strstr(run.err, "its DllMain did not return within 1000 ms"));
    nmexpert(EXIT_DLLMAIN, "configure behaviour_expert.dll --config \"%s\" --load-timeout 1000",
             config_file("attach", "configure-grow"));
    assert_non_null(strstr(run.err, "its DllMain did not return within 1000 ms"));
}

static void test_dllmain_waiting_on_detach_for_its_own_thread_is_bounded(void **state)
{
    (void)state;
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_DLLMAIN", "detach-waits-for-thread");
    run_behaviour(EXIT_DLLMAIN, "return-true", "--load-timeout 1000");
    assert_member("outcome", "\"returned-true\"");
    assert_member("unload", "\"timed-out\"");
    assert_non_null(strstr(member("unload_problem"), "its DllMain did not return within 1000 ms "
                                                     "(DLL_PROCESS_DETACH, on FreeLibrary)"));
    assert_leak_reclaimed();                     /* the key was torn down before the unload */
    nmexpert(EXIT_DLLMAIN, "list behaviour_expert.dll --load-timeout 1000");
    assert_non_null(strstr(run.out, "  unload       its DllMain did not return within 1000 ms"));
}

static void test_dllmain_crashing_is_reported_with_its_exception(void **state)
{
    (void)state;
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_DLLMAIN", "attach-crashes");
    nmexpert(EXIT_DLLMAIN, "run behaviour_expert.dll");
    assert_non_null(strstr(run.err, "cannot load behaviour_expert.dll: its DllMain crashed "
                                    "(DLL_PROCESS_ATTACH): exception 0xC0000005 "
                                    "(EXCEPTION_ACCESS_VIOLATION) at behaviour_expert.dll+0x"));
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_DLLMAIN", "detach-crashes");
    run_behaviour(EXIT_DLLMAIN, "return-true", "");
    assert_member("unload", "\"crashed\"");
    assert_non_null(strstr(member("unload_problem"), "its DllMain crashed (DLL_PROCESS_DETACH, on "
                                                     "FreeLibrary): exception 0xC0000005 "
                                                     "(EXCEPTION_ACCESS_VIOLATION) at "
                                                     "behaviour_expert.dll+0x"));
    assert_leak_reclaimed();
}

/* ---- what an expert returns, as it returned it ------------------------------------------- */

static void test_run_returning_90_shows_the_value(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_TRUE, "return-90", "");      /* BLRPLATE returns an NMERR code */
    assert_member("outcome", "\"returned-true\"");
    assert_member("returned_value", "90");
    nmexpert(EXIT_RETURNED_TRUE, "run behaviour_expert.dll --config \"%s\"",
             config_file("ninety", "return-90"));
    assert_non_null(strstr(run.out, "outcome     returned TRUE (90) after "));
}

static void test_configure_returning_minus_1_is_not_configured(void **state)
{
    (void)state;
    const char *path = config_file("dialog", "configure-dialog-fails");
    char text[64];
    nmexpert(EXIT_RETURNED_FALSE, "configure behaviour_expert.dll --config \"%s\" --json", path);
    assert_member("outcome", "\"returned-true\"");
    assert_member("returned_value", "-1");
    assert_member("dialog_failed", "true");
    assert_member("config_written", "false");
    /* The block handed in is the runner's, not an allocation of the expert's. */
    assert_member("total_allocations", "0");
    assert_member("host_allocations", "1");
    read_config_file(path, text, sizeof text);
    assert_string_equal(text, "configure-dialog-fails");
    nmexpert(EXIT_RETURNED_FALSE, "configure behaviour_expert.dll --config \"%s\"", path);
    assert_non_null(strstr(run.out, "outcome     returned TRUE (-1) after "));
    assert_non_null(strstr(run.out, "not rewritten: Configure returned -1, DialogBox's failure "
                                    "value"));
    assert_non_null(strstr(run.out, "0 allocations by the expert (0 refused), 1 by the runner "
                                    "(the configuration handed in)"));
    assert_non_null(strstr(run.out, "reclaimed   nothing: the expert allocated nothing"));
}

/* A thread of the expert frees the 1 MiB block Configure returned, at once: the runner writes
 * the whole configuration it copied, reports the fault of its copy, or - when the free came
 * before the runner looked - reports a configuration that is no longer a block of the key;
 * never half a file, never a file-system error. */
static void test_configure_copies_before_a_thread_of_the_expert_frees(void **state)
{
    (void)state;
    static char text[1u << 20];
    for (int i = 0; i < 4; i++) {
        const char *path = config_file("race", "configure-race");
        char args[MAX_PATH + 64];
        snprintf(args, sizeof args, "configure behaviour_expert.dll --config \"%s\"", path);
        assert_true(run_tool("nmexpert.exe", args, &run));
        BOOL known = run.exit_code == EXIT_RETURNED_TRUE || run.exit_code == EXIT_CRASHED ||
                     run.exit_code == EXIT_BAD_CONFIG;
        if (!known)
            print_error("exit %lu\n%s%s", (unsigned long)run.exit_code, run.out, run.err);
        assert_true(known);
        read_config_file(path, text, sizeof text);
        if (run.exit_code == EXIT_RETURNED_TRUE) {
            assert_int_equal(strlen(text), (1u << 20) - sizeof(DWORD));
            assert_memory_equal(text, "raced", 5);
            continue;
        }
        if (run.exit_code == EXIT_CRASHED)
            assert_non_null(strstr(run.out, "the runner was copying out the configuration"));
        else
            assert_non_null(strstr(run.out, "the configuration Configure returned is not a "
                                            "live block of its key"));
        assert_string_equal(text, "configure-race");
    }
}

/* ---- teardown of what the expert did to the runner --------------------------------------- */

static void test_run_freeing_nmapi_is_a_teardown_failure(void **state)
{
    (void)state;
    run_behaviour(EXIT_TEARDOWN_FAILED, "free-nmapi", "--teardown-timeout 5000");
    assert_member("outcome", "\"returned-true\"");
    assert_member("teardown", "\"crashed\"");
    assert_member("key_destroyed", "false");
}

/* Every handle value of the process closed: the runner's own (its threads, events, stdout)
 * are protected from it, so the run and its report go on as if nothing happened. */
static void test_run_closing_every_handle_leaves_the_runner_whole(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_TRUE, "close-every-handle", "--teardown-timeout 5000");
    assert_member("teardown", "\"destroyed\"");
    assert_leak_reclaimed();
}

static void test_run_large_key_is_torn_down_whole(void **state)
{
    (void)state;
    run_behaviour(EXIT_RETURNED_TRUE, "leak-many", "");
    assert_member("teardown", "\"destroyed\"");
    assert_member("reclaimed_blocks", "100067");            /* 3 + 100,000 + 64 */
    assert_member("reclaimed_bytes", "73509164");           /* 300 + 6,400,000 + 64 MiB */
}

/* ---- paths outside the ANSI code page ---------------------------------------------------- */

static void test_paths_outside_the_ansi_code_page(void **state)
{
    (void)state;
    char temp[MAX_PATH], folder[MAX_PATH * 3], expert[MAX_PATH * 3], config[MAX_PATH * 3];
    char capture[MAX_PATH * 3];
    char here[MAX_PATH];
    WCHAR wide[MAX_PATH], wide_source[MAX_PATH];
    GetTempPathA(sizeof temp, temp);
    snprintf(folder, sizeof folder, "%snmexpert-%lu-\xd0\xb6\xd1\x83\xd0\xba", temp,  /* жук */
             (unsigned long)GetCurrentProcessId());
    snprintf(expert, sizeof expert, "%s\\\xe6\xbc\xa2\xe5\xad\x97.dll", folder);        /* 漢字 */
    snprintf(config, sizeof config, "%s\\\xd0\xba\xd0\xbe\xd0\xbd\xd1\x84.bin", folder); /* конф */
    assert_true(MultiByteToWideChar(CP_UTF8, 0, folder, -1, wide, MAX_PATH));
    CreateDirectoryW(wide, NULL);
    tool_folder(here, sizeof here);
    strcat(here, "behaviour_expert.dll");
    assert_true(MultiByteToWideChar(CP_ACP, 0, here, -1, wide_source, MAX_PATH));
    assert_true(MultiByteToWideChar(CP_UTF8, 0, expert, -1, wide, MAX_PATH));
    assert_true(CopyFileW(wide_source, wide, FALSE));
    assert_true(MultiByteToWideChar(CP_UTF8, 0, config, -1, wide, MAX_PATH));
    HANDLE f = CreateFileW(wide, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD written;
    assert_true(f != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(f, "configure-grow", 14, &written, NULL));
    CloseHandle(f);
    /* A capture of no frames: a libpcap file header alone. */
    static const BYTE empty_pcap[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0 };
    snprintf(capture, sizeof capture, "%s\\\xd1\x81\xd0\xb5\xd1\x82\xd1\x8c.pcap", folder); /* сеть */
    assert_true(MultiByteToWideChar(CP_UTF8, 0, capture, -1, wide, MAX_PATH));
    f = CreateFileW(wide, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(f, empty_pcap, sizeof empty_pcap, &written, NULL));
    CloseHandle(f);

    nmexpert(EXIT_RETURNED_TRUE, "configure \"%s\" --config \"%s\"", expert, config);
    assert_non_null(strstr(run.out, expert));                 /* UTF-8 on a pipe */
    assert_non_null(strstr(run.out, "20 bytes written back"));
    /* Run does not know the behaviour "configure-grow+grown": it returns FALSE. */
    nmexpert(EXIT_RETURNED_FALSE, "run \"%s\" --config \"%s\" --capture \"%s\" --json", expert,
             config, capture);
    assert_member("capture", "{\"frames\":0,\"frames_served\":0,\"reclaimed_blocks\":0,"
                             "\"reclaimed_bytes\":0}");
    assert_non_null(strstr(member("expert"), "\\u0436\\u0443\\u043a\\\\\\u6f22\\u5b57.dll\""));
    assert_member("status", "{\"state\":\"RUNNING\",\"substatus\":0,\"percent\":42,"
                            "\"text\":\"configure-grow+grown\"}");
}

/* ---- what is not an expert --------------------------------------------------------------- */

static void test_cpp_mangled_entry_points_are_named_with_the_cure(void **state)
{
    (void)state;
    nmexpert(EXIT_CANNOT_LOAD, "list cpp_expert.dll");
    assert_non_null(strstr(run.out, "cpp_expert.dll is not an expert: it exports Register only "
                                    "under the C++ name '_Z8RegisterP15_EXPERTENUMINFO"));
    assert_non_null(strstr(run.out, "declare the entry points extern \"C\" or name them in a "
                                    ".def file"));
}

static void test_register_crash_and_refusal(void **state)
{
    (void)state;
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_REGISTER", "crash");
    nmexpert(EXIT_CRASHED, "list behaviour_expert.dll");
    assert_non_null(strstr(run.out, "Register crashed (exception 0xC0000005)"));
    nmexpert(EXIT_CRASHED, "run behaviour_expert.dll");
    /* Crashed holding the lock its DllMain takes on unloading: the runner must not unload it. */
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_REGISTER", "crash-holding-lock");
    nmexpert(EXIT_CRASHED, "list behaviour_expert.dll tidy_expert.dll");
    assert_non_null(strstr(run.out, "  name         Tidy frame-size histogram"));
    nmexpert(EXIT_CRASHED, "run behaviour_expert.dll");
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_REGISTER", "false");
    nmexpert(EXIT_CANNOT_LOAD, "run behaviour_expert.dll");
    assert_non_null(strstr(run.err, "Register returned FALSE"));
    SetEnvironmentVariableA("BEHAVIOUR_EXPERT_REGISTER", NULL);
}

/* ---- an expert shaped like the SDK's template (imports filters, protocol, capture) ------- */

/* What the fake original returns for GetCaptureTotalFrames(NULL): its sentinel. */
static unsigned fake_total_frames(void)
{
    for (int i = 0; i < NMAPI_EXPORT_COUNT; i++)
        if (!strcmp(export_rows[i].name, "GetCaptureTotalFrames"))
            return export_rows[i].sentinel;
    fail_msg("GetCaptureTotalFrames is not in nmapi.def and src/surface/exports.tsv");
    return 0;
}

static void assert_template_ran_to_a_clean_end(unsigned total_frames)
{
    char event[96];
    assert_true(json_is_one_object(run.out));
    assert_member("outcome", "\"returned-true\"");
    assert_member("events_submitted", "1");
    snprintf(event, sizeof event, "\"TCP summary: 0 TCP frames of %u\"", total_frames);
    assert_member("last_event", event);
    assert_member("reclaimed_blocks", "0");
}

static void test_sdk_template_expert_runs_without_an_original(void **state)
{
    (void)state;
    nmexpert(EXIT_RETURNED_TRUE, "run sdk_template_expert.dll --json");
    assert_template_ran_to_a_clean_end(0);
    assert_member("forwarded_to", "null");
}

static void test_sdk_template_expert_runs_forwarded_to_an_original(void **state)
{
    (void)state;
    nmexpert(EXIT_RETURNED_TRUE, "run sdk_template_expert.dll --forward fake_original_nmapi.dll --json");
    assert_template_ran_to_a_clean_end(fake_total_frames());
    assert_member("forwarded_to", "\"fake_original_nmapi.dll\"");
    SetEnvironmentVariableA("NMAPI_FORWARD", "fake_original_nmapi.dll");
    nmexpert(EXIT_RETURNED_TRUE, "run sdk_template_expert.dll --json");
    SetEnvironmentVariableA("NMAPI_FORWARD", NULL);
    assert_template_ran_to_a_clean_end(fake_total_frames());
    assert_member("forwarded_to", "\"fake_original_nmapi.dll\"");
}

static void test_forward_to_what_is_not_an_original_exits_65(void **state)
{
    (void)state;
    nmexpert(EXIT_CANNOT_LOAD, "run sdk_template_expert.dll --forward no_such_nmapi.dll");
    assert_non_null(strstr(run.err, "cannot forward to no_such_nmapi.dll: it cannot be loaded"));
    nmexpert(EXIT_CANNOT_LOAD, "run sdk_template_expert.dll --forward version.dll");
    assert_non_null(strstr(run.err, "is not an original Nmapi.dll"));
    SetEnvironmentVariableA("NMAPI_FORWARD", "no_such_nmapi.dll");
    nmexpert(EXIT_CANNOT_LOAD, "run sdk_template_expert.dll");
    SetEnvironmentVariableA("NMAPI_FORWARD", NULL);
    assert_non_null(strstr(run.err, "(named by NMAPI_FORWARD)"));
}

/* ---- what is not an expert run ----------------------------------------------------------- */

static void test_cannot_load_exits_65(void **state)
{
    (void)state;
    nmexpert(EXIT_CANNOT_LOAD, "run no_such_expert.dll");
    assert_non_null(strstr(run.err, "cannot load no_such_expert.dll"));
    nmexpert(EXIT_CANNOT_LOAD, "run nmapi.dll");                              /* a DLL, not an expert */
    assert_non_null(strstr(run.err, "is not an expert: it exports no Register"));
    nmexpert(EXIT_CANNOT_LOAD, "configure tidy_expert.dll --config x.bin");   /* not configurable */
    assert_non_null(strstr(run.err, "exports no Configure"));
    nmexpert(EXIT_CONFIG_IO, "run tidy_expert.dll --config \"%s\"", config_file("missing", NULL));
}

static void test_usage_errors_exit_64(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "frobnicate x.dll", "run", "run a.dll b.dll", "run x.dll --timeout",
        "run x.dll --timeout soon", "run x.dll --timeout -5", "run x.dll --memory-limit 3Q",
        "run x.dll --memory-limit 99999999999G", "configure x.dll", "list x.dll --timeout 5",
        "run x.dll --bogus", "--help extra", "run x.dll --forward \"\"", "run x.dll --config \"\"",
        "run x.dll --teardown-timeout", "run x.dll --teardown-timeout 5s",
        "list x.dll --load-timeout", "list x.dll --config c.bin", "configure x.dll --capture c",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        nmexpert(EXIT_USAGE, "%s", bad[i]);
        assert_non_null(strstr(run.err, "usage: nmexpert"));
    }
    nmexpert(EXIT_RETURNED_TRUE, "--help");
    assert_non_null(strstr(run.out, "exit status: 0 returned TRUE"));
}

/* On i686 the behaviour expert's entry points exist only decorated, so every run above went
 * through the runner's decorated look-up. */
static void test_behaviour_expert_exports_are_decorated_on_i686(void **state)
{
    (void)state;
    HMODULE m = LoadLibraryA("behaviour_expert.dll");
    assert_non_null(m);
#ifdef _WIN64
    assert_non_null(GetProcAddress(m, "Run"));
#else
    assert_null(GetProcAddress(m, "Run"));
    assert_non_null(GetProcAddress(m, "Run@20"));
    assert_non_null(GetProcAddress(m, "Register@4"));
#endif
    FreeLibrary(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_returned_true_exits_0),
        cmocka_unit_test(test_run_returned_false_exits_1),
        cmocka_unit_test(test_run_terminated_after_timeout_exits_2),
        cmocka_unit_test(test_run_every_crash_is_reported_and_exits_crashed),
        cmocka_unit_test(test_run_returning_holding_the_loader_lock_is_reported),
        cmocka_unit_test(test_run_key_destroyed_by_the_expert_is_reported_as_gone),
        cmocka_unit_test(test_run_exit_thread_exits_6),
        cmocka_unit_test(test_run_crash_on_the_experts_own_thread_ends_the_process_with_3),
        cmocka_unit_test(test_run_unresponsive_exits_4),
        cmocka_unit_test(test_run_unresponsive_inside_calls_is_still_reclaimed),
        cmocka_unit_test(test_run_memory_limit_refuses_past_it),
        cmocka_unit_test(test_run_check_corruption_reports_what_it_found),
        cmocka_unit_test(test_run_with_a_capture_that_cannot_be_opened_exits_66),
        cmocka_unit_test(test_run_json_escapes_what_the_expert_wrote),
        cmocka_unit_test(test_run_report_in_words),
        cmocka_unit_test(test_configure_without_stored_config_writes_the_defaults),
        cmocka_unit_test(test_configure_grows_the_stored_config_with_realloc),
        cmocka_unit_test(test_configure_writes_where_named_after_a_change_of_folder),
        cmocka_unit_test(test_configure_a_stored_config_beyond_the_limit_is_a_usage_error),
        cmocka_unit_test(test_configure_returning_false_leaves_the_file),
        cmocka_unit_test(test_configure_invalid_configs_exit_5),
        cmocka_unit_test(test_list_in_words_and_json),
        cmocka_unit_test(test_list_an_expert_that_cannot_load_exits_65),
        cmocka_unit_test_teardown(test_register_crash_and_refusal, clear_environment),
        cmocka_unit_test_teardown(test_dllmain_blocking_on_attach_is_bounded, clear_environment),
        cmocka_unit_test_teardown(test_dllmain_waiting_on_detach_for_its_own_thread_is_bounded,
                                  clear_environment),
        cmocka_unit_test_teardown(test_dllmain_crashing_is_reported_with_its_exception,
                                  clear_environment),
        cmocka_unit_test(test_run_returning_90_shows_the_value),
        cmocka_unit_test(test_configure_returning_minus_1_is_not_configured),
        cmocka_unit_test(test_configure_copies_before_a_thread_of_the_expert_frees),
        cmocka_unit_test(test_run_freeing_nmapi_is_a_teardown_failure),
        cmocka_unit_test(test_run_closing_every_handle_leaves_the_runner_whole),
        cmocka_unit_test(test_run_large_key_is_torn_down_whole),
        cmocka_unit_test(test_paths_outside_the_ansi_code_page),
        cmocka_unit_test(test_cpp_mangled_entry_points_are_named_with_the_cure),
        cmocka_unit_test(test_sdk_template_expert_runs_without_an_original),
        cmocka_unit_test_teardown(test_sdk_template_expert_runs_forwarded_to_an_original,
                                  clear_environment),
        cmocka_unit_test_teardown(test_forward_to_what_is_not_an_original_exits_65,
                                  clear_environment),
        cmocka_unit_test(test_cannot_load_exits_65),
        cmocka_unit_test(test_usage_errors_exit_64),
        cmocka_unit_test(test_behaviour_expert_exports_are_decorated_on_i686),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
