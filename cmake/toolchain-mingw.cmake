# The body of both mingw-w64 toolchain files: cross-build for Windows with Debian's mingw-w64,
# for the processor the including file sets (i686 or x86_64); tests run under Wine.
set(CMAKE_SYSTEM_NAME Windows)
set(nmapi_mingw_triple ${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32)

set(CMAKE_C_COMPILER   ${nmapi_mingw_triple}-gcc)
set(CMAKE_CXX_COMPILER ${nmapi_mingw_triple}-g++)
set(CMAKE_RC_COMPILER  ${nmapi_mingw_triple}-windres)
set(CMAKE_DLLTOOL      ${nmapi_mingw_triple}-dlltool)
set(CMAKE_OBJDUMP      ${nmapi_mingw_triple}-objdump)
# Only the target's own files are found: mingw-w64's sysroot, and the prefixes named in
# CMAKE_PREFIX_PATH (the presets name .deps/prefix-<arch>, the cross-built cmocka and mimalloc),
# never the host's libraries or packages.
set(CMAKE_FIND_ROOT_PATH /usr/${nmapi_mingw_triple} ${CMAKE_PREFIX_PATH})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Plain add_test() runs the Windows programs through the project's one Wine runner.
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh)
