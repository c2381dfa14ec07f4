# Runs nmapi_bench --quick twice (table, then --json) and fails unless both complete and are
# well formed: every figure present with a number, the JSON document parseable.
cmake_minimum_required(VERSION 3.20)
set(ids small_churn_vs_win32 small_churn_vs_mimalloc mixed_churn_vs_win32 mixed_churn_vs_mimalloc
        large_churn_vs_win32 large_churn_vs_mimalloc destroy_vs_alloc destroy_vs_win32_free
        many_keys_vs_one two_threads_vs_one overhead_bytes_per_block refusal_us small_churn_ns
        mixed_churn_ns large_churn_ns destroy_ms)

execute_process(COMMAND ${EMULATOR} ${BENCH} --quick RESULT_VARIABLE rc OUTPUT_VARIABLE table
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nmapi_bench --quick exited with ${rc}:\n${table}\n${err}")
endif()
string(REPLACE "\r" "" table "${table}")
foreach(label "small churn 1-128 B, time vs win32 heap" "mixed churn 1 B-16 KiB, time vs win32 heap"
              "destroy key of 1M x 64 B, vs allocating them" "per-call time, many live keys vs 1"
              "throughput, 2 threads on 2 keys vs 1" "heap bytes per live block beyond request"
              "large churn, time vs mimalloc heap" "refusing a size that cannot be granted, per call")
  string(REGEX MATCH "\n${label} +[0-9.]+[^\n]*\\[[0-9.]+[^\n]*\\] +(<=|>=) [0-9.]+[^\n]* +(yes|NO) " row "${table}")
  if(NOT row)
    message(FATAL_ERROR "table row '${label}' missing or malformed:\n${table}")
  endif()
endforeach()

execute_process(COMMAND ${EMULATOR} ${BENCH} --quick --json RESULT_VARIABLE rc OUTPUT_VARIABLE json
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nmapi_bench --quick --json exited with ${rc}:\n${json}\n${err}")
endif()
string(JSON count ERROR_VARIABLE jerr LENGTH "${json}" figures)
if(jerr)
  message(FATAL_ERROR "not a JSON document with a figures array (${jerr}):\n${json}")
endif()
set(seen "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON id GET "${json}" figures ${i} id)
  string(JSON value GET "${json}" figures ${i} value)
  if(NOT value MATCHES "^[0-9.e+-]+$")
    message(FATAL_ERROR "figure ${id} has no numeric value: ${value}")
  endif()
  list(APPEND seen ${id})
endforeach()
foreach(id IN LISTS ids)
  if(NOT id IN_LIST seen)
    message(FATAL_ERROR "figure ${id} missing from the JSON output:\n${json}")
  endif()
endforeach()
message(STATUS "${table}")
