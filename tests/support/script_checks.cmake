# Included by the CMake test scripts.
#
# run(COMMAND...) executes a command and fails the script, showing the command and everything it
# printed, unless it exits with 0. Its output is left in run_output.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " cmd)
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# assert_same_names(WHAT ACTUAL_LIST EXPECTED_LIST) fails the script unless both lists hold the
# same names, in any order; WHAT says what differs.
function(assert_same_names what actual expected)
  list(SORT actual)
  list(SORT expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${what} differ:\n  found:    ${actual}\n  expected: ${expected}")
  endif()
endfunction()
