/*
 * expert_module.h - an expert DLL: loaded, and its Register/Configure/Run entry points found
 * under the names an expert may export them by: undecorated ("Run", as a .def gives),
 * stdcall-decorated as mingw exports them without a .def ("Run@20"), or as MSVC does with
 * __declspec(dllexport) ("_Run@20").
 */
#ifndef NMEXPERT_EXPERT_MODULE_H
#define NMEXPERT_EXPERT_MODULE_H

#include "nmapi.h"

struct expert_module {
    HMODULE module;
    char path[MAX_PATH];
    PEXPERTREGISTERPROC register_proc;   /* required */
    PEXPERTCONFIGPROC configure_proc;    /* optional: NULL when not exported */
    PEXPERTRUNPROC run_proc;             /* required */
};

/* Loads the DLL at path (its own folder first in the search for its dependencies). On failure
 * writes a sentence naming the cause into error and returns FALSE; the module is not kept. */
BOOL expert_module_load(struct expert_module *m, const char *path, char *error,
                        size_t error_size);
/* Unloads the DLL, unless a guarded call went wrong (guarded_call_poisoned): then it stays. */
void expert_module_unload(struct expert_module *m);

#endif
