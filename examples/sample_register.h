/*
 * sample_register.h - the part of Register every sample expert shares: its name, the samples'
 * vendor and version, a description and flags, copied into the host's EXPERTENUMINFO.
 * Written against <netmon.h> only, like the experts themselves.
 */
#ifndef SAMPLE_REGISTER_H
#define SAMPLE_REGISTER_H

#include <windows.h>
#include <netmon.h>

#define SAMPLE_VERSION 0x00010000   /* 1.0 */

static inline BOOL sample_register(PEXPERTENUMINFO info, const char *name,
                                   const char *description, DWORD flags)
{
    lstrcpynA(info->szName, name, EXPERTSTRINGLENGTH);
    lstrcpynA(info->szVendor, "nmapi examples", EXPERTSTRINGLENGTH);
    lstrcpynA(info->szDescription, description, EXPERTSTRINGLENGTH);
    info->Version = SAMPLE_VERSION;
    info->Flags = flags;
    return TRUE;
}

#endif
