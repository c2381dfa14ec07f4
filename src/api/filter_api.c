/*
 * filter_api.c - CreateFilter, DestroyFilter, FilterAddObject: the pool of filters.h and the
 * translation of <netmon.h>'s FILTEROBJECT2 into filter.h's objects. An object is read from
 * the expert's memory, whole, before anything of the DLL is held.
 */
#include "filters.h"

#include <string.h>

#include "gate.h"
#include "native.h"
#include "platform.h"
#include "protocols.h"

struct filter_slot {
    int32_t volatile gate;
    int32_t live;
    struct filter_program program;
};

static FILTERDESC2 *descs;              /* the handles, FILTERS_MAX of them */
static struct filter_slot *slots;
static int32_t volatile pool_gate;      /* live flags when creating and destroying */
static LONG volatile live_count;
static INIT_ONCE pool_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK make_pool(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once; (void)parameter; (void)context;
    descs = plat_zalloc(FILTERS_MAX * sizeof *descs);
    slots = plat_zalloc(FILTERS_MAX * sizeof *slots);
    if (!descs || !slots) {
        plat_free(descs);
        plat_free(slots);
        descs = NULL;
        slots = NULL;
    }
    return TRUE;
}

static int pool_ready(void)
{
    InitOnceExecuteOnce(&pool_once, make_pool, NULL, NULL);
    return descs != NULL;
}

/* The pool slot a handle names, or -1. */
static int slot_of(HFILTER h)
{
    if (!h || !pool_ready())
        return -1;
    uintptr_t v = (uintptr_t)h, first = (uintptr_t)descs;
    if (v < first || v >= first + FILTERS_MAX * sizeof *descs || (v - first) % sizeof *descs)
        return -1;
    return (int)((v - first) / sizeof *descs);
}

HFILTER WINAPI NATIVE(CreateFilter)(VOID)
{
    if (!pool_ready())
        return NULL;
    int found = -1;
    gate_take(&pool_gate);
    for (int i = 0; i < FILTERS_MAX && found < 0; i++)
        if (!slots[i].live) {
            gate_take(&slots[i].gate);
            memset(&slots[i].program, 0, sizeof slots[i].program);
            slots[i].live = 1;
            gate_leave(&slots[i].gate);
            found = i;
        }
    gate_leave(&pool_gate);
    if (found < 0)
        return NULL;
    InterlockedIncrement(&live_count);
    memset(&descs[found], 0, sizeof descs[found]);
    return (HFILTER)&descs[found];
}
NATIVE_AGREES(CreateFilter);

DWORD WINAPI NATIVE(DestroyFilter)(HFILTER hFilter)
{
    int i = slot_of(hFilter);
    if (i < 0)
        return NMERR_INVALID_HFILTER;
    gate_take(&pool_gate);
    gate_take(&slots[i].gate);
    int was = slots[i].live;
    slots[i].live = 0;
    slots[i].program.count = 0;
    gate_leave(&slots[i].gate);
    gate_leave(&pool_gate);
    if (!was)
        return NMERR_INVALID_HFILTER;
    InterlockedDecrement(&live_count);
    return NMERR_SUCCESS;
}
NATIVE_AGREES(DestroyFilter);

/* An ADDRESS2 of the expert's, as a filter address. NMERR_NOT_SUPPORTED for the types the
 * recogniser does not see (IPX, Vines, ...). */
static DWORD read_address(const ADDRESS2 *a, struct filter_address *out)
{
    DWORD type = a->Type;
    memset(out, 0, sizeof *out);
    if (type == ADDRESS_TYPE_ETHERNET || type == ADDRESS_TYPE_TOKENRING ||
        type == ADDRESS_TYPE_FDDI) {
        out->type = FA_MAC;
        memcpy(out->bytes, a->MACAddress, 6);
    } else if (type == ADDRESS_TYPE_IP) {
        out->type = FA_IP4;
        memcpy(out->bytes, a->IPAddress, 4);
    } else if (type == ADDRESS_TYPE_IP6) {
        out->type = FA_IP6;
        memcpy(out->bytes, a->IP6Address, 16);
    } else {
        return NMERR_NOT_SUPPORTED;
    }
    return NMERR_SUCCESS;
}

/* The object the expert gave, as the runtime's. */
static DWORD translate(const FILTEROBJECT2 *given, struct filter_object *o)
{
    FILTEROBJECT2 f = *given;
    memset(o, 0, sizeof *o);
    switch (f.Action) {
    case FILTERACTION_PROTOCOLEXIST: {
        int p = protocol_of_handle(f.hProtocol);
        if (p < 0)
            return NMERR_INVALID_HPROTOCOL;
        o->op = FOP_PROTOCOL;
        o->protocols = 1u << p;
        return NMERR_SUCCESS;
    }
    case FILTERACTION_PROTOCOLSEXIST: {
        if (!f.lpProtocolTable)
            return NMERR_INVALID_PARAMETER;
        DWORD n = f.lpProtocolTable->nProtocols;
        o->op = FOP_PROTOCOLS;
        if (n == (DWORD)PROTOCOL_NUM_ANY) {
            o->protocols = (1u << PROTO_COUNT) - 1;
            return NMERR_SUCCESS;
        }
        if (n > 4096)
            return NMERR_INVALID_PARAMETER;
        for (DWORD i = 0; i < n; i++) {
            int p = protocol_of_handle(f.lpProtocolTable->hProtocol[i]);
            if (p < 0)
                return NMERR_INVALID_HPROTOCOL;
            o->protocols |= 1u << p;
        }
        return NMERR_SUCCESS;
    }
    case FILTERACTION_ADDRESS:
    case FILTERACTION_ADDRESSANY:
    case FILTERACTION_FROM:
    case FILTERACTION_TO:
    case FILTERACTION_FROMTO: {
        if (!f.lpAddress)
            return NMERR_INVALID_PARAMETER;
        DWORD e = read_address(f.lpAddress, &o->a);
        if (e == NMERR_SUCCESS && f.Action == FILTERACTION_FROMTO)
            e = read_address(f.lpAddress + 1, &o->b);
        if (e != NMERR_SUCCESS)
            return e;
        o->op = f.Action == FILTERACTION_ADDRESS ? FOP_ADDRESS
              : f.Action == FILTERACTION_ADDRESSANY ? FOP_ADDRESS_ANY
              : f.Action == FILTERACTION_FROM ? FOP_FROM
              : f.Action == FILTERACTION_TO ? FOP_TO : FOP_FROMTO;
        return NMERR_SUCCESS;
    }
    case FILTERACTION_AND: o->op = FOP_AND; return NMERR_SUCCESS;
    case FILTERACTION_OR:  o->op = FOP_OR;  return NMERR_SUCCESS;
    case FILTERACTION_XOR: o->op = FOP_XOR; return NMERR_SUCCESS;
    case FILTERACTION_NOT: o->op = FOP_NOT; return NMERR_SUCCESS;
    case FILTERACTION_BOOL:
        o->op = FOP_CONSTANT;
        o->value = f.Value != 0;
        return NMERR_SUCCESS;
    }
    /* Property objects, values and comparisons need protocol parsers. */
    if ((f.Action >= FILTERACTION_PROPERTY && f.Action <= FILTERACTION_ADDR_IP6) ||
        f.Action == FILTERACTION_EXPRESSION || f.Action == FILTERACTION_NOEVAL)
        return NMERR_NOT_SUPPORTED;
    return NMERR_INVALID_PARAMETER;
}

DWORD WINAPI NATIVE(FilterAddObject)(HFILTER hFilter, LPFILTEROBJECT2 lpFilterObject)
{
    int i = slot_of(hFilter);
    if (i < 0)
        return NMERR_INVALID_HFILTER;
    if (!lpFilterObject)
        return NMERR_INVALID_PARAMETER;
    struct filter_object o;
    DWORD error = translate(lpFilterObject, &o);    /* the expert's memory: nothing held */
    if (error != NMERR_SUCCESS)
        return error;
    gate_take(&slots[i].gate);
    enum filter_status st = FILTER_OK;
    if (!slots[i].live)
        error = NMERR_INVALID_HFILTER;
    else if ((st = filter_append(&slots[i].program, &o)) != FILTER_OK)
        error = st == FILTER_FULL ? NMERR_STACK_OVERFLOW : NMERR_STACK_EMPTY;
    WORD entries = (WORD)slots[i].program.count;
    gate_leave(&slots[i].gate);
    if (error == NMERR_SUCCESS)
        descs[i].NumEntries = entries;
    return error;
}
NATIVE_AGREES(FilterAddObject);

DWORD filters_copy(HFILTER hFilter, struct filter_program *out)
{
    int i = slot_of(hFilter);
    if (i < 0)
        return NMERR_INVALID_HFILTER;
    gate_take(&slots[i].gate);
    int live = slots[i].live;
    if (live)
        *out = slots[i].program;
    gate_leave(&slots[i].gate);
    return live ? NMERR_SUCCESS : NMERR_INVALID_HFILTER;
}

LONG filters_live_count(void)
{
    return InterlockedCompareExchange(&live_count, 0, 0);
}
