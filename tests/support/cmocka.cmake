# nmapi_cmocka: cmocka for the test programs, found through its own package file. The presets
# put it on CMAKE_PREFIX_PATH: .deps/prefix-<arch> for the cross builds (scripts/setup.sh
# cross-builds it there), Debian's libcmocka-dev natively.
find_package(cmocka CONFIG)
if(NOT cmocka_FOUND)
  message(FATAL_ERROR "cmocka not found on CMAKE_PREFIX_PATH (${CMAKE_PREFIX_PATH}): run "
                      "scripts/setup.sh and configure with a preset, or configure with "
                      "-DNMAPI_BUILD_TESTS=OFF.")
endif()
add_library(nmapi_cmocka INTERFACE)
target_include_directories(nmapi_cmocka INTERFACE ${CMOCKA_INCLUDE_DIR})
if(WIN32)
  # cmocka 1.1's package file names a DLL's import library; the static archive installed
  # beside it keeps every test program free of a cmocka.dll.
  get_filename_component(cmocka_lib_dir "${CMOCKA_LIBRARY}" DIRECTORY)
  target_link_libraries(nmapi_cmocka INTERFACE ${cmocka_lib_dir}/libcmocka.a)
else()
  target_link_libraries(nmapi_cmocka INTERFACE ${CMOCKA_LIBRARIES})
endif()
