// cpp_expert.cpp - an expert as C++ compilers built them when the author forgot extern "C":
// Register, Configure and Run exported with __declspec(dllexport) under their C++-mangled
// names (g++: _Z8RegisterP15_EXPERTENUMINFO; MSVC would give ?Register@@YGHPAU_EXPERTENUMINFO@@@Z),
// so no host finds them. The runner must say why, and how to fix it.
#include <windows.h>
#include <netmon.h>

__declspec(dllexport) BOOL WINAPI Register(PEXPERTENUMINFO pInfo)
{
    lstrcpynA(pInfo->szName, "Mangled expert", EXPERTSTRINGLENGTH);
    return TRUE;
}

__declspec(dllexport) BOOL WINAPI Configure(HEXPERTKEY, PEXPERTCONFIG *, PEXPERTSTARTUPINFO,
                                            DWORD, HWND)
{
    return FALSE;
}

__declspec(dllexport) BOOL WINAPI Run(HEXPERTKEY, PEXPERTCONFIG, PEXPERTSTARTUPINFO, DWORD, HWND)
{
    return TRUE;
}
