# nmapi_warnings: the one place the project's C and C++ warnings are chosen; every target of
# this project links it PRIVATE. -Werror only with NMAPI_WARNINGS_AS_ERRORS, which the presets
# (developers and CI) turn on and a packager's plain configure leaves off.
option(NMAPI_WARNINGS_AS_ERRORS "Fail the build on any compiler warning" OFF)
add_library(nmapi_warnings INTERFACE)
target_compile_options(nmapi_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:C,CXX>:-Wall -Wextra $<$<BOOL:${NMAPI_WARNINGS_AS_ERRORS}>:-Werror>>)
