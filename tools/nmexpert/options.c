/* options.c - see options.h. */
#include "options.h"

#include "encoding.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char options_usage[] =
    "usage: nmexpert list EXPERT.dll... [--load-timeout MS] [--json]\n"
    "       nmexpert configure EXPERT.dll --config FILE [--timeout MS] [--grace MS]\n"
    "                          [--teardown-timeout MS] [--memory-limit BYTES]\n"
    "                          [--check-corruption] [--forward NMAPI.dll]\n"
    "                          [--load-timeout MS] [--json]\n"
    "       nmexpert run EXPERT.dll [--config FILE] [--capture FILE] [--timeout MS]\n"
    "                    [--grace MS] [--teardown-timeout MS] [--memory-limit BYTES]\n"
    "                    [--check-corruption] [--forward NMAPI.dll]\n"
    "                    [--load-timeout MS] [--json]\n"
    "       nmexpert capture FILE [--json]\n"
    "       nmexpert --help | --version\n"
    "\n"
    "  list       show each expert's registration (Register)\n"
    "  configure  run the expert's Configure under a key of its own; FILE holds the stored\n"
    "             configuration (RawConfigData), read if it exists and rewritten on success\n"
    "  run        run the expert's Run under a fresh key, then destroy the key and report\n"
    "             what the expert left behind\n"
    "  capture    show what the runtime sees in a capture file: format, link types,\n"
    "             frames, time span, the protocols it recognises\n"
    "\n"
    "  --config FILE        raw configuration bytes (RawConfigData)\n"
    "  --capture FILE       a capture (.cap, pcap, pcapng) the runtime opens: its handle\n"
    "                       and name in EXPERTSTARTUPINFO, its frames to ExpertGetFrame\n"
    "                       (with --forward: the name only)\n"
    "  --timeout MS         tell the expert to terminate after MS milliseconds\n"
    "  --grace MS           after --timeout, wait MS more for it to return (default 2000)\n"
    "  --teardown-timeout MS  the most the key's teardown (its figures read, the key\n"
    "                       destroyed) may take before it is reported timed out (default\n"
    "                       30000)\n"
    "  --load-timeout MS    the most loading or unloading the expert (its DllMain) may\n"
    "                       take (default 10000)\n"
    "  --memory-limit N     most bytes the expert may hold at once (0: no limit);\n"
    "                       suffix K, M or G (binary)\n"
    "  --check-corruption   guard bytes after every block and checks of freed blocks: the\n"
    "                       report counts overruns and writes after free\n"
    "  --forward NMAPI.dll  forward the functions outside the Expert* family (filters,\n"
    "                       parser and capture queries) to an original Nmapi.dll\n"
    "  --json               one JSON object on stdout instead of the report in words\n"
    "\n"
    "exit status: 0 returned TRUE, 1 returned FALSE (configure: also -1, a dialog that\n"
    "could not be created), 2 returned after being told to terminate, 3 crashed, 4 did not\n"
    "return within the grace period, 5 handed back an invalid configuration, 6 ended its own\n"
    "thread, 7 returned but its key could not be torn down (already destroyed, teardown\n"
    "crashed or timed out), 8 its DllMain crashed or did not return within --load-timeout,\n"
    "64 usage error, 65 cannot load nmapi.dll or the expert, 70 cannot create a key or a\n"
    "thread, 66 cannot open the capture file, 74 cannot read or write the configuration\n"
    "file\n";

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

/* Where each option's value goes, and for which commands. */
enum option_kind { OPTION_FLAG, OPTION_PATH, OPTION_MS, OPTION_BYTES };

#define FOR_LIST (1u << COMMAND_LIST)
#define FOR_CONFIGURE (1u << COMMAND_CONFIGURE)
#define FOR_RUN (1u << COMMAND_RUN)
#define FOR_SESSION (FOR_CONFIGURE | FOR_RUN)
#define FOR_CAPTURE (1u << COMMAND_CAPTURE)

static const struct option_row {
    const char *name;
    enum option_kind kind;
    unsigned commands;
    size_t offset;                     /* of the member in struct nmexpert_options */
} option_rows[] = {
    { "--json", OPTION_FLAG, FOR_LIST | FOR_SESSION | FOR_CAPTURE,
      offsetof(struct nmexpert_options, json) },
    { "--load-timeout", OPTION_MS, FOR_LIST | FOR_SESSION,
      offsetof(struct nmexpert_options, load_timeout_ms) },
    { "--check-corruption", OPTION_FLAG, FOR_SESSION,
      offsetof(struct nmexpert_options, check_corruption) },
    { "--config", OPTION_PATH, FOR_SESSION, offsetof(struct nmexpert_options, config_path) },
    { "--capture", OPTION_PATH, FOR_RUN, offsetof(struct nmexpert_options, capture_path) },
    { "--forward", OPTION_PATH, FOR_SESSION, offsetof(struct nmexpert_options, forward_path) },
    { "--timeout", OPTION_MS, FOR_SESSION, offsetof(struct nmexpert_options, timeout_ms) },
    { "--grace", OPTION_MS, FOR_SESSION, offsetof(struct nmexpert_options, grace_ms) },
    { "--teardown-timeout", OPTION_MS, FOR_SESSION,
      offsetof(struct nmexpert_options, teardown_timeout_ms) },
    { "--memory-limit", OPTION_BYTES, FOR_SESSION,
      offsetof(struct nmexpert_options, memory_limit) },
};

static const char *const command_names[] = { "list", "configure", "run", "help", "version",
                                             "capture" };

/* Takes the option at argv[*i] (and its value) into o. FALSE with the error written. */
static BOOL take_option(const struct option_row *row, int argc, char **argv, int *i,
                        struct nmexpert_options *o, char *error, size_t error_size)
{
    void *member = (char *)o + row->offset;
    if (row->kind == OPTION_FLAG) {
        *(BOOL *)member = TRUE;
        return TRUE;
    }
    if (*i + 1 >= argc) {
        snprintf(error, error_size, "%s needs a value", row->name);
        return FALSE;
    }
    const char *value = argv[++*i];
    unsigned long long number;
    switch (row->kind) {
    case OPTION_PATH:
        if (!value[0]) {
            snprintf(error, error_size, "%s needs a non-empty value", row->name);
            return FALSE;
        }
        *(const char **)member = value;
        return TRUE;
    case OPTION_MS:
        if (!parse_count(value, INFINITE - 1u, FALSE, &number)) {
            snprintf(error, error_size, "%s wants milliseconds (0 to %lu), not '%s'", row->name,
                     (unsigned long)(INFINITE - 1u), value);
            return FALSE;
        }
        *(DWORD *)member = (DWORD)number;
        return TRUE;
    case OPTION_BYTES:
    default:
        if (!parse_count(value, (SIZE_T)-1, TRUE, &number)) {
            snprintf(error, error_size, "%s wants a byte count (with an optional K, M or G), "
                     "not '%s'", row->name, value);
            return FALSE;
        }
        *(SIZE_T *)member = (SIZE_T)number;
        return TRUE;
    }
}

/* path made absolute into storage (UTF-8); FALSE when it cannot be. */
static BOOL absolute(const char **path, char *storage, char *error, size_t error_size)
{
    WCHAR wide[MAX_PATH], full[MAX_PATH];
    DWORD n = 0;
    if (utf8_to_wide(*path, wide, MAX_PATH))
        n = GetFullPathNameW(wide, MAX_PATH, full, NULL);
    if (n == 0 || n >= MAX_PATH || !wide_to_utf8(full, storage, NMEXPERT_PATH_BYTES)) {
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
    static char config[NMEXPERT_PATH_BYTES], forward[NMEXPERT_PATH_BYTES];
    static char experts[NMEXPERT_MAX_EXPERTS][NMEXPERT_PATH_BYTES];
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
    o->load_timeout_ms = NMEXPERT_DEFAULT_LOAD_MS;
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
    else if (!strcmp(command, "capture"))
        o->command = COMMAND_CAPTURE;
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
        if (arg[0] == '-') {
            const struct option_row *row = NULL;
            for (size_t r = 0; r < sizeof option_rows / sizeof *option_rows && !row; r++)
                if (!strcmp(arg, option_rows[r].name))
                    row = &option_rows[r];
            if (!row) {
                snprintf(error, error_size, "unknown option '%s'", arg);
                return FALSE;
            }
            if (!(row->commands & (1u << o->command))) {
                snprintf(error, error_size, "%s is not an option of %s", arg,
                         command_names[o->command]);
                return FALSE;
            }
            if (!take_option(row, argc, argv, &i, o, error, error_size))
                return FALSE;
        } else if (o->expert_count == NMEXPERT_MAX_EXPERTS ||
                   (o->command != COMMAND_LIST && o->expert_count == 1)) {
            snprintf(error, error_size, o->command == COMMAND_LIST
                     ? "at most 64 experts at once"
                     : o->command == COMMAND_CAPTURE ? "%s takes one file" : "%s takes one expert",
                     command);
            return FALSE;
        } else {
            o->experts[o->expert_count++] = arg;
        }
    }
    if (o->expert_count == 0) {
        snprintf(error, error_size, o->command == COMMAND_CAPTURE ? "%s needs a capture file"
                                                                  : "%s needs an expert DLL",
                 command);
        return FALSE;
    }
    if (o->command == COMMAND_CONFIGURE && !o->config_path) {
        snprintf(error, error_size, "configure needs --config FILE");
        return FALSE;
    }
    return TRUE;
}
