# Included last by CMakeLists.txt (after every target exists): what `cmake --install` lays out.
#
#   bin/nmapi.dll, bin/nmexpert.exe        the DLL and the runner
#   lib/libnmapi.dll.a                     import library for mingw-w64 (GNU ld)
#   lib/nmapi.lib                          import library for MSVC's linker (link.exe, lld-link)
#   include/nmapi.h                        the host API (it includes <windows.h> and <netmon.h>)
#   lib/cmake/nmapi/nmapiConfig.cmake      find_package(nmapi) -> imported target nmapi::nmapi
#   lib/cmake/nmapi/nmapiConfigVersion.cmake
#
# The package is relocatable: the config finds the prefix relative to itself.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The DLL and the programs go to bin/, the DLL's import library (dlltool's, src/CMakeLists.txt)
# to lib/: a new program is one more name in install(TARGETS).
install(TARGETS nmapi nmexpert
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${NMAPI_MSVC_IMPLIB} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/nmapi.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(NMAPI_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/nmapi)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/nmapiConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/nmapiConfig.cmake
  INSTALL_DESTINATION ${NMAPI_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
# 0.x: a minor version may break the ABI. The version file also refuses a consumer whose pointer
# size differs (an i686 install for an x86_64 project, or the reverse).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/nmapiConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/nmapiConfig.cmake
              ${PROJECT_BINARY_DIR}/package/nmapiConfigVersion.cmake
        DESTINATION ${NMAPI_PACKAGE_DIR})
