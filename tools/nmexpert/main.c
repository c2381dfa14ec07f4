/*
 * main.c - nmexpert: runs Network Monitor 2.x expert DLLs under nmapi.dll and reports what
 * they did and what they left behind. The command line is in options.c,
 * the exit statuses in outcome.h (enum nmexpert_exit). The command line is taken as wide
 * characters and held as UTF-8 (encoding.h), so that any file name works.
 */
#include "commands.h"
#include "encoding.h"
#include "guarded_call.h"
#include "out.h"

static int nmexpert(int argc, char **argv)
{
    struct nmexpert_options options;
    char error[NMEXPERT_PATH_BYTES * 2 + 256];
    if (!options_parse(argc, argv, &options, error, sizeof error) ||
        !options_resolve_paths(&options, error, sizeof error)) {
        out_printf(OUT_STDERR, "nmexpert: %s\n\n", error);
        out_puts(OUT_STDERR, options_usage);
        return EXIT_USAGE;
    }
    if (options.command == COMMAND_HELP) {
        out_puts(OUT_STDOUT, options_usage);
        return 0;
    }
    if (options.command == COMMAND_VERSION) {
        out_printf(OUT_STDOUT, "nmexpert %d.%d.%d (%s)\n", NMAPI_VERSION_MAJOR, NMAPI_VERSION_MINOR,
               NMAPI_VERSION_PATCH, sizeof(void *) == 8 ? "x86_64" : "i686");
        return 0;
    }

    /* An expert may close every handle of the process: not the ones the report goes to. */
    SetHandleInformation(GetStdHandle(STD_OUTPUT_HANDLE), HANDLE_FLAG_PROTECT_FROM_CLOSE,
                         HANDLE_FLAG_PROTECT_FROM_CLOSE);
    SetHandleInformation(GetStdHandle(STD_ERROR_HANDLE), HANDLE_FLAG_PROTECT_FROM_CLOSE,
                         HANDLE_FLAG_PROTECT_FROM_CLOSE);
    /* No message box for a missing DLL or a crash: the runner reports those itself. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    guarded_call_init();
    /* The host path: nmapi.dll first, so that every expert binds to this one. */
    struct nmapi_runtime rt;
    if (!runtime_load(&rt, error, sizeof error)) {
        out_printf(OUT_STDERR, "nmexpert: %s\n", error);
        return EXIT_CANNOT_LOAD;
    }
    /* NMAPI_FORWARD would be taken up by nmapi.dll on its own; taking it up here instead puts
     * it in the report, and an unusable one is an error rather than a debugger line. */
    static char environment_forward[NMEXPERT_PATH_BYTES];
    WCHAR wide[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"NMAPI_FORWARD", wide, MAX_PATH);
    const char *forward = options.forward_path;
    if (!forward && n >= MAX_PATH) {
        out_printf(OUT_STDERR, "nmexpert: NMAPI_FORWARD is MAX_PATH characters or longer\n");
        return EXIT_CANNOT_LOAD;
    }
    if (!forward && n > 0 && wide_to_utf8(wide, environment_forward, sizeof environment_forward))
        forward = environment_forward;
    if (forward && !runtime_forward(&rt, forward, error, sizeof error)) {
        out_printf(OUT_STDERR, "nmexpert: %s%s\n", error,
                   options.forward_path ? "" : " (named by NMAPI_FORWARD)");
        return EXIT_CANNOT_LOAD;
    }
    int status;
    switch (options.command) {
    case COMMAND_LIST:
        status = command_list(&options);
        break;
    case COMMAND_CONFIGURE:
        status = command_configure(&options, &rt);
        break;
    case COMMAND_CAPTURE:
        status = command_capture(&options, &rt);
        break;
    default:
        status = command_run(&options, &rt);
        break;
    }
    /* nmapi.dll stays loaded: an expert thread the runner had to end may still own its state. */
    return status;
}

/* The command line as UTF-8, in storage of its own. */
static char **utf8_arguments(int argc, wchar_t **wargv)
{
    static char storage[32768 * 3];
    static char *argv[32768 / 2 + 1];
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, storage + used,
                                    (int)(sizeof storage - used), NULL, NULL);
        if (n <= 0)
            return NULL;
        argv[i] = storage + used;
        used += (size_t)n;
    }
    argv[argc] = NULL;
    return argv;
}

int wmain(int argc, wchar_t **wargv)
{
    char **argv = argc >= 0 && argc <= 32768 / 2 ? utf8_arguments(argc, wargv) : NULL;
    int status = argv ? nmexpert(argc, argv) : EXIT_USAGE;
    out_flush(OUT_STDOUT);
    out_flush(OUT_STDERR);
    /* An expert thread that crashed or was ended may have taken a lock of the C runtime or of
     * the process heap with it, which the runtime's orderly exit would wait for forever. */
    if (guarded_call_poisoned())
        TerminateProcess(GetCurrentProcess(), (UINT)status);
    return status;
}
