/*
 * cmd_capture.c - `nmexpert capture FILE`: what the runtime sees in a capture file - its
 * format, link types, frames, time span, damage and the protocols its recogniser finds in
 * how many frames - read through nmapi.dll's own functions (ExpertHostOpenCaptureW,
 * ExpertHostQueryCapture, GetFrame, GetFrameTimeStamp, GetProtocolStartOffset), as an
 * expert would see it.
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "json_writer.h"

static const char *const protocols[] = { "ETHERNET", "LLC", "SNAP", "VLAN", "ARP", "IP", "IP6",
                                         "ICMP", "ICMP6", "TCP", "UDP", "DNS", "DHCP", "HTTP" };
#define PROTOCOLS (sizeof protocols / sizeof *protocols)

const char *capture_error_text(DWORD nmerr)
{
    switch (nmerr) {
    case NMERR_FILE_NOT_FOUND:      return "no such file";
    case NMERR_ACCESS_DENIED:       return "access denied";
    case NMERR_FILE_READ_ERROR:     return "the file cannot be read";
    case NMERR_INVALID_FILE_FORMAT: return "not a Network Monitor, pcap or pcapng capture, or "
                                           "its file header is damaged";
    case NMERR_OUT_OF_MEMORY:       return "out of memory";
    case NMERR_NO_HANDLES:          return "too many captures open";
    case NMERR_NOT_SUPPORTED:       return "forwarding to an original Nmapi.dll is on";
    }
    return "the capture cannot be opened";
}

static const char *format_name(DWORD f)
{
    static const char *const names[] = { "unknown", "netmon1", "netmon2", "pcap", "pcapng" };
    return f < sizeof names / sizeof *names ? names[f] : "unknown";
}

static const char *damage_text(DWORD d)
{
    static const char *const texts[] = {
        "none", "the file ends inside a record", "a record with impossible lengths",
        "a packet of an interface the file does not describe",
        "more frames or interfaces than the index holds", "a read error" };
    return d < sizeof texts / sizeof *texts ? texts[d] : "unknown";
}

/* A FILETIME plus microseconds as "YYYY-MM-DD hh:mm:ss.uuuuuu". */
static void format_time(LONGLONG filetime, LONGLONG us, char *out, size_t n)
{
    LONGLONG t = filetime + us * 10;
    FILETIME ft = { (DWORD)t, (DWORD)((ULONGLONG)t >> 32) };
    SYSTEMTIME st;
    if (t < 0 || !FileTimeToSystemTime(&ft, &st)) {
        snprintf(out, n, "(out of range)");
        return;
    }
    snprintf(out, n, "%04u-%02u-%02u %02u:%02u:%02u.%06lu", st.wYear, st.wMonth, st.wDay,
             st.wHour, st.wMinute, st.wSecond, (unsigned long)((t / 10) % 1000000));
}

int command_capture(const struct nmexpert_options *o, const struct nmapi_runtime *rt)
{
    typedef HFRAME (WINAPI *get_frame_fn)(HCAPTURE, DWORD);
    typedef __int64 (WINAPI *time_fn)(HFRAME);
    typedef DWORD (WINAPI *offset_fn)(HFRAME, LPSTR);
    get_frame_fn get_frame = (get_frame_fn)(void *)GetProcAddress(rt->module, "GetFrame");
    time_fn frame_time = (time_fn)(void *)GetProcAddress(rt->module, "GetFrameTimeStamp");
    offset_fn offset = (offset_fn)(void *)GetProcAddress(rt->module, "GetProtocolStartOffset");
    const char *file = o->experts[0];
    WCHAR path[NMEXPERT_PATH_BYTES];
    if (!get_frame || !frame_time || !offset) {
        out_printf(OUT_STDERR, "nmexpert: %s lacks the frame functions\n", rt->path);
        return EXIT_CANNOT_LOAD;
    }
    if (!utf8_to_wide(file, path, sizeof path / sizeof *path)) {
        out_printf(OUT_STDERR, "nmexpert: %s: not a usable path\n", file);
        return EXIT_USAGE;
    }
    HCAPTURE h = NULL;
    DWORD error = rt->open_capture(path, &h);
    if (error != NMERR_SUCCESS) {
        out_printf(OUT_STDERR, "nmexpert: %s: %s (NMERR %lu)\n", file, capture_error_text(error),
                   (unsigned long)error);
        return EXIT_CAPTURE;
    }
    EXPERTHOSTCAPTUREINFO info = { .cbSize = sizeof info };
    rt->query_capture(h, &info);
    unsigned long long seen[PROTOCOLS] = { 0 };
    LONGLONG first = 0, last = 0;
    for (DWORD n = 0; n < info.TotalFrames; n++) {
        HFRAME f = get_frame(h, n);
        __int64 t = frame_time(f);
        if (n == 0 || t < first)
            first = t;
        if (n == 0 || t > last)
            last = t;
        for (size_t p = 0; p < PROTOCOLS; p++)
            seen[p] += offset(f, (LPSTR)protocols[p]) != (DWORD)-1;
    }
    char from[48], to[48];
    format_time(info.StartTime, first, from, sizeof from);
    format_time(info.StartTime, last, to, sizeof to);
    if (o->json) {
        struct json_writer w;
        json_init(&w, OUT_STDOUT);
        json_begin_object(&w, NULL);
        json_string(&w, "file", file);
        json_string(&w, "format", format_name(info.Format));
        json_uint(&w, "mac_type", info.MacType);
        json_uint(&w, "link_type", info.LinkType);
        json_uint(&w, "interfaces", info.Interfaces);
        json_uint(&w, "frames", info.TotalFrames);
        json_uint(&w, "index_bytes", info.IndexBytes);
        json_uint(&w, "file_bytes", info.FileSize);
        json_string(&w, "first_frame_utc", info.TotalFrames ? from : NULL);
        json_string(&w, "last_frame_utc", info.TotalFrames ? to : NULL);
        json_int(&w, "span_us", last - first);
        json_string(&w, "damage", info.Damage ? damage_text(info.Damage) : NULL);
        if (info.Damage)
            json_uint(&w, "damage_offset", info.DamageOffset);
        json_begin_object(&w, "protocols");
        for (size_t p = 0; p < PROTOCOLS; p++)
            json_uint(&w, protocols[p], seen[p]);
        json_end_object(&w);
        json_end_object(&w);
    } else {
        out_printf(OUT_STDOUT, "capture     %s\n", file);
        out_printf(OUT_STDOUT, "format      %s, %lu interface%s, MAC type 0x%lx (link type %lu)\n",
                   format_name(info.Format), (unsigned long)info.Interfaces,
                   info.Interfaces == 1 ? "" : "s", (unsigned long)info.MacType,
                   (unsigned long)info.LinkType);
        out_printf(OUT_STDOUT, "frames      %lu (index %llu bytes, file %llu bytes)\n",
                   (unsigned long)info.TotalFrames, (unsigned long long)info.IndexBytes,
                   (unsigned long long)info.FileSize);
        if (info.TotalFrames)
            out_printf(OUT_STDOUT, "time        %s to %s UTC (%.6f s)\n", from, to,
                       (double)(last - first) / 1e6);
        if (info.Damage)
            out_printf(OUT_STDOUT, "damage      %s at offset %llu: the frames before it are "
                       "served\n", damage_text(info.Damage),
                       (unsigned long long)info.DamageOffset);
        out_puts(OUT_STDOUT, "protocols  ");
        for (size_t p = 0; p < PROTOCOLS; p++)
            if (seen[p])
                out_printf(OUT_STDOUT, " %s %llu", protocols[p], seen[p]);
        out_putc(OUT_STDOUT, '\n');
    }
    rt->close_capture(h, NULL);
    return 0;
}
