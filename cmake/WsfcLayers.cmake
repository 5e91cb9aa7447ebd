# The layering is checked before anything compiles: scripts/native-layout.mjs reads the layer
# graph from the native/**/CMakeLists.txt (each target's DEPS) and fails the build when a quoted
# #include reaches a layer its target does not link, when the include graph between layers has a
# cycle, or when a native source is named by more than one build description.
find_program(WSFC_NODE node REQUIRED)
file(GLOB_RECURSE WSFC_LAYOUT_INPUTS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/native/*.cc ${PROJECT_SOURCE_DIR}/native/*.h ${PROJECT_SOURCE_DIR}/native/*CMakeLists.txt)
set(WSFC_LAYOUT_STAMP ${CMAKE_BINARY_DIR}/native-layout.ok)
add_custom_command(OUTPUT ${WSFC_LAYOUT_STAMP}
  COMMAND ${WSFC_NODE} ${PROJECT_SOURCE_DIR}/scripts/native-layout.mjs
  COMMAND ${CMAKE_COMMAND} -E touch ${WSFC_LAYOUT_STAMP}
  DEPENDS ${WSFC_LAYOUT_INPUTS} ${PROJECT_SOURCE_DIR}/scripts/native-layout.mjs ${PROJECT_SOURCE_DIR}/CMakeLists.txt
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Checking the native layers (scripts/native-layout.mjs)" VERBATIM)
add_custom_target(wsfc_layer_check DEPENDS ${WSFC_LAYOUT_STAMP})
