/*
 * configurable_expert.c - a sample expert with a stored configuration, following the
 * documented Configure flow. Its settings overlay EXPERTCONFIG (RawConfigLength counts the
 * whole structure). Configure receives the stored settings in memory the host allocated on
 * the configure key, or NULL when none is stored; it allocates defaults, or grows a shorter
 * (older) configuration with ExpertReallocMemory, then applies the user's choice. A real
 * expert asks in a dialog box; this one takes the choice from the environment variable
 * CONFIGURABLE_EXPERT_FRAMES, so that it runs unattended. Run uses the settings.
 *   nmexpert configure configurable_expert.dll --config settings.bin
 *   nmexpert run configurable_expert.dll --config settings.bin
 */
#include <windows.h>
#include <netmon.h>
#include <stdio.h>
#include <stdlib.h>

#include "sample_register.h"

/* Version 1 of the settings ended after frames_to_scan. */
struct settings {
    DWORD RawConfigLength;       /* overlays EXPERTCONFIG */
    DWORD frames_to_scan;
    DWORD times_configured;      /* version 2 */
};
#define SETTINGS_V1_LENGTH (2 * sizeof(DWORD))
#define DEFAULT_FRAMES 500

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    return sample_register(pInfo, "Configurable frame scanner",
                           "Scans as many frames as its stored configuration says",
                           EXPERT_ENUM_FLAG_CONFIGURABLE);
}

BOOL WINAPI Configure(HEXPERTKEY hExpertKey, PEXPERTCONFIG *ppConfig,
                      PEXPERTSTARTUPINFO pStartupInfo, DWORD StartupFlags, HWND hWnd)
{
    (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    DWORD error;
    struct settings *s = (struct settings *)*ppConfig;
    if (!s || s->RawConfigLength < SETTINGS_V1_LENGTH) {  /* nothing usable stored: defaults */
        s = ExpertReallocMemory(hExpertKey, s, sizeof *s, &error);   /* NULL: allocates */
        if (!s)
            return FALSE;
        s->frames_to_scan = DEFAULT_FRAMES;
        s->times_configured = 0;
        s->RawConfigLength = sizeof *s;
    } else if (s->RawConfigLength < sizeof *s) {         /* version 1: grown to version 2 */
        s = ExpertReallocMemory(hExpertKey, s, sizeof *s, &error);
        if (!s)
            return FALSE;
        s->times_configured = 0;                         /* the zero-filled new part, named */
        s->RawConfigLength = sizeof *s;
    }                           /* a newer, longer configuration keeps its length and its tail */
    const char *choice = getenv("CONFIGURABLE_EXPERT_FRAMES");   /* the "dialog box" */
    if (choice && atol(choice) > 0)
        s->frames_to_scan = (DWORD)atol(choice);
    s->times_configured++;
    *ppConfig = (PEXPERTCONFIG)s;
    return TRUE;
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    const struct settings *s = (const struct settings *)pConfig;
    DWORD frames = DEFAULT_FRAMES, configured = 0;
    if (s && s->RawConfigLength >= SETTINGS_V1_LENGTH)
        frames = s->frames_to_scan;
    if (s && s->RawConfigLength >= sizeof *s)
        configured = s->times_configured;

    if (frames > MAXDWORD / sizeof(DWORD))
        return FALSE;
    DWORD error;
    DWORD *seen = ExpertAllocMemory(hExpertKey, frames * sizeof *seen, &error);
    if (!seen)
        return FALSE;
    for (DWORD i = 0; i < frames; i++)
        seen[i] = i * 2654435761u;                       /* "the frame's hash" */
    ExpertFreeMemory(hExpertKey, seen);
    char text[120];
    snprintf(text, sizeof text, "scanned %lu frames (configured %lu time%s)",
             (unsigned long)frames, (unsigned long)configured, configured == 1 ? "" : "s");
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_DONE, 0, text, 99);
    return TRUE;
}
