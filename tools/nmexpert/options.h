/*
 * options.h - nmexpert's command line.
 *
 *   nmexpert list EXPERT.dll... [--load-timeout MS] [--json]
 *   nmexpert configure EXPERT.dll --config FILE [SESSION OPTIONS]
 *   nmexpert run EXPERT.dll [--config FILE] [--capture FILE] [SESSION OPTIONS]
 *
 * SESSION OPTIONS: --timeout MS, --grace MS, --teardown-timeout MS, --memory-limit BYTES,
 * --check-corruption, --forward NMAPI.dll, --load-timeout MS, --json (options.c has the usage
 * text and the table of options). Every string is UTF-8 (main.c converts the wide command
 * line).
 */
#ifndef NMEXPERT_OPTIONS_H
#define NMEXPERT_OPTIONS_H

#include <windows.h>

#define NMEXPERT_MAX_EXPERTS 64
#define NMEXPERT_DEFAULT_GRACE_MS 2000u
/* Reading a key's figures and destroying it: a destroy of a large key takes seconds under a
 * loaded Wine; only a teardown stuck on a lock that died with the expert takes longer. */
#define NMEXPERT_DEFAULT_TEARDOWN_MS 30000u
/* Loading or unloading an expert: its DllMain should take milliseconds. */
#define NMEXPERT_DEFAULT_LOAD_MS 10000u

enum nmexpert_command { COMMAND_LIST, COMMAND_CONFIGURE, COMMAND_RUN, COMMAND_HELP,
                        COMMAND_VERSION, COMMAND_CAPTURE };

struct nmexpert_options {
    enum nmexpert_command command;
    const char *experts[NMEXPERT_MAX_EXPERTS];   /* capture: experts[0] is the file */
    int expert_count;
    const char *config_path;     /* NULL when not given */
    const char *capture_path;    /* NULL when not given */
    const char *forward_path;    /* an original Nmapi.dll; NULL when not given */
    DWORD timeout_ms;            /* INFINITE when not given */
    DWORD grace_ms;
    DWORD teardown_timeout_ms;   /* the bound on the key's teardown */
    DWORD load_timeout_ms;       /* the bound on LoadLibrary and FreeLibrary (DllMain) */
    SIZE_T memory_limit;         /* 0 = none */
    BOOL check_corruption;       /* --check-corruption: the key's guard bytes and fill checks */
    BOOL json;
};

/* Parses argv. On a usage error writes one sentence into error and returns FALSE. */
BOOL options_parse(int argc, char **argv, struct nmexpert_options *out, char *error,
                   size_t error_size);

/* Makes the paths the runner uses after expert code has run absolute, against the current
 * folder at start-up (an expert's Configure may change it, as a file dialog does): --config
 * always; the expert and --forward when they name a folder (a bare name keeps the DLL search
 * order). FALSE, with error written, when a path cannot be resolved. */
BOOL options_resolve_paths(struct nmexpert_options *o, char *error, size_t error_size);

/* The usage text, for --help and after a usage error. */
extern const char options_usage[];

#endif
