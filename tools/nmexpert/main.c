/*
 * main.c - nmexpert: runs Network Monitor 2.x expert DLLs under nmapi.dll and reports what
 * they did and what they left behind. See options.c for the command line and exit status.
 */
#include <stdio.h>

#include "commands.h"
#include "guarded_call.h"

int main(int argc, char **argv)
{
    struct nmexpert_options options;
    char error[MAX_PATH + 128];
    if (!options_parse(argc, argv, &options, error, sizeof error)) {
        fprintf(stderr, "nmexpert: %s\n\n%s", error, options_usage);
        return EXIT_USAGE;
    }
    if (options.command == COMMAND_HELP) {
        fputs(options_usage, stdout);
        return 0;
    }
    if (options.command == COMMAND_VERSION) {
        printf("nmexpert %d.%d.%d (%s)\n", NMAPI_VERSION_MAJOR, NMAPI_VERSION_MINOR,
               NMAPI_VERSION_PATCH, sizeof(void *) == 8 ? "x86_64" : "i686");
        return 0;
    }

    /* No message box for a missing DLL or a crash: the runner reports those itself. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    guarded_call_init();
    /* The host path: nmapi.dll first, so that every expert binds to this one. */
    struct nmapi_runtime rt;
    if (!runtime_load(&rt, error, sizeof error)) {
        fprintf(stderr, "nmexpert: %s\n", error);
        return EXIT_CANNOT_LOAD;
    }
    if (options.forward_path && !runtime_forward(&rt, options.forward_path, error, sizeof error)) {
        fprintf(stderr, "nmexpert: %s\n", error);
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
    default:
        status = command_run(&options, &rt);
        break;
    }
    /* nmapi.dll stays loaded: an expert thread the runner had to end may still own its state. */
    fflush(stdout);
    return status;
}
