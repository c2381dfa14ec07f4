/*
 * capture_walk.c - nmapi_capture_bench: how fast the capture runtime serves a capture to an
 * expert. Opens FILE (ExpertHostOpenCapture: the scan and the index), then walks it as an
 * expert does - ExpertGetFrame(GET_FRAME_NEXT_FORWARD) from (DWORD)-1 to the end, reading
 * each frame's first byte - once without a filter and once through a TCP display filter.
 * Prints the open time, frames per second of each walk, index bytes per frame and the
 * process's peak working set; scripts/bench.sh prints tshark's time on the same file beside
 * it.
 */
#include <windows.h>
#include <psapi.h>
#include <stdio.h>
#include <string.h>

#include "nmapi.h"

static double now(void)
{
    LARGE_INTEGER t, f;
    QueryPerformanceCounter(&t);
    QueryPerformanceFrequency(&f);
    return (double)t.QuadPart / (double)f.QuadPart;
}

/* Walks the capture through filter (NULL: none); the frames served, or 0 on an error. */
static DWORD walk(HEXPERTKEY key, HFILTER filter, unsigned *checksum)
{
    EXPERTFRAMEDESCRIPTOR d;
    DWORD at = (DWORD)-1, frames = 0, error;
    while ((error = ExpertGetFrame(key, GET_FRAME_NEXT_FORWARD, 0, at, filter, &d)) ==
           NMERR_SUCCESS) {
        *checksum += d.pFrame->nBytesAvail ? d.pFrame->MacFrame[0] : 0;
        at = d.FrameNumber;
        frames++;
    }
    if (error != NMERR_NO_MORE_FRAMES) {
        fprintf(stderr, "nmapi_capture_bench: ExpertGetFrame stopped with NMERR %lu\n",
                (unsigned long)error);
        return 0;
    }
    return frames;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: nmapi_capture_bench FILE\n");
        return 64;
    }
    double t0 = now();
    HCAPTURE h;
    DWORD error = ExpertHostOpenCapture(argv[1], &h);
    if (error != NMERR_SUCCESS) {
        fprintf(stderr, "nmapi_capture_bench: %s: NMERR %lu\n", argv[1], (unsigned long)error);
        return 66;
    }
    double opened = now() - t0;
    EXPERTHOSTCAPTUREINFO info = { .cbSize = sizeof info };
    ExpertHostQueryCapture(h, &info);
    EXPERTSTARTUPINFO startup;
    memset(&startup, 0, sizeof startup);
    startup.hCapture = h;
    EXPERTHOSTKEYINFO ki;
    memset(&ki, 0, sizeof ki);
    ki.cbSize = sizeof ki;
    ki.pStartupInfo = &startup;
    HEXPERTKEY key;
    if (ExpertHostCreateKey(&ki, &key) != NMERR_SUCCESS)
        return 70;
    unsigned checksum = 0;
    t0 = now();
    DWORD all = walk(key, NULL, &checksum);
    double walked = now() - t0;
    HFILTER tcp = CreateFilter();
    FILTEROBJECT2 o;
    memset(&o, 0, sizeof o);
    o.Action = FILTERACTION_PROTOCOLEXIST;
    o.hProtocol = GetProtocolFromName("TCP");
    FilterAddObject(tcp, &o);
    t0 = now();
    DWORD matched = walk(key, tcp, &checksum);
    double filtered = now() - t0;
    PROCESS_MEMORY_COUNTERS pmc = { .cb = sizeof pmc };
    GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc);
    printf("file                %s (%.1f MB, %s)\n", argv[1], info.FileSize / 1e6,
           info.Format == EXPERTHOST_CAPTURE_PCAP ? "pcap"
           : info.Format == EXPERTHOST_CAPTURE_PCAPNG ? "pcapng" : "netmon");
    printf("open (scan, index)  %.3f s for %lu frames: %.2f M frames/s, %.1f bytes of index "
           "per frame\n", opened, (unsigned long)info.TotalFrames,
           info.TotalFrames / opened / 1e6, (double)info.IndexBytes / (info.TotalFrames ? info.TotalFrames : 1));
    printf("walk, no filter     %.3f s for %lu frames: %.2f M frames/s\n", walked,
           (unsigned long)all, all / walked / 1e6);
    printf("walk, TCP filter    %.3f s for %lu frames: %.2f M frames/s of the capture\n",
           filtered, (unsigned long)matched, info.TotalFrames / filtered / 1e6);
    printf("peak working set    %.1f MB (checksum %u)\n", pmc.PeakWorkingSetSize / 1e6, checksum);
    DestroyFilter(tcp);
    ExpertHostDestroyKey(key, NULL);
    ExpertHostCloseCapture(h, NULL);
    return all == info.TotalFrames ? 0 : 1;
}
