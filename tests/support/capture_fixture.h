/*
 * capture_fixture.h - how the capture tests reach the captures fixture: the folder that
 * tests/captures/make_captures.sh filled, given as the test program's first argument, and
 * the files in it as Wine's Windows side names them (Z:\...).
 */
#ifndef NMAPI_CAPTURE_FIXTURE_H
#define NMAPI_CAPTURE_FIXTURE_H

#include "nmapi_test.h"

static const char *fixture_folder;

/* The folder from argv[1]; without one, a usage line and exit status 2. */
static inline void fixture_folder_from(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FOLDER (made by tests/captures/make_captures.sh)\n", argv[0]);
        exit(2);
    }
    fixture_folder = argv[1];
}

/* file (a name in the folder) as a Windows path. */
static inline void fixture_windows_path(const char *file, char out[MAX_PATH])
{
    snprintf(out, MAX_PATH, "Z:%s/%s", fixture_folder, file);
    for (char *c = out; *c; c++)
        if (*c == '/')
            *c = '\\';
}

/* Opens file of the folder; the test fails, saying why, when it cannot. */
static inline HCAPTURE fixture_open(const char *file)
{
    char windows[MAX_PATH];
    fixture_windows_path(file, windows);
    HCAPTURE h = NULL;
    DWORD error = ExpertHostOpenCapture(windows, &h);
    if (error != NMERR_SUCCESS)
        print_error("opening %s: NMERR %lu\n", windows, (unsigned long)error);
    assert_int_equal(error, NMERR_SUCCESS);
    assert_non_null(h);
    return h;
}

/* A key whose startup info names capture h (no pfnGetFrame: ExpertGetFrame serves it) and,
 * when file is not NULL, its path; info, when not NULL, gives the rest of the key's settings.
 * The startup info is written into *startup too. */
static inline HEXPERTKEY fixture_capture_key(HCAPTURE h, const char *file,
                                             EXPERTSTARTUPINFO *startup, EXPERTHOSTKEYINFO *info)
{
    memset(startup, 0, sizeof *startup);
    startup->hCapture = h;
    if (file)
        fixture_windows_path(file, startup->szCaptureFile);
    EXPERTHOSTKEYINFO settings = info ? *info : key_info();
    settings.pStartupInfo = startup;
    return create_key_from(&settings);
}

#endif
