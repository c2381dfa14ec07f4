/* expert_frames.h - ExpertGetFrame served from a capture of ours (see expert_frames.c and
 * ExpertGetFrame in nmapi.h for the contract). */
#ifndef NMAPI_EXPERT_FRAMES_H
#define NMAPI_EXPERT_FRAMES_H

#include "nmapi.h"

DWORD expert_frames_get(HEXPERTKEY hExpertKey, HCAPTURE hCapture, DWORD Direction,
                        DWORD RequestFlags, DWORD RequestedFrameNumber, HFILTER hFilter,
                        LPEXPERTFRAMEDESCRIPTOR pDescriptor);

#endif
