# Builds seh_expert.c as MSVC would: clang --target=TARGET with its own __try/__except, linked by
# lld-link against IMPLIB (nmapi.lib) and two import libraries made here with llvm-dlltool - the
# Windows API the program calls (kernel32's VirtualProtect) and the language-specific handler
# MSVC's runtime would supply (x86_64: ntdll's __C_specific_handler; i686: msvcrt's
# _except_handler3). The program and a copy of DLL are left in WORK, for seh_expert_catches_a_
# fault_inside_the_dll to run under Wine.
# Variables: CLANG LLD_LINK DLLTOOL TARGET IMPLIB DLL SOURCE WORK
cmake_minimum_required(VERSION 3.20)
include(${CMAKE_CURRENT_LIST_DIR}/../support/script_checks.cmake)

if("${TARGET}" MATCHES "^i686")
  set(machine i386)
  set(handler_dll msvcrt.dll)
  set(handler _except_handler3)
  set(virtual_protect VirtualProtect@16)
else()
  set(machine i386:x86-64)
  set(handler_dll ntdll.dll)
  set(handler __C_specific_handler)
  set(virtual_protect VirtualProtect)
endif()

file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/kernel32.def "LIBRARY kernel32.dll\nEXPORTS\n  ${virtual_protect}\n")
file(WRITE ${WORK}/handler.def "LIBRARY ${handler_dll}\nEXPORTS\n  ${handler}\n")
# -k: the stdcall name imported without its @N, as kernel32 exports it.
run(${DLLTOOL} -m ${machine} -k -d ${WORK}/kernel32.def -l ${WORK}/kernel32.lib)
run(${DLLTOOL} -m ${machine} -d ${WORK}/handler.def -l ${WORK}/handler.lib)

run(${CLANG} --target=${TARGET} -c -O1 -ffreestanding -nostdinc -Wall -Werror ${SOURCE}
    -o ${WORK}/seh_expert.obj)
file(REMOVE ${WORK}/seh_expert.exe)
run(${LLD_LINK} /nologo /subsystem:console /entry:seh_expert_entry /nodefaultlib
    /out:${WORK}/seh_expert.exe ${WORK}/seh_expert.obj ${IMPLIB} ${WORK}/kernel32.lib
    ${WORK}/handler.lib)
file(COPY ${DLL} DESTINATION ${WORK})
