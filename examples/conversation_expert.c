/*
 * conversation_expert.c - a sample expert shaped like the Network Monitor SDK's template
 * (BLRPLATE), written against <netmon.h> only: its Run builds a display filter for TCP
 * (FILTERACTION_PROTOCOLEXIST on GetProtocolFromName("TCP")), walks the capture with
 * ExpertGetFrame(GET_FRAME_NEXT_FORWARD, FLAGS_DEFER_TO_UI_FILTER | FLAGS_ATTACH_PROPERTIES)
 * from (DWORD)-1 through that filter, counts the TCP frames of each conversation (the two
 * ends' IP address and port, either way round), indicating progress, and submits one event
 * per conversation - ends, ports and frames as columns - built in its own memory. The table
 * of conversations lives in ExpertAllocMemory memory and grows with ExpertReallocMemory; all
 * of it is freed before Run returns.
 */
#include <windows.h>
#include <netmon.h>
#include <stdio.h>
#include <string.h>

#include "sample_register.h"

#define STATUS_EVERY 256          /* frames */

struct conversation {
    ADDRESS2 a, b;                /* the two ends, a <= b (CompareAddresses, then port) */
    WORD port_a, port_b;
    DWORD frames;
};

struct table {
    struct conversation *rows;
    DWORD count, capacity;
};

BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    return sample_register(pInfo, "Conversations",
                           "Counts the TCP frames of each conversation and reports one event "
                           "per conversation", 0);
}

BOOL WINAPI Configure(HEXPERTKEY hExpertKey, PEXPERTCONFIG *ppConfig,
                      PEXPERTSTARTUPINFO pStartupInfo, DWORD StartupFlags, HWND hWnd)
{
    (void)hExpertKey; (void)ppConfig; (void)pStartupInfo; (void)StartupFlags; (void)hWnd;
    return TRUE;                  /* nothing to configure */
}

/* The frame's TCP ends: its IP addresses (v4 or v6) and ports. FALSE when it has none. */
static BOOL ends_of(const EXPERTFRAMEDESCRIPTOR *d, ADDRESS2 *src, ADDRESS2 *dst,
                    WORD *sport, WORD *dport)
{
    memset(src, 0, sizeof *src);
    memset(dst, 0, sizeof *dst);
    if (GetFrameSourceAddress(d->hFrame, src, ADDRESS_TYPE_FIND_HIGHEST, 0) != NMERR_SUCCESS ||
        GetFrameDestAddress(d->hFrame, dst, ADDRESS_TYPE_FIND_HIGHEST, 0) != NMERR_SUCCESS ||
        (src->Type != ADDRESS_TYPE_IP && src->Type != ADDRESS_TYPE_IP6))
        return FALSE;
    DWORD tcp = GetProtocolStartOffset(d->hFrame, "TCP");
    if (tcp == (DWORD)-1 || tcp + 4 > d->pFrame->nBytesAvail)
        return FALSE;
    const BYTE *p = d->pFrame->MacFrame + tcp;
    *sport = (WORD)(p[0] << 8 | p[1]);
    *dport = (WORD)(p[2] << 8 | p[3]);
    return TRUE;
}

static int order(const ADDRESS2 *x, WORD px, const ADDRESS2 *y, WORD py)
{
    int c = CompareAddresses((LPADDRESS2)x, (LPADDRESS2)y);
    return c ? c : (int)px - (int)py;
}

/* Counts a frame between two ends; FALSE (with *error) when the table cannot grow. */
static BOOL count(HEXPERTKEY key, struct table *t, ADDRESS2 *src, WORD sport, ADDRESS2 *dst,
                  WORD dport, DWORD *error)
{
    struct conversation c;
    memset(&c, 0, sizeof c);
    BOOL swap = order(src, sport, dst, dport) > 0;
    c.a = swap ? *dst : *src;
    c.port_a = swap ? dport : sport;
    c.b = swap ? *src : *dst;
    c.port_b = swap ? sport : dport;
    for (DWORD i = 0; i < t->count; i++) {
        struct conversation *r = &t->rows[i];
        if (!order(&r->a, r->port_a, &c.a, c.port_a) && !order(&r->b, r->port_b, &c.b, c.port_b)) {
            r->frames++;
            return TRUE;
        }
    }
    if (t->count == t->capacity) {
        DWORD grown = t->capacity ? t->capacity * 2 : 16;
        void *rows = ExpertReallocMemory(key, t->rows, grown * sizeof *t->rows, error);
        if (!rows)
            return FALSE;
        t->rows = rows;
        t->capacity = grown;
    }
    c.frames = 1;
    t->rows[t->count++] = c;
    return TRUE;
}

#define COLUMNS 5

/* One event for one conversation, built in the expert's own memory, as documented. */
static DWORD submit(HEXPERTKEY key, const struct conversation *c)
{
    DWORD error;
    PNMEVENTDATA e = ExpertAllocMemory(key, sizeof *e + COLUMNS * sizeof(NMCOLUMNINFO), &error);
    char *text = e ? ExpertAllocMemory(key, 3 * 64 + 96, &error) : NULL;
    if (!text) {
        if (e)
            ExpertFreeMemory(key, e);
        return error;
    }
    char *a = text + 96, *b = text + 160;
    if (!AddressToString(a, (BYTE *)&c->a) || !AddressToString(b, (BYTE *)&c->b))
        strcpy(a, "?"), strcpy(b, "?");
    snprintf(text, 96, "%u TCP frames", (unsigned)c->frames);
    e->Version = 0;
    e->EventIdent = 1;
    e->Severity = 0;
    e->NumColumns = COLUMNS;
    e->szSourceName = "Conversations";
    e->szEventName = "TCP conversation";
    e->szDescription = text;
    GetSystemTime(&e->SysTime);
    static const char *const names[COLUMNS] = { "Address A", "Port A", "Address B", "Port B",
                                                "Frames" };
    for (int i = 0; i < COLUMNS; i++)
        e->Column[i].szColumnName = (LPSTR)names[i];
    e->Column[0].VariantData.Type = NMCOLUMNTYPE_STRING;
    e->Column[0].VariantData.Value.pStringVal = a;
    e->Column[1].VariantData.Type = NMCOLUMNTYPE_UINT16;
    e->Column[1].VariantData.Value.Uint16Val = c->port_a;
    e->Column[2].VariantData.Type = NMCOLUMNTYPE_STRING;
    e->Column[2].VariantData.Value.pStringVal = b;
    e->Column[3].VariantData.Type = NMCOLUMNTYPE_UINT16;
    e->Column[3].VariantData.Value.Uint16Val = c->port_b;
    e->Column[4].VariantData.Type = NMCOLUMNTYPE_UINT32;
    e->Column[4].VariantData.Value.Uint32Val = c->frames;
    error = ExpertSubmitEvent(key, e);
    ExpertFreeMemory(key, text);
    ExpertFreeMemory(key, e);
    return error;
}

static void problem(HEXPERTKEY key, const char *text)
{
    ExpertIndicateStatus(key, EXPERTSTATUS_PROBLEM, 0, text, 0);
}

BOOL WINAPI Run(HEXPERTKEY hExpertKey, PEXPERTCONFIG pConfig, PEXPERTSTARTUPINFO pStartupInfo,
                DWORD StartupFlags, HWND hWnd)
{
    (void)pConfig; (void)StartupFlags; (void)hWnd;
    ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_STARTING, 0, pStartupInfo->szCaptureFile, 0);
    HFILTER filter = CreateFilter();
    if (!filter) {
        problem(hExpertKey, "Can't create filter");
        return FALSE;
    }
    FILTEROBJECT2 object;
    memset(&object, 0, sizeof object);
    object.Action = FILTERACTION_PROTOCOLEXIST;
    object.hProtocol = GetProtocolFromName("TCP");
    if (FilterAddObject(filter, &object) != NMERR_SUCCESS) {
        problem(hExpertKey, "Can't add the TCP object to the filter");
        DestroyFilter(filter);
        return FALSE;
    }
    DWORD total = GetCaptureTotalFrames(pStartupInfo->hCapture);
    if (!total) {
        problem(hExpertKey, "No frames: the host gave no capture, or an empty one");
        DestroyFilter(filter);
        return FALSE;
    }

    struct table t = { NULL, 0, 0 };
    EXPERTFRAMEDESCRIPTOR d;
    DWORD current = (DWORD)-1, walked = 0, error;
    BOOL ok = TRUE;
    while ((error = ExpertGetFrame(hExpertKey, GET_FRAME_NEXT_FORWARD,
                                   FLAGS_DEFER_TO_UI_FILTER | FLAGS_ATTACH_PROPERTIES, current,
                                   filter, &d)) == NMERR_SUCCESS) {
        current = d.FrameNumber;
        ADDRESS2 src, dst;
        WORD sport, dport;
        if (ends_of(&d, &src, &dst, &sport, &dport) &&
            !count(hExpertKey, &t, &src, sport, &dst, dport, &error))
            break;
        if (++walked % STATUS_EVERY == 0 &&
            ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_RUNNING, 0, "counting conversations",
                                 (LONG)(current * 100ull / total)) == NMERR_EXPERT_TERMINATE) {
            error = NMERR_EXPERT_TERMINATE;
            break;
        }
    }
    DestroyFilter(filter);
    if (error == NMERR_EXPERT_TERMINATE) {
        ExpertFreeMemory(hExpertKey, t.rows);
        return FALSE;                                   /* told to stop: clean up and go */
    }
    if (error != NMERR_NO_MORE_FRAMES) {
        char text[96];
        snprintf(text, sizeof text, "stopped at frame %lu: NMERR %lu", (unsigned long)current,
                 (unsigned long)error);
        problem(hExpertKey, text);
        ok = FALSE;
    }
    for (DWORD i = 0; ok && i < t.count; i++)
        if (submit(hExpertKey, &t.rows[i]) == NMERR_EXPERT_TERMINATE)
            ok = FALSE;
    if (ok) {
        char text[128];
        snprintf(text, sizeof text, "%lu TCP frames in %lu conversations, of %lu frames",
                 (unsigned long)walked, (unsigned long)t.count, (unsigned long)total);
        ExpertIndicateStatus(hExpertKey, EXPERTSTATUS_DONE, 0, text, 99);
    }
    ExpertFreeMemory(hExpertKey, t.rows);
    return ok;
}
