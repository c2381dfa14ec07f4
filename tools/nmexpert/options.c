/* options.c - see options.h. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char options_usage[] =
    "usage: nmexpert list EXPERT.dll... [--json]\n"
    "       nmexpert configure EXPERT.dll --config FILE [--timeout MS] [--grace MS]\n"
    "                          [--teardown-timeout MS] [--memory-limit BYTES]\n"
    "                          [--check-corruption] [--forward NMAPI.dll] [--json]\n"
    "       nmexpert run EXPERT.dll [--config FILE] [--capture FILE] [--timeout MS]\n"
    "                    [--grace MS] [--teardown-timeout MS] [--memory-limit BYTES]\n"
    "                    [--check-corruption] [--forward NMAPI.dll] [--json]\n"
    "       nmexpert --help | --version\n"
    "\n"
    "  list       show each expert's registration (Register)\n"
    "  configure  run the expert's Configure under a key of its own; FILE holds the stored\n"
    "             configuration (RawConfigData), read if it exists and rewritten on success\n"
    "  run        run the expert's Run under a fresh key, then destroy the key and report\n"
    "             what the expert left behind\n"
    "\n"
    "  --config FILE        raw configuration bytes (RawConfigData)\n"
    "  --capture FILE       capture file name handed in EXPERTSTARTUPINFO.szCaptureFile\n"
    "  --timeout MS         tell the expert to terminate after MS milliseconds\n"
    "  --grace MS           after --timeout, wait MS more for it to return (default 2000)\n"
    "  --teardown-timeout MS  the most the key's teardown (its figures read, the key\n"
    "                       destroyed) may take before it is reported timed out (default\n"
    "                       30000)\n"
    "  --memory-limit N     most bytes the expert may hold at once (0: no limit);\n"
    "                       suffix K, M or G (binary)\n"
    "  --check-corruption   guard bytes after every block and checks of freed blocks: the\n"
    "                       report counts overruns and writes after free\n"
    "  --forward NMAPI.dll  forward the functions outside the Expert* family (filters,\n"
    "                       parser and capture queries) to an original Nmapi.dll\n"
    "  --json               one JSON object on stdout instead of the report in words\n"
    "\n"
    "exit status: 0 returned TRUE, 1 returned FALSE, 2 returned after being told to\n"
    "terminate, 3 crashed, 4 did not return within the grace period, 5 handed back an\n"
    "invalid configuration, 6 ended its own thread, 7 returned but its key could not be\n"
    "torn down (already destroyed, teardown crashed or timed out), 64 usage error, 65 cannot load nmapi.dll or the expert,\n"
    "70 cannot create a key or a thread, 74 cannot read or write the configuration file\n";

/* A decimal count with an optional binary suffix (K, M, G) for memory sizes. */
static BOOL parse_count(const char *text, unsigned long long max, BOOL allow_suffix,
                        unsigned long long *out)
{
    if (!text || *text < '0' || *text > '9')
        return FALSE;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno == ERANGE)
        return FALSE;
    unsigned shift = 0;
    if (allow_suffix && *end) {
        const char *suffixes = "KMG";
        const char *at = strchr(suffixes, toupper((unsigned char)*end));
        if (!at || end[1])
            return FALSE;
        shift = 10u * (unsigned)(at - suffixes + 1);
        end++;
    }
    if (*end || value > (max >> shift))
        return FALSE;
    *out = value << shift;
    return TRUE;
}

/* The value after an option, or NULL with the error written. */
static const char *option_value(int argc, char **argv, int *i, char *error, size_t error_size)
{
    if (*i + 1 >= argc) {
        snprintf(error, error_size, "%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* path made absolute into storage (MAX_PATH); FALSE when it cannot be. */
static BOOL absolute(const char **path, char *storage, char *error, size_t error_size)
{
    DWORD n = GetFullPathNameA(*path, MAX_PATH, storage, NULL);
    if (n == 0 || n >= MAX_PATH) {
        snprintf(error, error_size, "cannot resolve the path '%s'", *path);
        return FALSE;
    }
    *path = storage;
    return TRUE;
}

static BOOL names_a_folder(const char *path)
{
    return strchr(path, '\\') || strchr(path, '/') || strchr(path, ':');
}

BOOL options_resolve_paths(struct nmexpert_options *o, char *error, size_t error_size)
{
    static char config[MAX_PATH], forward[MAX_PATH], experts[NMEXPERT_MAX_EXPERTS][MAX_PATH];
    if (o->config_path && !absolute(&o->config_path, config, error, error_size))
        return FALSE;
    if (o->forward_path && names_a_folder(o->forward_path) &&
        !absolute(&o->forward_path, forward, error, error_size))
        return FALSE;
    for (int i = 0; i < o->expert_count; i++)
        if (names_a_folder(o->experts[i]) &&
            !absolute(&o->experts[i], experts[i], error, error_size))
            return FALSE;
    return TRUE;
}

BOOL options_parse(int argc, char **argv, struct nmexpert_options *o, char *error,
                   size_t error_size)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = INFINITE;
    o->grace_ms = NMEXPERT_DEFAULT_GRACE_MS;
    o->teardown_timeout_ms = NMEXPERT_DEFAULT_TEARDOWN_MS;
    if (argc < 2) {
        snprintf(error, error_size, "no command given");
        return FALSE;
    }
    const char *command = argv[1];
    if (!strcmp(command, "list"))
        o->command = COMMAND_LIST;
    else if (!strcmp(command, "configure"))
        o->command = COMMAND_CONFIGURE;
    else if (!strcmp(command, "run"))
        o->command = COMMAND_RUN;
    else if (!strcmp(command, "--help") || !strcmp(command, "-h") || !strcmp(command, "help"))
        o->command = COMMAND_HELP;
    else if (!strcmp(command, "--version"))
        o->command = COMMAND_VERSION;
    else {
        snprintf(error, error_size, "unknown command '%s'", command);
        return FALSE;
    }
    if (o->command == COMMAND_HELP || o->command == COMMAND_VERSION) {
        if (argc == 2)
            return TRUE;
        snprintf(error, error_size, "%s takes no arguments", command);
        return FALSE;
    }

    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        unsigned long long number;
        if (o->command == COMMAND_LIST && arg[0] == '-' && strcmp(arg, "--json")) {
            snprintf(error, error_size, "list takes no option but --json (got '%s')", arg);
            return FALSE;
        }
        if (!strcmp(arg, "--json")) {
            o->json = TRUE;
        } else if (!strcmp(arg, "--check-corruption")) {
            o->check_corruption = TRUE;
        } else if (!strcmp(arg, "--config") || !strcmp(arg, "--capture") ||
                   !strcmp(arg, "--forward")) {
            if (!(value = option_value(argc, argv, &i, error, error_size)))
                return FALSE;
            if (!value[0]) {
                snprintf(error, error_size, "%s needs a non-empty value", arg);
                return FALSE;
            }
            if (!strcmp(arg, "--config"))
                o->config_path = value;
            else if (!strcmp(arg, "--forward"))
                o->forward_path = value;
            else if (o->command == COMMAND_RUN && strlen(value) < MAX_PATH)
                o->capture_path = value;
            else {
                snprintf(error, error_size, o->command == COMMAND_RUN
                         ? "--capture: the name is longer than MAX_PATH - 1 characters"
                         : "--capture is for run only");
                return FALSE;
            }
        } else if (!strcmp(arg, "--timeout") || !strcmp(arg, "--grace") ||
                   !strcmp(arg, "--teardown-timeout")) {
            if (!(value = option_value(argc, argv, &i, error, error_size)))
                return FALSE;
            if (!parse_count(value, INFINITE - 1u, FALSE, &number)) {
                snprintf(error, error_size, "%s wants milliseconds (0 to %lu), not '%s'", arg,
                         (unsigned long)(INFINITE - 1u), value);
                return FALSE;
            }
            if (!strcmp(arg, "--timeout"))
                o->timeout_ms = (DWORD)number;
            else if (!strcmp(arg, "--grace"))
                o->grace_ms = (DWORD)number;
            else
                o->teardown_timeout_ms = (DWORD)number;
        } else if (!strcmp(arg, "--memory-limit")) {
            if (!(value = option_value(argc, argv, &i, error, error_size)))
                return FALSE;
            if (!parse_count(value, (SIZE_T)-1, TRUE, &number)) {
                snprintf(error, error_size, "--memory-limit wants a byte count (with an "
                         "optional K, M or G), not '%s'", value);
                return FALSE;
            }
            o->memory_limit = (SIZE_T)number;
        } else if (arg[0] == '-') {
            snprintf(error, error_size, "unknown option '%s'", arg);
            return FALSE;
        } else if (o->expert_count == NMEXPERT_MAX_EXPERTS ||
                   (o->command != COMMAND_LIST && o->expert_count == 1)) {
            snprintf(error, error_size, o->command == COMMAND_LIST
                     ? "at most 64 experts at once" : "%s takes one expert", command);
            return FALSE;
        } else {
            o->experts[o->expert_count++] = arg;
        }
    }
    if (o->expert_count == 0) {
        snprintf(error, error_size, "%s needs an expert DLL", command);
        return FALSE;
    }
    if (o->command == COMMAND_CONFIGURE && !o->config_path) {
        snprintf(error, error_size, "configure needs --config FILE");
        return FALSE;
    }
    return TRUE;
}
