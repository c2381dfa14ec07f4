/*
 * test_conversation_expert_matches_tshark.c - examples/conversation_expert.dll, an expert
 * shaped like the SDK's template, walks each capture of the fixture (libpcap, pcapng,
 * Network Monitor 2.0; made from hex dumps, and captured on lo by dumpcap) to its end and
 * reports one event per TCP conversation whose frame count equals what tshark's dissection
 * of the same file says, conversation by conversation; first under this test as its host (LoadLibrary, a key of its own, the
 * events taken by pfnSubmitEvent), then under nmexpert run --capture.
 */
#include "capture_fixture.h"
#include "json_check.h"
#include "run_tool.h"

#define MAX_CONVERSATIONS 512

struct conversations {
    int count;
    char key[MAX_CONVERSATIONS][128];   /* "end|end" with the smaller end first */
    unsigned long frames[MAX_CONVERSATIONS];
};

static void add(struct conversations *c, const char *x, const char *y, unsigned long frames)
{
    char k[128];
    if (strcmp(x, y) <= 0)
        snprintf(k, sizeof k, "%s|%s", x, y);
    else
        snprintf(k, sizeof k, "%s|%s", y, x);
    for (int i = 0; i < c->count; i++)
        if (!strcmp(c->key[i], k)) {
            c->frames[i] += frames;
            return;
        }
    assert_true(c->count < MAX_CONVERSATIONS);
    strcpy(c->key[c->count], k);
    c->frames[c->count++] = frames;
}

/* tshark's conversations: every frame with TCP ports, its IPv4 or IPv6 ends. */
static void from_tshark(const char *file, struct conversations *c)
{
    char path[MAX_PATH];
    snprintf(path, sizeof path, "%s/%s.fields", fixture_folder, file);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[2048];
    memset(c, 0, sizeof *c);
    while (fgets(line, sizeof line, f)) {
        char *field[16] = { 0 };
        int n = 0;
        for (char *p = line; n < 16; n++) {
            field[n] = p;
            size_t len = strcspn(p, "\t\r\n");
            int last = p[len] != '\t';
            p[len] = '\0';
            p += len + 1;
            if (last)
                break;
        }
        /* columns: 7 ip.src 8 ip.dst 9 ipv6.src 10 ipv6.dst 11 tcp.srcport 12 tcp.dstport */
        if (n < 12 || !field[11][0])
            continue;
        const char *src = field[7][0] ? field[7] : field[9];
        const char *dst = field[7][0] ? field[8] : field[10];
        char a[80], b[80];
        snprintf(a, sizeof a, "%s:%s", src, field[11]);
        snprintf(b, sizeof b, "%s:%s", dst, field[12]);
        add(c, a, b, 1);
    }
    fclose(f);
}

static DWORD WINAPI take_event(PVOID context, HEXPERTKEY key, PNMEVENTDATA e)
{
    (void)key;
    struct conversations *c = context;
    if (e->NumColumns != 5)
        return NMERR_INVALID_PARAMETER;
    char a[80], b[80];
    snprintf(a, sizeof a, "%s:%u", e->Column[0].VariantData.Value.pStringVal,
             e->Column[1].VariantData.Value.Uint16Val);
    snprintf(b, sizeof b, "%s:%u", e->Column[2].VariantData.Value.pStringVal,
             e->Column[3].VariantData.Value.Uint16Val);
    add(c, a, b, e->Column[4].VariantData.Value.Uint32Val);
    return NMERR_SUCCESS;
}

static void assert_same(const struct conversations *ours, const struct conversations *theirs)
{
    for (int i = 0; i < theirs->count; i++) {
        int found = -1;
        for (int j = 0; j < ours->count && found < 0; j++)
            if (!strcmp(ours->key[j], theirs->key[i]))
                found = j;
        if (found < 0 || ours->frames[found] != theirs->frames[i])
            print_error("conversation %s: tshark %lu frames, the expert %ld\n", theirs->key[i],
                        theirs->frames[i], found < 0 ? -1L : (long)ours->frames[found]);
        assert_true(found >= 0);
        assert_int_equal(ours->frames[found], theirs->frames[i]);
    }
    assert_int_equal(ours->count, theirs->count);
}

static const char *const files[] = { "all.pcap", "all.pcapng", "all.cap", "links.pcapng",
                                     "loopback.pcapng", "loopback.cap" };

static void test_expert_under_this_host_counts_what_tshark_counts(void **state)
{
    (void)state;
    HMODULE expert = LoadLibraryA("conversation_expert.dll");
    assert_non_null(expert);
    PEXPERTRUNPROC run = (PEXPERTRUNPROC)(void *)GetProcAddress(expert, "Run");
    assert_non_null(run);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        static struct conversations theirs, ours;
        from_tshark(files[i], &theirs);
        memset(&ours, 0, sizeof ours);
        HCAPTURE h = fixture_open(files[i]);
        EXPERTSTARTUPINFO startup;
        EXPERTHOSTKEYINFO info = key_info();
        info.CallbackContext = &ours;
        info.pfnSubmitEvent = take_event;
        HEXPERTKEY key = fixture_capture_key(h, files[i], &startup, &info);
        assert_true(run(key, NULL, &startup, 0, NULL));
        EXPERTHOSTMEMORYSTATS left = { .cbSize = sizeof left };
        assert_int_equal(ExpertHostDestroyKey(key, &left), NMERR_SUCCESS);
        assert_int_equal(left.LiveBlocks, 0);
        assert_int_equal(ExpertHostCloseCapture(h, NULL), NMERR_SUCCESS);
        assert_same(&ours, &theirs);
    }
    FreeLibrary(expert);
}

static void test_expert_under_nmexpert_runs_to_a_clean_end(void **state)
{
    (void)state;
    static struct tool_run r;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        static struct conversations theirs;
        from_tshark(files[i], &theirs);
        char args[2 * MAX_PATH], value[64], path[MAX_PATH];
        fixture_windows_path(files[i], path);
        snprintf(args, sizeof args, "run conversation_expert.dll --capture \"%s\" --json", path);
        assert_true(run_tool("nmexpert.exe", args, &r));
        if (r.exit_code != 0)
            print_error("%s\n%s\n", r.out, r.err);
        assert_int_equal(r.exit_code, 0);
        assert_non_null(json_member(r.out, "events_submitted", value, sizeof value));
        assert_int_equal(strtoul(value, NULL, 10), theirs.count);
        unsigned long tcp = 0;
        for (int c = 0; c < theirs.count; c++)
            tcp += theirs.frames[c];
        char capture[256];
        assert_non_null(json_member(r.out, "capture", capture, sizeof capture));
        assert_non_null(json_member(capture, "frames_served", value, sizeof value));
        assert_int_equal(strtoul(value, NULL, 10), tcp);
        assert_non_null(json_member(r.out, "reclaimed_blocks", value, sizeof value));
        assert_string_equal(value, "0");
    }
}

int main(int argc, char **argv)
{
    fixture_folder_from(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expert_under_this_host_counts_what_tshark_counts),
        cmocka_unit_test(test_expert_under_nmexpert_runs_to_a_clean_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
