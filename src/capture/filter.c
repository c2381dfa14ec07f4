/* filter.c - see filter.h. The stack of results is a 64-bit word: one bit per result. */
#include "filter.h"

#include <string.h>

static int is_operator(uint8_t op)
{
    return op == FOP_AND || op == FOP_OR || op == FOP_XOR || op == FOP_NOT;
}

enum filter_status filter_append(struct filter_program *p, const struct filter_object *o)
{
    if (p->count == FILTER_MAX_OBJECTS)
        return FILTER_FULL;
    uint32_t needs = o->op == FOP_NOT ? 1 : is_operator(o->op) ? 2 : 0;
    if (p->depth < needs)
        return FILTER_STACK_EMPTY;
    p->objects[p->count++] = *o;
    p->depth = p->depth - needs + 1;
    return FILTER_OK;
}

int filter_address_at(const struct dissection *d, enum filter_address_type t,
                      uint32_t *src, uint32_t *dst, uint32_t *length)
{
    *src = *dst = 0;
    if (t == FA_MAC) {
        *length = 6;
        if (d->has_mac_src)
            *src = d->mac_src + 1u;
        if (d->has_mac_dst)
            *dst = d->mac_dst + 1u;
    } else if ((t == FA_IP4 && d->ip_version == 4) || (t == FA_IP6 && d->ip_version == 6)) {
        *length = t == FA_IP4 ? 4 : 16;
        *src = d->ip_src + 1u;
        *dst = d->ip_dst + 1u;
    } else {
        *length = 0;
        return 0;
    }
    /* Offsets are returned plus one so that 0 means absent; the caller subtracts it. */
    return *src || *dst;
}

/* 1 when the address at offset+1 (0: none) of the frame equals a. */
static int same(const uint8_t *frame, uint32_t n, uint32_t at, uint32_t length,
                const struct filter_address *a)
{
    return at && at - 1 + length <= n && memcmp(frame + at - 1, a->bytes, length) == 0;
}

static int operand(const struct filter_object *o, const struct dissection *d,
                   const uint8_t *frame, uint32_t n)
{
    uint32_t src, dst, length;
    switch (o->op) {
    case FOP_PROTOCOL:
    case FOP_PROTOCOLS:
        return (d->present & o->protocols) != 0;
    case FOP_CONSTANT:
        return o->value != 0;
    case FOP_ADDRESS_ANY:
        return filter_address_at(d, o->a.type, &src, &dst, &length);
    default:
        break;
    }
    if (!filter_address_at(d, o->a.type, &src, &dst, &length))
        return 0;
    int from = same(frame, n, src, length, &o->a), to = same(frame, n, dst, length, &o->a);
    switch (o->op) {
    case FOP_ADDRESS: return from || to;
    case FOP_FROM:    return from;
    case FOP_TO:      return to;
    case FOP_FROMTO:
        if (o->b.type != o->a.type)
            return 0;
        return (from && same(frame, n, dst, length, &o->b)) ||
               (to && same(frame, n, src, length, &o->b));
    }
    return 0;
}

int filter_matches(const struct filter_program *p, const struct dissection *d,
                   const uint8_t *frame, uint32_t n)
{
    uint64_t stack = 0;
    uint32_t depth = 0;
    for (uint32_t i = 0; i < p->count && i < FILTER_MAX_OBJECTS; i++) {
        const struct filter_object *o = &p->objects[i];
        if (o->op == FOP_NOT) {
            if (depth < 1)
                return 0;
            stack ^= 1u;
        } else if (is_operator(o->op)) {
            if (depth < 2)
                return 0;
            uint64_t x = stack & 1u, y = (stack >> 1) & 1u, r;
            r = o->op == FOP_AND ? (x & y) : o->op == FOP_OR ? (x | y) : (x ^ y);
            stack = (stack >> 2) << 1 | r;
            depth--;
        } else {
            if (depth == 64)
                return 0;
            stack = stack << 1 | (uint64_t)operand(o, d, frame, n);
            depth++;
        }
    }
    if (depth == 0)
        return 1;
    uint64_t all = depth == 64 ? ~0ull : (1ull << depth) - 1;
    return (stack & all) == all;
}
