/*
 * owner.h - what a registry key belongs to. Every key of the registry carries a session
 * pointer; the object it points to starts with its kind, so that a capture's handle given
 * where an expert's key is expected (or the reverse) is refused, not misread.
 */
#ifndef NMAPI_OWNER_H
#define NMAPI_OWNER_H

#include <stdint.h>

enum owner_kind {
    OWNER_EXPERT = 0x4B505845u,    /* "EXPK": an expert's key (session.h) */
    OWNER_CAPTURE = 0x50414345u,   /* "ECAP": an open capture (captures.h) */
};

static inline int owner_is(const void *session, enum owner_kind kind)
{
    return session && *(const uint32_t *)session == (uint32_t)kind;
}

#endif
