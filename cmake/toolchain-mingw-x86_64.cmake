# Cross-build for x86_64 Windows with mingw-w64 (cmake/toolchain-mingw.cmake).
set(CMAKE_SYSTEM_PROCESSOR x86_64)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw.cmake)
