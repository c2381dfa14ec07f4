# `cmake --install BUILD` must lay out exactly EXPECTED (paths relative to the prefix), with the
# build's own DLL and import libraries. It installs into a staging folder that is then moved to
# PREFIX, so the package tests that use PREFIX also show that the tree is relocatable.
# Variables: BUILD PREFIX EXPECTED DLL MINGW_IMPLIB MSVC_IMPLIB
cmake_minimum_required(VERSION 3.20)
include(${CMAKE_CURRENT_LIST_DIR}/../support/script_checks.cmake)

file(REMOVE_RECURSE ${PREFIX} ${PREFIX}-staging)
run(${CMAKE_COMMAND} --install ${BUILD} --prefix ${PREFIX}-staging)
file(RENAME ${PREFIX}-staging ${PREFIX})

file(GLOB_RECURSE installed RELATIVE ${PREFIX} ${PREFIX}/*)
assert_same_names("the files of the install tree" "${installed}" "${EXPECTED}")

foreach(pair IN ITEMS "bin/nmapi.dll=${DLL}" "lib/libnmapi.dll.a=${MINGW_IMPLIB}"
                      "lib/nmapi.lib=${MSVC_IMPLIB}")
  string(REGEX MATCH "^([^=]+)=(.*)$" _ "${pair}")
  file(SHA256 ${PREFIX}/${CMAKE_MATCH_1} installed_hash)
  file(SHA256 ${CMAKE_MATCH_2} built_hash)
  if(NOT installed_hash STREQUAL built_hash)
    message(FATAL_ERROR "${CMAKE_MATCH_1} is not the build's ${CMAKE_MATCH_2}")
  endif()
endforeach()
list(LENGTH installed n)
message(STATUS "${n} files installed, as expected: ${installed}")
