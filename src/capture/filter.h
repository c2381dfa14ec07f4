/*
 * filter.h - display filters the runtime can evaluate without protocol parsers: a postfix
 * program of operand objects (a protocol exists; one of a set of protocols exists; an
 * address is the frame's source, destination, either, or the two ends of its conversation;
 * an address of a type is present; a constant) and operators (AND, OR, XOR over the top two
 * results, NOT over the top one). Programs are plain data, copied in and out whole, so an
 * evaluation never depends on memory an expert can reach.
 *
 * filter_append keeps the program well formed as it grows: an operator needs its operands
 * already on the stack. Evaluation: an empty program passes every frame; a program that
 * leaves several results passes a frame when all of them are true (they are ANDed).
 */
#ifndef NMAPI_FILTER_H
#define NMAPI_FILTER_H

#include <stdint.h>

#include "dissect.h"

#define FILTER_MAX_OBJECTS 64

enum filter_op {
    FOP_PROTOCOL,        /* protocols has one bit */
    FOP_PROTOCOLS,       /* any of the protocols' bits */
    FOP_ADDRESS,         /* a is the source or the destination */
    FOP_FROM,            /* a is the source */
    FOP_TO,              /* a is the destination */
    FOP_FROMTO,          /* a and b are the two ends, either way round */
    FOP_ADDRESS_ANY,     /* the frame has a source or destination of a's type */
    FOP_CONSTANT,        /* value */
    FOP_AND,
    FOP_OR,
    FOP_XOR,
    FOP_NOT,
};

enum filter_address_type { FA_MAC = 1, FA_IP4, FA_IP6 };

struct filter_address {
    uint8_t type;        /* enum filter_address_type */
    uint8_t bytes[16];   /* 6, 4 or 16 of them */
};

struct filter_object {
    uint8_t op;          /* enum filter_op */
    uint8_t value;       /* FOP_CONSTANT */
    uint32_t protocols;  /* 1u << enum proto, for FOP_PROTOCOL(S) */
    struct filter_address a, b;
};

struct filter_program {
    uint32_t count;
    uint32_t depth;      /* results the program leaves on the stack */
    struct filter_object objects[FILTER_MAX_OBJECTS];
};

enum filter_status {
    FILTER_OK,
    FILTER_STACK_EMPTY,  /* an operator without its operands */
    FILTER_FULL,         /* FILTER_MAX_OBJECTS already */
};

enum filter_status filter_append(struct filter_program *p, const struct filter_object *o);

/* 1 when the frame (its n stored bytes, recognised as d) passes the program, else 0. */
int filter_matches(const struct filter_program *p, const struct dissection *d,
                   const uint8_t *frame, uint32_t n);

/* Where address type t sits in the frame: the offsets of its source and destination (0 when
 * the frame has none) and its length. 0 when the frame has neither. */
int filter_address_at(const struct dissection *d, enum filter_address_type t,
                      uint32_t *src, uint32_t *dst, uint32_t *length);

#endif
