/*
 * config_file.h - an expert's stored configuration on disk: the raw RawConfigData bytes,
 * nothing else (the EXPERTCONFIG header is rebuilt around them when they are handed back).
 */
#ifndef NMEXPERT_CONFIG_FILE_H
#define NMEXPERT_CONFIG_FILE_H

#include <windows.h>

/* Largest configuration accepted: RawConfigLength is a DWORD that counts its own 4 bytes. */
#define CONFIG_FILE_MAX_BYTES (64u * 1024u * 1024u)

enum config_read { CONFIG_READ_OK, CONFIG_READ_MISSING, CONFIG_READ_FAILED };

/* Reads the whole file into *data (free it with config_file_free; NULL for an empty file).
 * CONFIG_READ_MISSING when the file does not exist; CONFIG_READ_FAILED (error written) when
 * it cannot be read or is larger than CONFIG_FILE_MAX_BYTES. */
enum config_read config_file_read(const char *path, BYTE **data, DWORD *size, char *error,
                                  size_t error_size);
void config_file_free(BYTE *data);

/* size bytes of the runner's own (free with config_file_free), for a configuration copied out
 * of an expert's block before it is written; NULL when there is no memory. */
BYTE *config_file_buffer(DWORD size);

/* Replaces the file with size bytes, atomically (a temporary file beside it, then a rename):
 * a failure leaves the old file as it was. Returns FALSE with the error written. */
BOOL config_file_write(const char *path, const BYTE *data, DWORD size, char *error,
                       size_t error_size);

#endif
