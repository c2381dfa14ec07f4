/*
 * runtime.h - nmapi.dll as the runner sees it: loaded with LoadLibrary (the way any host may
 * load it), its host API resolved with GetProcAddress. The runner links no import library of
 * nmapi.dll, so it runs with whichever nmapi.dll the search order finds first.
 */
#ifndef NMEXPERT_RUNTIME_H
#define NMEXPERT_RUNTIME_H

#include "nmapi.h"

#include "encoding.h"

struct nmapi_runtime {
    HMODULE module;
    char path[NMEXPERT_PATH_BYTES];       /* where it was loaded from, UTF-8 */
    PFN_ExpertHostCreateKey create_key;
    PFN_ExpertHostTerminate terminate;
    PFN_ExpertHostQueryMemory query_memory;
    PFN_ExpertHostGetStatus get_status;
    PFN_ExpertHostDestroyKey destroy_key;
    PFN_ExpertMemorySize memory_size;     /* to check blocks an expert hands back */
    PFN_ExpertAllocMemory alloc_memory;   /* to hand a stored configuration to Configure */
    PFN_ExpertFreeMemory free_memory;     /* and to free it once copied out */
    PFN_ExpertHostForwardToW forward_to;
    PFN_ExpertHostOpenCaptureW open_capture;     /* run --capture, and `capture` */
    PFN_ExpertHostCloseCapture close_capture;
    PFN_ExpertHostQueryCapture query_capture;
    const char *forward_path;             /* the original Nmapi.dll forwarded to, or NULL */
    DWORD forwarded;                      /* how many functions it provides */
};

/* Loads nmapi.dll and resolves every function above. On failure writes a sentence naming the
 * cause into error (capacity error_size) and returns FALSE. */
BOOL runtime_load(struct nmapi_runtime *rt, char *error, size_t error_size);
void runtime_unload(struct nmapi_runtime *rt);

/* Forwards the functions outside the Expert* family to the original Nmapi.dll at path (UTF-8;
 * ExpertHostForwardToW). On failure writes a sentence into error and returns FALSE. */
BOOL runtime_forward(struct nmapi_runtime *rt, const char *path, char *error,
                     size_t error_size);

#endif
