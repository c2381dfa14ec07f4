/* cmd_list.c - `nmexpert list EXPERT.dll...`: each expert's registration. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

int command_list(const struct nmexpert_options *o)
{
    static struct registration list[NMEXPERT_MAX_EXPERTS];
    static char errors[NMEXPERT_MAX_EXPERTS][MAX_PATH + 160];
    int worst = EXIT_RETURNED_TRUE;
    for (int i = 0; i < o->expert_count; i++) {
        struct registration *reg = &list[i];
        struct expert_module m;
        memset(reg, 0, sizeof *reg);
        reg->expert_path = o->experts[i];
        int status = EXIT_RETURNED_TRUE;
        if (!expert_module_load(&m, o->experts[i], errors[i], sizeof errors[i])) {
            reg->load_error = errors[i];
            status = EXIT_CANNOT_LOAD;
        } else {
            if (!registration_call(reg, &m))
                status = registration_failure_exit(reg);
            if (reg->call.outcome == CALL_RETURNED)   /* else its DllMain may hang: keep it */
                expert_module_unload(&m);
        }
        if (status > worst)
            worst = status;
    }
    report_registrations(OUT_STDOUT, list, o->expert_count, o->json);
    return worst;
}
