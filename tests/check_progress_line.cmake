# Checks nmexpert's live progress line: with stderr on a terminal (a pseudo-terminal made by
# util-linux's `script`), the expert's status and percentage appear while it runs, before the
# report. Arguments: -DEMULATOR= -DRUNNER= (nmexpert.exe) -DEXPERT= (runaway_expert.dll).
cmake_minimum_required(VERSION 3.20)
find_program(SCRIPT script REQUIRED)
get_filename_component(folder "${RUNNER}" DIRECTORY)
execute_process(
  COMMAND ${SCRIPT} -qec "'${EMULATOR}' '${RUNNER}' run '${EXPERT}' --timeout 600" /dev/null
  WORKING_DIRECTORY "${folder}"
  OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE status)
# Wine's console draws with escape sequences, cursor moves for blanks among them: compare the
# text without escapes and without blanks.
string(ASCII 27 escape)
string(REGEX REPLACE "${escape}\\[[0-9;?]*[A-Za-z]" "" text "${out}")
string(REGEX REPLACE "[ \r\n]" "" text "${text}")
if(NOT status EQUAL 2)
  message(FATAL_ERROR "nmexpert exited with ${status}, not 2 (terminated):\n${text}")
endif()
string(FIND "${text}" "RUNNINGwatchingthewire" status_text_at)
string(FIND "${text}" "expertRunawaylivewatcher" report_at)
if(status_text_at EQUAL -1 OR report_at EQUAL -1 OR
   NOT status_text_at LESS report_at)
  message(FATAL_ERROR "no progress line before the report:\n${text}")
endif()
message(STATUS "progress line seen before the report")
