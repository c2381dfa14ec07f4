# nmapi_exports.cmake - turns nmapi-exports.tsv (the one list of nmapi.dll's exports) into what
# the build needs, at configure time (re-run whenever the list changes):
#   <out>/nmapi.def        the module-definition file: i686 stdcall names carry @N (the DLL is
#                          linked with --kill-at, so it exports them undecorated; the import
#                          libraries map _Name@N to the undecorated export), x86_64 plain names
#   <out>/nmapi_stubs.S    one entry point per function outside this runtime's scope: it jumps
#                          to the original Nmapi.dll's function when forwarding is on (the
#                          arguments untouched, so any signature forwards exactly, varargs
#                          included), and otherwise returns the documented failure value,
#                          popping the stdcall arguments on i686, without reading them
#   <out>/forward_names.h  the names those stubs forward, in slot order (src/forward.c)
#   <out>/export_rows.h    every row as data, for the tests: name, argument bytes (-1 for
#                          cdecl), whether it is ours, the failure value, the fake's sentinel
# and sets, in the caller's scope:
#   NMAPI_EXPORT_NAMES     every export, undecorated
#   NMAPI_STUB_NAMES       the exports outside the runtime's scope
#
# nmapi_exports_generate(<tsv> <arch: i686|x86_64> <library name> <out dir> [FAKE]) - with FAKE,
# the stubs of
# every row (ours included) instead return a sentinel, 0x5E000000 + row number, xor'ed with
# the first argument (i686) or the four argument registers (x86_64): the "original Nmapi.dll"
# that the forwarding tests load.

# The value of NMERR_NOT_SUPPORTED, from <netmon.h> itself.
function(_nmapi_nmerr_value name out)
  find_file(_nmapi_netmon_h netmon.h PATHS /usr/share/mingw-w64/include NO_DEFAULT_PATH)
  if(NOT _nmapi_netmon_h)
    find_file(_nmapi_netmon_h netmon.h REQUIRED)
  endif()
  file(STRINGS ${_nmapi_netmon_h} line REGEX "#define ${name} \\(")
  string(REGEX MATCH "\\(([0-9]+)\\)" _ "${line}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "${name} not found in ${_nmapi_netmon_h}")
  endif()
  set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

# Appends to var the assembly of one stub. slot indexes nmapi_forward_slots (-1 for none);
# result is the immediate returned when nothing is forwarded; folded is how many arguments the
# fake original xors into it: on i686 only the first (the stack passes through untouched), on
# x86_64 up to the four argument registers, which the resolver's thunk must keep.
function(_nmapi_stub var arch symbol slot result pop folded)
  # What differs between the two architectures: the forwarding check, where the first
  # argument is, how a whole return register is loaded, and what follows in the epilogue.
  if(arch STREQUAL "i686")
    math(EXPR offset "${slot} * 4")
    set(forward "\tmovl _nmapi_forward_state, %eax\n\ttestl %eax, %eax\n\tjnz 1f\n"
                "\tcall _nmapi_forward_resolve\n"
                "1:\tmovl _nmapi_forward_slots+${offset}, %eax\n"
                "\ttestl %eax, %eax\n\tjz 2f\n\tjmp *%eax\n2:\n")
    set(fold "\tmovl 4(%esp), %eax\n")
    set(load_whole "movl $${result}, %eax")
    # edx too, sign-extended: the value of a 64-bit return (EDX:EAX); then pop the arguments.
    set(epilogue "\tcltd\n\tret\n")
    if(pop GREATER 0)
      set(epilogue "\tcltd\n\tret $${pop}\n")
    endif()
  else()
    math(EXPR offset "${slot} * 8")
    # The resolver keeps the argument registers; this stub pushes nothing, so the unwinder
    # sees it as a leaf whose return address is at [rsp].
    set(forward "\tmovl nmapi_forward_state(%rip), %eax\n\ttestl %eax, %eax\n\tjnz 1f\n"
                "\tcall nmapi_forward_resolve_preserving\n"
                "1:\tmovq nmapi_forward_slots+${offset}(%rip), %rax\n"
                "\ttestq %rax, %rax\n\tjz 2f\n\tjmp *%rax\n2:\n")
    set(fold "\tmovl %ecx, %eax\n")
    set(registers edx r8d r9d)
    foreach(i RANGE 2 4)
      if(folded GREATER_EQUAL i)
        math(EXPR k "${i} - 2")
        list(GET registers ${k} register)
        string(APPEND fold "\txorl %${register}, %eax\n")
      endif()
    endforeach()
    set(load_whole "movq $${result}, %rax")
    set(epilogue "\tret\n")
  endif()
  string(CONCAT s "\t.globl ${symbol}\n\t.def ${symbol}; .scl 2; .type 32; .endef\n${symbol}:\n")
  if(slot GREATER_EQUAL 0)
    string(CONCAT s "${s}" ${forward})
  endif()
  if(folded GREATER 0)
    string(APPEND s "${fold}\txorl $${result}, %eax\n")
  elseif(result EQUAL 0)
    string(APPEND s "\txorl %eax, %eax\n")
  else()
    string(APPEND s "\t${load_whole}\n")
  endif()
  string(APPEND s "${epilogue}")
  set(${var} "${${var}}${s}" PARENT_SCOPE)
endfunction()

function(nmapi_exports_generate tsv arch library out)
  set(fake FALSE)
  if(ARGN STREQUAL "FAKE")
    set(fake TRUE)
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${tsv})
  _nmapi_nmerr_value(NMERR_NOT_SUPPORTED not_supported)
  file(STRINGS ${tsv} rows REGEX "^[A-Za-z]")
  string(CONCAT def "; Generated from nmapi-exports.tsv by cmake/nmapi_exports.cmake: do not edit.\n"
          "LIBRARY ${library}.dll\nEXPORTS\n")
  string(CONCAT stubs "/* Generated from nmapi-exports.tsv by cmake/nmapi_exports.cmake: do not edit. */\n"
            "\t.text\n")
  string(CONCAT names "/* Generated from nmapi-exports.tsv by cmake/nmapi_exports.cmake: do not edit. */\n"
            "static const char *const forward_names[] = {\n")
  string(CONCAT rows_h "/* Generated from nmapi-exports.tsv by cmake/nmapi_exports.cmake: do not edit. */\n"
         "static const struct export_row {\n"
         "    const char *name;\n    int arg_bytes;          /* -1: cdecl */\n"
         "    int ours;               /* implemented by the runtime, never forwarded */\n"
         "    long long failure;      /* returned by the stub when nothing is forwarded */\n"
         "    unsigned sentinel;      /* the fake original's value (xor its first argument) */\n"
         "} export_rows[] = {\n")
  set(all "")
  set(stubbed "")
  set(row 0)
  set(slot 0)
  foreach(line IN LISTS rows)
    string(REPLACE "\t" ";" fields "${line}")
    list(LENGTH fields n)
    if(NOT n EQUAL 6)
      message(FATAL_ERROR "${tsv}: expected 6 tab-separated fields, got ${n}: ${line}")
    endif()
    list(GET fields 0 name)
    list(GET fields 1 convention)
    list(GET fields 2 arg_bytes)
    list(GET fields 4 failure)
    if(name IN_LIST all)
      message(FATAL_ERROR "${tsv}: ${name} is listed twice")
    endif()
    list(APPEND all ${name})
    # The decorated name of the entry point, and what its stub pops.
    set(pop 0)
    if(convention STREQUAL "stdcall" AND arg_bytes MATCHES "^[0-9]+$")
      set(pop ${arg_bytes})
      set(def_name "${name}@${arg_bytes}")
      set(symbol "_${name}@${arg_bytes}")
    elseif(convention STREQUAL "cdecl" AND arg_bytes STREQUAL "-")
      set(def_name "${name}")
      set(symbol "_${name}")
    else()
      message(FATAL_ERROR "${tsv}: ${name}: bad convention/arg_bytes '${convention}' '${arg_bytes}'")
    endif()
    if(arch STREQUAL "x86_64")
      set(def_name ${name})
      set(symbol ${name})
    endif()
    string(APPEND def "    ${def_name}\n")
    set(row_bytes -1)
    if(convention STREQUAL "stdcall")
      set(row_bytes ${arg_bytes})
    endif()
    set(row_ours 0)
    if(failure STREQUAL "ours")
      set(row_ours 1)
      set(row_failure 0)
    elseif(failure MATCHES "^(NULL|FALSE|void)$")
      set(row_failure 0)
    elseif(failure MATCHES "^-?[0-9]+$")
      set(row_failure ${failure})
    elseif(failure STREQUAL "NMERR_NOT_SUPPORTED")
      set(row_failure ${not_supported})
    else()
      message(FATAL_ERROR "${tsv}: ${name}: unknown failure value '${failure}'")
    endif()
    math(EXPR row_sentinel "0x5E000000 + ${row}" OUTPUT_FORMAT HEXADECIMAL)
    string(APPEND rows_h "    { \"${name}\", ${row_bytes}, ${row_ours}, ${row_failure}, ${row_sentinel}u },\n")
    if(fake)
      # Its arguments as the i686 bytes count them (at most 4 are folded; a 64-bit argument
      # counts twice, so a register its caller left unset may be folded too: the tests set
      # all four); every cdecl function of the list takes at least one.
      set(folded 1)
      if(convention STREQUAL "stdcall")
        math(EXPR folded "${pop} / 4")
      endif()
      _nmapi_stub(stubs ${arch} ${symbol} -1 ${row_sentinel} ${pop} ${folded})
    elseif(NOT row_ours)
      _nmapi_stub(stubs ${arch} ${symbol} ${slot} ${row_failure} ${pop} 0)
      string(APPEND names "    \"${name}\",\n")
      list(APPEND stubbed ${name})
      math(EXPR slot "${slot} + 1")
    endif()
    math(EXPR row "${row} + 1")
  endforeach()
  string(APPEND names "};\n#define NMAPI_FORWARD_COUNT ${slot}\n")
  string(APPEND rows_h "};\n#define NMAPI_EXPORT_COUNT ${row}\n#define NMAPI_FORWARD_COUNT ${slot}\n")

  file(MAKE_DIRECTORY ${out})
  file(WRITE ${out}/nmapi.def.tmp "${def}")
  file(WRITE ${out}/nmapi_stubs.S.tmp "${stubs}")
  file(WRITE ${out}/forward_names.h.tmp "${names}")
  file(WRITE ${out}/export_rows.h.tmp "${rows_h}")
  foreach(f nmapi.def nmapi_stubs.S forward_names.h export_rows.h)
    configure_file(${out}/${f}.tmp ${out}/${f} COPYONLY)   # touched only when changed
  endforeach()
  set(NMAPI_EXPORT_NAMES ${all} PARENT_SCOPE)
  set(NMAPI_STUB_NAMES ${stubbed} PARENT_SCOPE)
endfunction()
