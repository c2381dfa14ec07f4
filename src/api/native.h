/*
 * native.h - the runtime's own implementations of exports that forwarding can still send to
 * an original Nmapi.dll (exports.tsv: "native"). The export's entry point is a stub of
 * stubs.S that jumps to the original's function when forwarding is on and otherwise to
 * NATIVE(Name), defined with exactly the prototype <netmon.h> gives Name; NATIVE_AGREES(Name)
 * after the definition makes the compiler check that they agree, calling convention included.
 */
#ifndef NMAPI_NATIVE_H
#define NMAPI_NATIVE_H

#include "nmapi.h"

#define NATIVE(name) nmapi_native_##name
#define NATIVE_AGREES(name)                                                               \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), __typeof__(&NATIVE(name))), \
                   #name " agrees with <netmon.h>")

#endif
