/*
 * protocols.h - the protocol table the built-in recogniser answers for (dissect.h's enum
 * proto): one PROTOCOLINFO per protocol in read-only memory of the DLL; an HPROTOCOL is the
 * address of its PROTOCOLINFO, checked against the table before use.
 */
#ifndef NMAPI_PROTOCOLS_H
#define NMAPI_PROTOCOLS_H

#include "nmapi.h"
#include "dissect.h"

/* The protocol a handle names, or -1 for anything else. */
int protocol_of_handle(HPROTOCOL h);
/* The protocol of a name (case-insensitive, with Network Monitor's aliases), or -1; the
 * name is the caller's and is read with nothing held. */
int protocol_of_name(const char *name);
HPROTOCOL protocol_handle(enum proto p);

#endif
