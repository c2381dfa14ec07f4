# Configures and builds tests/consumer against the install tree in PREFIX, with TOOLCHAIN, in an
# emptied BUILD folder, through find_package(nmapi) (nmapi_DIR). DEFINE, when set, is one more
# -D for the configure step.
#   - The link must use IMPLIB (the import library the package picks; KIND, when set, is passed
#     as NMAPI_IMPORT_LIBRARY to choose it), and the DLL copied beside the program must be
#     PREFIX's bin/nmapi.dll. The consumer_runs test then runs the program under Wine.
#   - With CONFIGURE_ONLY set, only the generated link line is checked (for a toolchain that
#     cannot link here).
#   - With REFUSE set, configuring must fail because the package's version file refuses the
#     toolchain's pointer size (an install of the other architecture).
# Variables: SOURCE BUILD PREFIX TOOLCHAIN NINJA [DEFINE] [IMPLIB] [KIND] [CONFIGURE_ONLY] [REFUSE]
cmake_minimum_required(VERSION 3.20)
include(${CMAKE_CURRENT_LIST_DIR}/../support/script_checks.cmake)

file(REMOVE_RECURSE ${BUILD})
set(configure ${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD} -G Ninja
    -DCMAKE_MAKE_PROGRAM=${NINJA} -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}
    -DCMAKE_BUILD_TYPE=Release -Dnmapi_DIR=${PREFIX}/lib/cmake/nmapi)
if(KIND)
  list(APPEND configure -DNMAPI_IMPORT_LIBRARY=${KIND})
endif()
if(DEFINE)
  list(APPEND configure -D${DEFINE})
endif()

if(REFUSE)
  execute_process(COMMAND ${configure} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc EQUAL 0)
    message(FATAL_ERROR "find_package(nmapi) accepted an install of the other architecture:\n${out}")
  endif()
  if(NOT out MATCHES "nmapiConfig\\.cmake, version: [0-9.]+ \\((32|64)bit\\)")
    message(FATAL_ERROR "configuring failed, but not because of the architecture:\n${out}")
  endif()
  message(STATUS "refused: ${CMAKE_MATCH_0}")
  return()
endif()

run(${configure})
file(READ ${BUILD}/build.ninja ninja)
string(FIND "${ninja}" "${IMPLIB}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the consumer's link does not use ${IMPLIB}")
endif()
if(CONFIGURE_ONLY)
  message(STATUS "configured against ${PREFIX}; the link uses ${IMPLIB}")
  return()
endif()

run(${CMAKE_COMMAND} --build ${BUILD})
file(SHA256 ${BUILD}/nmapi.dll copied_hash)
file(SHA256 ${PREFIX}/bin/nmapi.dll installed_hash)
if(NOT copied_hash STREQUAL installed_hash)
  message(FATAL_ERROR "the nmapi.dll beside the consumer is not the installed one")
endif()
message(STATUS "built against ${PREFIX}, linked with ${IMPLIB}")
