/* config_file.c - see config_file.h. */
#include "config_file.h"

#include "encoding.h"

#include <stdio.h>

/* The runner's own heap for file contents: the process heap's lock may have died with an
 * expert's thread before they are freed. */
static HANDLE file_heap(void)
{
    static HANDLE heap;
    if (!heap)
        heap = HeapCreate(0, 0, 0);
    return heap;
}

enum config_read config_file_read(const char *path, BYTE **data, DWORD *size, char *error,
                                  size_t error_size)
{
    *data = NULL;
    *size = 0;
    WCHAR wide[MAX_PATH];
    if (!utf8_to_wide(path, wide, MAX_PATH)) {
        snprintf(error, error_size, "the path %s is too long", path);
        return CONFIG_READ_FAILED;
    }
    HANDLE file = CreateFileW(wide, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        DWORD code = GetLastError();
        if (code == ERROR_FILE_NOT_FOUND)
            return CONFIG_READ_MISSING;
        snprintf(error, error_size, "cannot open %s (Windows error %lu)", path, code);
        return CONFIG_READ_FAILED;
    }
    LARGE_INTEGER length;
    enum config_read result = CONFIG_READ_FAILED;
    if (!GetFileSizeEx(file, &length)) {
        snprintf(error, error_size, "cannot size %s (Windows error %lu)", path, GetLastError());
    } else if (length.QuadPart > CONFIG_FILE_MAX_BYTES) {
        snprintf(error, error_size, "%s holds %lld bytes; a configuration holds at most %u",
                 path, (long long)length.QuadPart, CONFIG_FILE_MAX_BYTES);
    } else if (length.QuadPart == 0) {
        result = CONFIG_READ_OK;
    } else if (!file_heap() || !(*data = HeapAlloc(file_heap(), 0, (SIZE_T)length.QuadPart))) {
        snprintf(error, error_size, "no memory for the %lld bytes of %s",
                 (long long)length.QuadPart, path);
    } else {
        DWORD got = 0;
        if (ReadFile(file, *data, (DWORD)length.QuadPart, &got, NULL) &&
            got == (DWORD)length.QuadPart) {
            *size = got;
            result = CONFIG_READ_OK;
        } else {
            snprintf(error, error_size, "cannot read %s (Windows error %lu)", path,
                     GetLastError());
            config_file_free(*data);
            *data = NULL;
        }
    }
    CloseHandle(file);
    return result;
}

BYTE *config_file_buffer(DWORD size)
{
    return file_heap() ? HeapAlloc(file_heap(), 0, size ? size : 1) : NULL;
}

void config_file_free(BYTE *data)
{
    if (data)
        HeapFree(file_heap(), 0, data);
}

BOOL config_file_write(const char *path, const BYTE *data, DWORD size, char *error,
                       size_t error_size)
{
    static const WCHAR suffix[] = L".nmexpert-new";
    WCHAR target[MAX_PATH], temporary[MAX_PATH + sizeof suffix / sizeof *suffix];
    if (!utf8_to_wide(path, target, MAX_PATH)) {
        snprintf(error, error_size, "the path %s is too long", path);
        return FALSE;
    }
    lstrcpyW(temporary, target);
    lstrcatW(temporary, suffix);
    HANDLE file = CreateFileW(temporary, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        snprintf(error, error_size, "cannot create %s.nmexpert-new (Windows error %lu)", path,
                 GetLastError());
        return FALSE;
    }
    DWORD written = 0;
    BOOL ok = (size == 0 || WriteFile(file, data, size, &written, NULL)) && written == size &&
              FlushFileBuffers(file);
    DWORD code = GetLastError();
    CloseHandle(file);
    if (ok && MoveFileExW(temporary, target, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return TRUE;
    if (ok)
        code = GetLastError();
    DeleteFileW(temporary);
    snprintf(error, error_size, "cannot write %s (Windows error %lu)", path, code);
    return FALSE;
}
