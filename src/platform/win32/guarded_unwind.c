/* guarded_unwind.c - the frame handler of plat_call_guarded (guarded_call.S, platform.h). */
#include <windows.h>

#include "atomics.h"
#include "platform.h"

/* Called for plat_call_guarded's frame. Only an unwind - a handler above caught an exception
 * raised inside the guarded call - clears the frame's mark; every exception is left to the
 * handlers of the expert (ExceptionContinueSearch). The frame is, on x86_64, rsp after the
 * prologue (mark at +32) and, on i686, the registration record (mark at +8). */
EXCEPTION_DISPOSITION plat_guarded_unwind(EXCEPTION_RECORD *record, void *frame, CONTEXT *context,
                                          void *dispatcher);
EXCEPTION_DISPOSITION plat_guarded_unwind(EXCEPTION_RECORD *record, void *frame, CONTEXT *context,
                                          void *dispatcher)
{
    (void)context;
    (void)dispatcher;
    if (record->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) {
#if defined(__x86_64__)
        int32_t volatile *mark = *(int32_t volatile **)((char *)frame + 32);
#else
        int32_t volatile *mark = *(int32_t volatile **)((char *)frame + 8);
#endif
        if (mark)
            plat_release_store(mark, 0);
    }
    return ExceptionContinueSearch;
}
