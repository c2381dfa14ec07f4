/*
 * filters.h - the display filters experts build (CreateFilter, FilterAddObject,
 * DestroyFilter). An HFILTER is the address of a FILTERDESC2 in a pool of the DLL's memory,
 * because <netmon.h>'s FilterGet/SetUIInstanceData macros read and write through it; the
 * expert may write that header at will. The filter itself - its program (filter.h) and
 * whether it is live - is kept apart, in memory the expert is never given, and found from
 * the handle by its position in the pool; a pointer that is not a pool slot is refused.
 * Pool slots are never freed, so a stale or racing handle reads a slot, never unmapped
 * memory. Each slot's gate (gate_take) orders additions, copies and destruction.
 */
#ifndef NMAPI_FILTERS_H
#define NMAPI_FILTERS_H

#include "nmapi.h"
#include "filter.h"

#define FILTERS_MAX 1024

/* Copies a live filter's program: NMERR_SUCCESS or NMERR_INVALID_HFILTER. */
DWORD filters_copy(HFILTER hFilter, struct filter_program *out);
/* Filters live now (forwarding refuses to start while any is). */
LONG filters_live_count(void);

#endif
