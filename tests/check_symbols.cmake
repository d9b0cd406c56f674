# check_symbols.cmake: fails unless libxapian-c exports exactly the functions
# that xapian-c.h declares with XC_API: no Xapian or C++ internals leaked, no
# declared function missing.  Run as
#   cmake -DLIB=<libxapian-c.so> -DHEADER=<xapian-c.h> -P check_symbols.cmake
cmake_minimum_required(VERSION 3.25)

if(NOT LIB OR NOT HEADER)
  message(FATAL_ERROR "usage: cmake -DLIB=<shared library> -DHEADER=<xapian-c.h> -P ${CMAKE_SCRIPT_MODE_FILE}")
endif()
find_program(NM_PROGRAM NAMES nm REQUIRED)

# The library's side: every defined dynamic symbol.
execute_process(COMMAND ${NM_PROGRAM} -D --defined-only ${LIB}
                OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}: ${nm_err}")
endif()
string(REPLACE "\n" ";" nm_lines "${nm_out}")
set(exported "")
set(not_functions "")
foreach(line IN LISTS nm_lines)
  if(line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) ([^ ]+)$")
    set(type "${CMAKE_MATCH_1}")
    string(REGEX REPLACE "@.*$" "" name "${CMAKE_MATCH_2}")
    # Type A is the name of a version-script node, not code or data.
    if(type STREQUAL "A")
      continue()
    endif()
    list(APPEND exported "${name}")
    if(NOT type STREQUAL "T")
      list(APPEND not_functions "${name} (type ${type})")
    endif()
  endif()
endforeach()

# The header's side: names declared with XC_API, comments removed first so
# that a commented-out declaration does not count.
file(READ "${HEADER}" header_text)
string(REGEX REPLACE "/\\*([^*]|\\*+[^*/])*\\*+/" " " header_text "${header_text}")
string(REGEX MATCHALL "XC_API[^;(]*[^A-Za-z0-9_]xc_[A-Za-z0-9_]*[ \t\r\n]*\\(" decls "${header_text}")
set(declared "")
foreach(decl IN LISTS decls)
  string(REGEX REPLACE "^.*[^A-Za-z0-9_](xc_[A-Za-z0-9_]*)[ \t\r\n]*\\($" "\\1" name "${decl}")
  list(APPEND declared "${name}")
endforeach()

list(REMOVE_DUPLICATES exported)
list(REMOVE_DUPLICATES declared)
list(SORT exported)
list(SORT declared)
list(LENGTH exported n_exported)
list(LENGTH declared n_declared)

# An empty set on either side means the parsing broke, not that all is well.
if(n_declared LESS 10)
  message(FATAL_ERROR "found only ${n_declared} XC_API declarations in ${HEADER}: is the regex stale?")
endif()

set(leaked ${exported})
list(REMOVE_ITEM leaked ${declared})
set(missing ${declared})
if(exported)
  list(REMOVE_ITEM missing ${exported})
endif()

set(problems "")
if(leaked)
  list(JOIN leaked "\n  " text)
  string(APPEND problems "exported but not declared in the header:\n  ${text}\n")
endif()
if(missing)
  list(JOIN missing "\n  " text)
  string(APPEND problems "declared in the header but not exported:\n  ${text}\n")
endif()
if(not_functions)
  list(JOIN not_functions "\n  " text)
  string(APPEND problems "exported symbols that are not functions:\n  ${text}\n")
endif()
if(problems)
  message(FATAL_ERROR "${LIB} does not match ${HEADER}:\n${problems}")
endif()
message(STATUS "${n_exported} exported symbols match the ${n_declared} functions of ${HEADER}")
