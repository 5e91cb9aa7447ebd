# Windows x64 from Linux with mingw-w64 (posix threads; the static C++ runtime is linked by
# cmake/WsfcTargets.cmake). Debian: g++-mingw-w64-x86-64.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(WSFC_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_CXX_COMPILER ${WSFC_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${WSFC_MINGW_PREFIX}-windres)
set(CMAKE_DLLTOOL ${WSFC_MINGW_PREFIX}-dlltool)
set(CMAKE_STRIP ${WSFC_MINGW_PREFIX}-strip CACHE FILEPATH "strip for `cmake --install --strip`")
# The 32-bit compiler, only to prove a 32-bit build is refused (native/common/CMakeLists.txt).
set(WSFC_CXX32 i686-w64-mingw32-g++-posix)
set(CMAKE_FIND_ROOT_PATH /usr/${WSFC_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
