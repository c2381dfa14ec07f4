# Cross-build for i686 Windows with mingw-w64 (cmake/toolchain-mingw.cmake).
set(CMAKE_SYSTEM_PROCESSOR i686)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw.cmake)
