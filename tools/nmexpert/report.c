/* report.c - see report.h. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "json_writer.h"
#include "encoding.h"
#include "status_text.h"

/* ---- in words ------------------------------------------------------------------------- */

static void print_call_outcome(enum out_stream out, const struct call_result *call,
                               DWORD timeout_ms, DWORD grace_ms)
{
    char what[NMEXPERT_PATH_BYTES + 96], value[32];
    describe_returned(call->value, value, sizeof value);
    switch (outcome_of(call)) {
    case OUTCOME_RETURNED_TRUE:
    case OUTCOME_RETURNED_FALSE:
        out_printf(out, "outcome     returned %s after %lu ms\n", value,
                (unsigned long)call->elapsed_ms);
        break;
    case OUTCOME_TERMINATED:
        out_printf(out, "outcome     told to terminate after %lu ms; returned %s after %lu ms\n",
                (unsigned long)timeout_ms, value, (unsigned long)call->elapsed_ms);
        break;
    case OUTCOME_CRASHED:
        describe_exception(call, what, sizeof what);
        out_printf(out, "outcome     crashed after %lu ms: %s; its thread was ended\n",
                   (unsigned long)call->elapsed_ms, what);
        break;
    case OUTCOME_EXITED_THREAD:
        out_printf(out, "outcome     ended its own thread after %lu ms without returning\n",
                   (unsigned long)call->elapsed_ms);
        break;
    case OUTCOME_UNRESPONSIVE:
        out_printf(out, "outcome     unresponsive: told to terminate after %lu ms, it did not "
                "return within %lu ms more; the runner ended its thread\n",
                (unsigned long)timeout_ms, (unsigned long)grace_ms);
        break;
    }
}

/* Why the key's figures are unknown: what its teardown really did. */
static void print_teardown_failure(enum out_stream out, const struct session_report *rep)
{
    const struct session_result *r = rep->result;
    const struct call_result *t = &r->teardown_call;
    char what[NMEXPERT_PATH_BYTES + 96];
    switch (r->teardown) {
    case TEARDOWN_KEY_ALREADY_GONE:
        out_printf(out, "memory      unknown: the key was already destroyed when the runner tore "
                   "it down after %lu ms (NMERR_INVALID_EXPERT_HANDLE); by whom, nmapi.dll "
                   "cannot say\n", (unsigned long)t->elapsed_ms);
        break;
    case TEARDOWN_REFUSED:
        out_printf(out, "memory      unknown: destroying the key failed with NMERR %lu\n",
                   (unsigned long)r->teardown_nmerr);
        break;
    case TEARDOWN_CRASHED:
        describe_exception(t, what, sizeof what);
        out_printf(out, "memory      unknown: the key's teardown crashed after %lu ms: %s\n",
                   (unsigned long)t->elapsed_ms, what);
        break;
    case TEARDOWN_TIMED_OUT:
    default:
        out_printf(out, "memory      unknown: the key's teardown was still running after %lu ms "
                   "(--teardown-timeout); a lock of nmapi.dll or of the process may have died "
                   "with the expert's thread\n", (unsigned long)rep->teardown_timeout_ms);
        break;
    }
}

/* The key's allocations less the one the runner made on it (configure's handed-in block). */
static ULONGLONG expert_allocations(const struct session_report *rep)
{
    ULONGLONG total = rep->result->stats.TotalAllocations;
    return rep->host_block && total ? total - 1 : total;
}

static void print_limit(enum out_stream out, SIZE_T limit)
{
    if (limit)
        out_printf(out, "a limit of %llu bytes", (unsigned long long)limit);
    else
        out_puts(out, "no limit");
}

static void session_in_words(enum out_stream out, const struct session_report *rep)
{
    const struct session_result *r = rep->result;
    char text[sizeof r->status.szStatusText];
    expert_text_to_utf8(rep->about->szName, text, sizeof text);
    out_printf(out, "expert      %s (%s), %s\n", text, rep->expert_path, rep->command);
    print_call_outcome(out, &r->call, rep->timeout_ms, rep->grace_ms);
    expert_text_to_utf8(r->status.szStatusText, text, sizeof text);
    if (r->status.Status == EXPERTSTATUS_INACTIVE && !r->status.PercentDone && !text[0])
        out_puts(out, "status      none indicated\n");
    else
        out_printf(out, "status      %s, substatus %lu, %lu%% \"%s\"\n",
                   status_state_name(r->status.Status), (unsigned long)r->status.SubStatus,
                   (unsigned long)r->status.PercentDone, text);
    if (rep->config_path) {
        if (rep->config_stored)
            out_printf(out, "config      %s: %lu bytes handed in", rep->config_path,
                       (unsigned long)rep->config_bytes_in);
        else
            out_printf(out, "config      %s: none stored yet (Configure got NULL)",
                       rep->config_path);
        if (rep->config_written)
            out_printf(out, ", %lu bytes written back", (unsigned long)rep->config_bytes_out);
        else if (rep->configure_dialog_failed)
            out_puts(out, "; not rewritten: Configure returned -1, DialogBox's failure value "
                     "(its dialog could not be created), so nothing was configured");
        out_putc(out, '\n');
    }
    if (r->events) {
        expert_text_to_utf8(r->last_event, text, sizeof text);
        out_printf(out, "events      %ld submitted, the last \"%s\"\n", (long)r->events, text);
    }
    if (rep->capture_opened)
        out_printf(out, "capture     %lu of %lu frames served; per-capture memory reclaimed "
                   "%lu blocks, %lu bytes\n", (unsigned long)rep->capture.FramesServed,
                   (unsigned long)rep->capture.TotalFrames,
                   (unsigned long)rep->capture_reclaimed.LiveBlocks,
                   (unsigned long)rep->capture_reclaimed.LiveBytes);
    if (rep->forward_path)
        out_printf(out, "forwarded   %lu functions to %s\n", (unsigned long)rep->forwarded,
                rep->forward_path);
    if (rep->problem && rep->problem[0])
        out_printf(out, "problem     %s\n", rep->problem);
    if (rep->unload_problem)
        out_printf(out, "unload      %s\n", rep->unload_problem);
    if (r->teardown != TEARDOWN_DESTROYED) {
        print_teardown_failure(out, rep);
        return;
    }
    ULONGLONG allocations = expert_allocations(rep);
    out_printf(out, "memory      peak %llu bytes, %llu allocation%s by the expert (%llu refused)%s, ",
            (unsigned long long)r->stats.PeakBytes, allocations, allocations == 1 ? "" : "s",
            r->stats.FailedAllocations,
            rep->host_block ? ", 1 by the runner (the configuration handed in)" : "");
    print_limit(out, rep->memory_limit);
    out_putc(out, '\n');
    if (!allocations && !r->reclaimed.LiveBlocks)
        out_puts(out, "reclaimed   nothing: the expert allocated nothing\n");
    else if (r->reclaimed.LiveBlocks)
        out_printf(out, "reclaimed   %llu block%s, %llu bytes the expert left behind, freed at once "
                "with its regions\n", (unsigned long long)r->reclaimed.LiveBlocks,
                r->reclaimed.LiveBlocks == 1 ? "" : "s",
                (unsigned long long)r->reclaimed.LiveBytes);
    else
        out_puts(out, "reclaimed   nothing: the expert freed every block it allocated\n");
    if (rep->check_corruption)
        out_printf(out, "corruption  %llu overrun%s, %llu write%s after free detected\n",
                   r->reclaimed.OverrunsDetected, r->reclaimed.OverrunsDetected == 1 ? "" : "s",
                   r->reclaimed.WritesAfterFreeDetected,
                   r->reclaimed.WritesAfterFreeDetected == 1 ? "" : "s");
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void session_as_json(enum out_stream out, const struct session_report *rep)
{
    const struct session_result *r = rep->result;
    const struct call_result *call = &r->call;
    enum expert_outcome outcome = outcome_of(call);
    struct json_writer w;
    json_init(&w, out);
    json_begin_object(&w, NULL);
    json_string(&w, "command", rep->command);
    json_string(&w, "expert", rep->expert_path);
    json_expert_string(&w, "name", rep->about->szName);
    json_string(&w, "outcome", outcome_name(outcome));
    json_uint(&w, "exit_code", rep->exit_code);
    if (outcome == OUTCOME_CRASHED) {
        json_uint(&w, "exception_code", call->exception_code);
        json_string(&w, "exception_name", exception_name(call->exception_code));
        json_string(&w, "exception_address", call->exception_where);
    }
    if (call->outcome == CALL_RETURNED)
        json_int(&w, "returned_value", call->value);
    else
        json_string(&w, "returned_value", NULL);
    json_bool(&w, "told_to_terminate", call->told_to_terminate);
    json_uint(&w, "elapsed_ms", call->elapsed_ms);
    json_begin_object(&w, "status");
    json_string(&w, "state", status_state_name(r->status.Status));
    json_uint(&w, "substatus", r->status.SubStatus);
    json_uint(&w, "percent", r->status.PercentDone);
    json_expert_string(&w, "text", r->status.szStatusText);
    json_end_object(&w);
    if (rep->config_path) {
        json_string(&w, "config_file", rep->config_path);
        json_bool(&w, "config_stored", rep->config_stored);
        json_uint(&w, "config_bytes_in", rep->config_bytes_in);
        if (!strcmp(rep->command, "configure")) {
            json_bool(&w, "config_written", rep->config_written);
            json_bool(&w, "dialog_failed", rep->configure_dialog_failed);
        }
        if (rep->config_written)
            json_uint(&w, "config_bytes_out", rep->config_bytes_out);
    }
    if (rep->problem && rep->problem[0])
        json_string(&w, "problem", rep->problem);
    json_string(&w, "unload", dllmain_name(rep->module->unload, TRUE));
    if (rep->unload_problem)
        json_string(&w, "unload_problem", rep->unload_problem);
    json_uint(&w, "events_submitted", (unsigned long long)r->events);
    if (r->events)
        json_expert_string(&w, "last_event", r->last_event);
    if (rep->capture_opened) {
        json_begin_object(&w, "capture");
        json_uint(&w, "frames", rep->capture.TotalFrames);
        json_uint(&w, "frames_served", rep->capture.FramesServed);
        json_uint(&w, "reclaimed_blocks", rep->capture_reclaimed.LiveBlocks);
        json_uint(&w, "reclaimed_bytes", rep->capture_reclaimed.LiveBytes);
        json_end_object(&w);
    }
    json_string(&w, "forwarded_to", rep->forward_path);
    if (rep->forward_path)
        json_uint(&w, "forwarded_functions", rep->forwarded);
    json_uint(&w, "memory_limit", rep->memory_limit);
    json_bool(&w, "corruption_checks", rep->check_corruption);
    json_string(&w, "teardown", teardown_name(r->teardown));
    json_uint(&w, "teardown_ms", r->teardown_call.elapsed_ms);
    if (r->teardown == TEARDOWN_CRASHED) {

        json_uint(&w, "teardown_exception_code", r->teardown_call.exception_code);
        json_string(&w, "teardown_exception_address", r->teardown_call.exception_where);
    } else if (r->teardown == TEARDOWN_REFUSED) {
        json_uint(&w, "teardown_nmerr", r->teardown_nmerr);
    }
    BOOL destroyed = r->teardown == TEARDOWN_DESTROYED;
    json_bool(&w, "key_destroyed", destroyed);
    if (destroyed) {
        json_uint(&w, "peak_bytes", r->stats.PeakBytes);
        json_uint(&w, "total_allocations", expert_allocations(rep));
        json_uint(&w, "host_allocations", rep->host_block && r->stats.TotalAllocations);
        json_uint(&w, "failed_allocations", r->stats.FailedAllocations);
        json_uint(&w, "reclaimed_blocks", r->reclaimed.LiveBlocks);
        json_uint(&w, "reclaimed_bytes", r->reclaimed.LiveBytes);
        json_uint(&w, "overruns_detected", r->reclaimed.OverrunsDetected);
        json_uint(&w, "writes_after_free_detected", r->reclaimed.WritesAfterFreeDetected);
    } else {
        json_string(&w, "peak_bytes", NULL);
        json_string(&w, "total_allocations", NULL);
        json_string(&w, "host_allocations", NULL);
        json_string(&w, "failed_allocations", NULL);
        json_string(&w, "reclaimed_blocks", NULL);
        json_string(&w, "reclaimed_bytes", NULL);
        json_string(&w, "overruns_detected", NULL);
        json_string(&w, "writes_after_free_detected", NULL);
    }
    json_end_object(&w);
}

void report_session(enum out_stream out, const struct session_report *report, BOOL json)
{
    if (json)
        session_as_json(out, report);
    else
        session_in_words(out, report);
    out_flush(out);
}

/* ---- list ---------------------------------------------------------------------------- */

static void flags_in_words(DWORD flags, char *out, size_t capacity)
{
    static const struct { DWORD flag; const char *name; } known[] = {
        { EXPERT_ENUM_FLAG_CONFIGURABLE, "CONFIGURABLE" },
        { EXPERT_ENUM_FLAG_VIEWER_PRIVATE, "VIEWER_PRIVATE" },
        { EXPERT_ENUM_FLAG_NO_VIEWER, "NO_VIEWER" },
        { EXPERT_ENUM_FLAG_ADD_ME_TO_RMC_IN_SUMMARY, "ADD_ME_TO_RMC_IN_SUMMARY" },
        { EXPERT_ENUM_FLAG_ADD_ME_TO_RMC_IN_DETAIL, "ADD_ME_TO_RMC_IN_DETAIL" },
    };
    size_t used = (size_t)snprintf(out, capacity, "0x%08lX", (unsigned long)flags);
    const char *separator = " (";
    for (size_t i = 0; i < sizeof known / sizeof *known && used < capacity; i++)
        if (flags & known[i].flag) {
            used += (size_t)snprintf(out + used, capacity - used, "%s%s", separator,
                                     known[i].name);
            separator = " | ";
        }
    if (flags && used < capacity)
        snprintf(out + used, capacity - used, ")");
}

static void registration_in_words(enum out_stream out, const struct registration *reg)
{
    out_printf(out, "%s\n", reg->expert_path);
    if (reg->load_error) {
        out_printf(out, "  error        %s\n", reg->load_error);
        return;
    }
    if (reg->call.outcome != CALL_RETURNED || !reg->call.value) {
        char what[64];
        describe_failed_call(&reg->call, what, sizeof what);
        out_printf(out, "  error        Register %s\n", what);
        if (reg->unload_problem)
            out_printf(out, "  unload       %s\n", reg->unload_problem);
        return;
    }
    char text[EXPERTSTRINGLENGTH];
    char flags[160];
    expert_text_to_utf8(reg->about.szName, text, sizeof text);
    out_printf(out, "  name         %s\n", text);
    expert_text_to_utf8(reg->about.szVendor, text, sizeof text);
    out_printf(out, "  vendor       %s\n", text);
    expert_text_to_utf8(reg->about.szDescription, text, sizeof text);
    out_printf(out, "  description  %s\n", text);
    /* <netmon.h> gives Version no layout: what the expert wrote, as it wrote it. */
    out_printf(out, "  version      %lu (0x%08lX)\n", (unsigned long)reg->about.Version,
               (unsigned long)reg->about.Version);
    flags_in_words(reg->about.Flags, flags, sizeof flags);
    out_printf(out, "  flags        %s\n", flags);
    out_printf(out, "  entry points Register, %sRun\n", reg->exports_configure ? "Configure, " : "");
    if (reg->unload_problem)
        out_printf(out, "  unload       %s\n", reg->unload_problem);
}

static void registration_as_json(struct json_writer *w, const struct registration *reg)
{
    json_begin_object(w, NULL);
    json_string(w, "expert", reg->expert_path);
    if (reg->load_error) {
        json_string(w, "error", reg->load_error);
    } else if (reg->call.outcome != CALL_RETURNED || !reg->call.value) {
        char what[80] = "Register ";
        describe_failed_call(&reg->call, what + 9, sizeof what - 9);
        json_string(w, "error", what);
        if (reg->call.outcome == CALL_CRASHED)
            json_uint(w, "exception_code", reg->call.exception_code);
    } else {
        json_expert_string(w, "name", reg->about.szName);
        json_expert_string(w, "vendor", reg->about.szVendor);
        json_expert_string(w, "description", reg->about.szDescription);
        json_uint(w, "version", reg->about.Version);
        json_uint(w, "flags", reg->about.Flags);
        json_bool(w, "configurable", reg->exports_configure);
    }
    if (!reg->load_error) {
        json_string(w, "unload", dllmain_name(reg->unload, TRUE));
        if (reg->unload_problem)
            json_string(w, "unload_problem", reg->unload_problem);
    }
    json_end_object(w);
}

void report_registrations(enum out_stream out, const struct registration *list, int count, BOOL json)
{
    struct json_writer w;
    if (json) {
        json_init(&w, out);
        json_begin_object(&w, NULL);
        json_begin_array(&w, "experts");
    }
    for (int i = 0; i < count; i++) {
        if (json)
            registration_as_json(&w, &list[i]);
        else
            registration_in_words(out, &list[i]);
    }
    if (json) {
        json_end_array(&w);
        json_end_object(&w);
    }
    out_flush(out);
}
