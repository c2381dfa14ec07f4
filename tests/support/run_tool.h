/*
 * run_tool.h - runs a program that sits beside the test executable, the way a user would,
 * and captures its exit status, stdout and stderr.
 */
#ifndef RUN_TOOL_H
#define RUN_TOOL_H

#include <stdio.h>
#include <string.h>
#include <windows.h>

struct tool_run {
    DWORD exit_code;
    char out[32768];
    char err[8192];
};

/* The folder of this executable, with a trailing backslash. */
static inline void tool_folder(char *out, size_t size)
{
    GetModuleFileNameA(NULL, out, (DWORD)size);
    char *slash = strrchr(out, '\\');
    if (slash)
        slash[1] = '\0';
}

/* Reads what is left of handle into buf (NUL-terminated, truncated to size - 1). */
static inline void tool_read_all(HANDLE handle, char *buf, size_t size)
{
    size_t used = 0;
    DWORD got;
    char chunk[4096];
    while (ReadFile(handle, chunk, sizeof chunk, &got, NULL) && got) {
        size_t take = got < size - 1 - used ? got : size - 1 - used;
        memcpy(buf + used, chunk, take);
        used += take;
    }
    buf[used] = '\0';
}

/* Runs "program args" from this executable's folder; returns FALSE if it could not start.
 * args are UTF-8: the command line is handed over as wide characters, so any file name in it
 * reaches the program as it was written. */
static inline BOOL run_tool(const char *program, const char *args, struct tool_run *r)
{
    char folder[MAX_PATH], command[4096], err_path[MAX_PATH];
    WCHAR wide_command[4096];
    tool_folder(folder, sizeof folder);
    snprintf(command, sizeof command, "\"%s%s\" %s", folder, program, args);
    if (!MultiByteToWideChar(CP_UTF8, 0, command, -1, wide_command, 4096))
        return FALSE;
    char temp[MAX_PATH];
    GetTempPathA(sizeof temp, temp);
    GetTempFileNameA(temp, "err", 0, err_path);

    SECURITY_ATTRIBUTES inherit = { sizeof inherit, NULL, TRUE };
    HANDLE out_read, out_write;
    if (!CreatePipe(&out_read, &out_write, &inherit, 0))
        return FALSE;
    SetHandleInformation(out_read, HANDLE_FLAG_INHERIT, 0);
    HANDLE err_file = CreateFileA(err_path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ,
                                  &inherit, CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY, NULL);
    HANDLE nul = CreateFileA("NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                             OPEN_EXISTING, 0, NULL);
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = nul;
    si.hStdOutput = out_write;
    si.hStdError = err_file;
    PROCESS_INFORMATION pi;
    BOOL started = CreateProcessW(NULL, wide_command, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    CloseHandle(out_write);
    CloseHandle(nul);
    if (started) {
        tool_read_all(out_read, r->out, sizeof r->out);
        WaitForSingleObject(pi.hProcess, INFINITE);
        GetExitCodeProcess(pi.hProcess, &r->exit_code);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
        SetFilePointer(err_file, 0, NULL, FILE_BEGIN);
        tool_read_all(err_file, r->err, sizeof r->err);
    }
    CloseHandle(out_read);
    CloseHandle(err_file);
    DeleteFileA(err_path);
    return started;
}

#endif
