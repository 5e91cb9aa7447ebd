# The few functions every layer's CMakeLists.txt declares its targets with, so that flags live in
# one place. Per-platform sources are named POSIX or WIN and picked here, never by #ifdef.
#
#   wsfc_library(<target> [SOURCES ...] [POSIX ...] [WIN ...] [DEPS <targets>]
#                [POSIX_LIBS ...] [WIN_LIBS ...] [OBJECT] [DEFINES ...])
#   wsfc_executable(<target> ...same...)
#   wsfc_shared(<target> ...same...)            a shared library (resource DLLs)
#   wsfc_addon(<target> <file name> ...same... [TEST_ONLY])  a Node-API addon, <file name>.node
#                                               (installed with the prebuilds unless TEST_ONLY)
find_package(Threads REQUIRED)

set(WSFC_NATIVE_DIR ${PROJECT_SOURCE_DIR}/native)
set(WSFC_WARNINGS -Wall -Wextra -Werror)

if(WSFC_SANITIZE)
  set(WSFC_SANITIZE_FLAGS -fsanitize=${WSFC_SANITIZE} -fno-omit-frame-pointer -g)
  if(WSFC_SANITIZE MATCHES "undefined")
    list(APPEND WSFC_SANITIZE_FLAGS -fno-sanitize-recover=all)
  endif()
endif()
# A fuzz build instruments every library for coverage, not only each target's harness: without
# it libFuzzer is blind inside the decoders it exercises (it saw 73 edges of type_config_fuzz, and
# needed some 100,000 random inputs for a key with a line break).
if(WSFC_FUZZ)
  list(APPEND WSFC_SANITIZE_FLAGS -fsanitize=fuzzer-no-link)
endif()

# Flags every target gets: C++17, warnings as errors, hidden symbols, and on Windows the API level
# and a static C++ runtime (a cluster node has no mingw DLLs).
function(wsfc_defaults target)
  target_include_directories(${target} PRIVATE ${WSFC_NATIVE_DIR})
  target_compile_options(${target} PRIVATE ${WSFC_WARNINGS} ${WSFC_SANITIZE_FLAGS})
  target_link_options(${target} PRIVATE ${WSFC_SANITIZE_FLAGS})
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(WIN32)
    target_compile_definitions(${target} PRIVATE UNICODE _UNICODE _WIN32_WINNT=0x0A00)
  else()
    target_compile_options(${target} PRIVATE -fstack-protector-strong)
  endif()
  if(TARGET wsfc_layer_check)
    add_dependencies(${target} wsfc_layer_check)
  endif()
endfunction()

function(wsfc_linked_defaults target)
  if(MINGW)
    target_link_options(${target} PRIVATE -static -static-libgcc -static-libstdc++ -Wl,--no-insert-timestamp)
  endif()
endfunction()

macro(wsfc_parse_target)
  cmake_parse_arguments(T "OBJECT;TEST_ONLY" "" "SOURCES;POSIX;WIN;DEPS;POSIX_LIBS;WIN_LIBS;DEFINES" ${ARGN})
  set(T_ALL ${T_SOURCES})
  set(T_LIBS ${T_DEPS})
  if(WIN32)
    list(APPEND T_ALL ${T_WIN})
    list(APPEND T_LIBS ${T_WIN_LIBS})
  else()
    list(APPEND T_ALL ${T_POSIX})
    list(APPEND T_LIBS ${T_POSIX_LIBS})
  endif()
endmacro()

function(wsfc_finish target)
  wsfc_defaults(${target})
  target_link_libraries(${target} PUBLIC ${T_LIBS})
  if(T_DEFINES)
    target_compile_definitions(${target} PRIVATE ${T_DEFINES})
  endif()
endfunction()

function(wsfc_library target)
  wsfc_parse_target(${ARGN})
  if(T_OBJECT)
    add_library(${target} OBJECT ${T_ALL})
  elseif(T_ALL)
    add_library(${target} STATIC ${T_ALL})
  else()
    add_library(${target} INTERFACE)
    target_link_libraries(${target} INTERFACE ${T_LIBS})
    return()
  endif()
  wsfc_finish(${target})
endfunction()

function(wsfc_executable target)
  wsfc_parse_target(${ARGN})
  add_executable(${target} ${T_ALL})
  wsfc_finish(${target})
  wsfc_linked_defaults(${target})
endfunction()

function(wsfc_shared target)
  wsfc_parse_target(${ARGN})
  add_library(${target} SHARED ${T_ALL})
  wsfc_finish(${target})
  wsfc_linked_defaults(${target})
  if(WIN32)
    set_target_properties(${target} PROPERTIES PREFIX "")
  endif()
endfunction()

# Node-API: headers from cmake-js (CMAKE_JS_INC) or, for a plain CMake build (presets, cross
# builds), from the node-api-headers and node-addon-api packages. On Windows the addon links an
# import library of node.exe made from node-api-headers' node_api.def.
if(WSFC_ADDONS)
  if(CMAKE_JS_INC)
    set(WSFC_NODE_INCLUDES ${CMAKE_JS_INC})
  else()
    find_program(WSFC_NODE node REQUIRED)
    execute_process(
      COMMAND ${WSFC_NODE} -p "[require('node-api-headers').include_dir, require('path').resolve(require('node-addon-api').include_dir)].join(';')"
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE WSFC_NODE_INCLUDES OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  endif()
  if(MINGW)
    find_program(WSFC_NODE node REQUIRED)
    execute_process(COMMAND ${WSFC_NODE} -p "require('node-api-headers').def_paths.node_api_def"
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE WSFC_NODE_API_DEF OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
    set(WSFC_NODE_IMPLIB ${CMAKE_BINARY_DIR}/lib/node_api.a)
    add_custom_command(OUTPUT ${WSFC_NODE_IMPLIB}
      COMMAND ${CMAKE_DLLTOOL} -d ${WSFC_NODE_API_DEF} -l ${WSFC_NODE_IMPLIB} -D node.exe
      DEPENDS ${WSFC_NODE_API_DEF} VERBATIM)
    add_custom_target(wsfc_node_implib DEPENDS ${WSFC_NODE_IMPLIB})
  endif()
endif()

# Compiles against the Node-API headers (the addon libraries and the addons themselves).
function(wsfc_uses_node_api target)
  target_include_directories(${target} SYSTEM PRIVATE ${WSFC_NODE_INCLUDES})
  target_compile_definitions(${target} PRIVATE NAPI_VERSION=8 NODE_ADDON_API_DISABLE_DEPRECATED BUILDING_NODE_EXTENSION)
endfunction()

function(wsfc_addon target file)
  wsfc_parse_target(${ARGN})
  add_library(${target} SHARED ${T_ALL} ${CMAKE_JS_SRC})
  wsfc_finish(${target})
  wsfc_linked_defaults(${target})
  wsfc_uses_node_api(${target})
  set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX ".node" OUTPUT_NAME ${file})
  if(MINGW)
    add_dependencies(${target} wsfc_node_implib)
    target_link_libraries(${target} PRIVATE ${WSFC_NODE_IMPLIB})
  elseif(APPLE)
    # Node-API functions resolve in the loading node at dlopen time, as node-gyp links on macOS.
    # The dylib's id: a name, not the build tree's path (node loads it by path; nothing links it).
    target_link_options(${target} PRIVATE -undefined dynamic_lookup)
    set_target_properties(${target} PROPERTIES BUILD_WITH_INSTALL_NAME_DIR ON INSTALL_NAME_DIR @rpath)
  elseif(CMAKE_JS_LIB)
    target_link_libraries(${target} PRIVATE ${CMAKE_JS_LIB})
  endif()
  # What ships: `cmake --install <build> --component prebuild --strip` into prebuilds/<platform>.
  if(T_TEST_ONLY)
    return()
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION . COMPONENT prebuild RUNTIME DESTINATION . COMPONENT prebuild)
endfunction()
