/*
 * expert_module.h - an expert DLL: loaded, and its Register/Configure/Run entry points found
 * under the names an expert may export them by: undecorated ("Run", as a .def gives),
 * stdcall-decorated as mingw exports them without a .def ("Run@20"), or as MSVC does with
 * __declspec(dllexport) ("_Run@20"). LoadLibrary and FreeLibrary run the expert's DllMain,
 * so both are guarded calls with a deadline (guarded_call.h): a DllMain that blocks, crashes
 * or waits for a thread of its own (which needs the loader lock it holds) costs the runner
 * the loader, never the run. After any guarded call went wrong nothing is unloaded: the
 * loader lock may be held by a thread that no longer runs (a load is still tried, bounded).
 */
#ifndef NMEXPERT_EXPERT_MODULE_H
#define NMEXPERT_EXPERT_MODULE_H

#include "nmapi.h"

#include "encoding.h"
#include "guarded_call.h"

/* What became of the DLL's DllMain, on load or on unload. */
enum dllmain_outcome {
    DLLMAIN_OK,         /* loaded; or unloaded */
    DLLMAIN_KEPT,       /* not tried: the loader may be held (on unload the DLL stays
                           loaded; on load an earlier DllMain took the loader lock with it) */
    DLLMAIN_REFUSED,    /* load: the loader refused the DLL (error says why) */
    DLLMAIN_CRASHED,    /* an exception no one handled ended the loading thread */
    DLLMAIN_TIMED_OUT   /* still running at the deadline: its thread was ended */
};

struct expert_module {
    HMODULE module;
    char path[NMEXPERT_PATH_BYTES];      /* where it was loaded from, UTF-8 */
    PEXPERTREGISTERPROC register_proc;   /* required */
    PEXPERTCONFIGPROC configure_proc;    /* optional: NULL when not exported */
    PEXPERTRUNPROC run_proc;             /* required */
    DWORD timeout_ms;                    /* the bound on DllMain, load and unload */
    enum dllmain_outcome load;
    struct call_result load_call;
    enum dllmain_outcome unload;
    struct call_result unload_call;      /* when unload is not DLLMAIN_KEPT */
};

/* Loads the DLL at path (UTF-8; its own folder first in the search for its dependencies),
 * DllMain bounded by timeout_ms. On failure writes a sentence naming the cause into error and
 * returns FALSE; the module is not kept (m->load says how DllMain ended). */
BOOL expert_module_load(struct expert_module *m, const char *path, DWORD timeout_ms,
                        char *error, size_t error_size);

/* Unloads the DLL under the same bound, unless a guarded call went wrong
 * (guarded_call_poisoned): then it stays (DLLMAIN_KEPT). Returns m->unload; m->module is
 * NULL afterwards. */
enum dllmain_outcome expert_module_unload(struct expert_module *m);

/* A sentence on what DllMain did on unload, into out ("" when it unloaded cleanly). */
void describe_unload(const struct expert_module *m, char *out, size_t capacity);

/* The exit status a DllMain that failed on load or unload earns (EXIT_DLLMAIN or
 * EXIT_CANNOT_LOAD for a DLL the loader refused by itself). */
int dllmain_exit(enum dllmain_outcome outcome);

/* "load-refused", "loaded", "unloaded", "kept", "crashed", "timed-out". */
const char *dllmain_name(enum dllmain_outcome outcome, BOOL unloading);

#endif
