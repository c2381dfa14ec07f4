/* cmd_list.c - `nmexpert list EXPERT.dll...`: each expert's registration, each load, Register
 * and unload bounded; once one of them went wrong, the rest are reported, not loaded. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

int command_list(const struct nmexpert_options *o)
{
    static struct registration list[NMEXPERT_MAX_EXPERTS];
    static char errors[NMEXPERT_MAX_EXPERTS][NMEXPERT_PATH_BYTES * 2 + 256];
    static char unloads[NMEXPERT_MAX_EXPERTS][NMEXPERT_PATH_BYTES + 256];
    int worst = EXIT_RETURNED_TRUE;
    for (int i = 0; i < o->expert_count; i++) {
        struct registration *reg = &list[i];
        struct expert_module m;
        memset(reg, 0, sizeof *reg);
        reg->expert_path = o->experts[i];
        int status = EXIT_RETURNED_TRUE;
        if (!expert_module_load(&m, o->experts[i], o->load_timeout_ms, errors[i],
                                sizeof errors[i])) {
            reg->load_error = errors[i];
            /* Not tried (an earlier DllMain took the loader with it): that one's status stands. */
            status = m.load == DLLMAIN_KEPT ? EXIT_RETURNED_TRUE : dllmain_exit(m.load);
        } else {
            if (!registration_call(reg, &m))
                status = registration_failure_exit(reg);
            reg->unload = expert_module_unload(&m);
            describe_unload(&m, unloads[i], sizeof unloads[i]);
            if (unloads[i][0])
                reg->unload_problem = unloads[i];
            if (status == EXIT_RETURNED_TRUE && reg->unload != DLLMAIN_OK)
                status = reg->unload == DLLMAIN_KEPT ? EXIT_RETURNED_TRUE
                                                     : dllmain_exit(reg->unload);
        }
        if (status > worst)
            worst = status;
    }
    report_registrations(OUT_STDOUT, list, o->expert_count, o->json);
    return worst;
}
