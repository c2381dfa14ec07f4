# clang for NMAPI_MSVC_ARCH-pc-windows-msvc: an MSVC-ABI toolchain (as clang-cl or MSVC would
# be) without a Windows SDK or C runtime here, so it can configure projects but not link them.
# The package test uses it to see which import library find_package(nmapi) picks for such a
# toolchain.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR ${NMAPI_MSVC_ARCH})
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET ${NMAPI_MSVC_ARCH}-pc-windows-msvc)
set(CMAKE_C_COMPILER_WORKS ON)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES NMAPI_MSVC_ARCH)
