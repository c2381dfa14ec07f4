/* dllmain.c - the DLL entry point. It does nothing but opt out of thread notifications: every
 * structure is created on first use, so nothing needs the loader lock. */
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH)
        DisableThreadLibraryCalls(instance);
    return TRUE;
}
