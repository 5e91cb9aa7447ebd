# macOS x64 from Linux with Zig, macOS 11 and later (the oldest macOS Zig carries headers for).
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(WSFC_ZIG_TARGET x86_64-macos.11.0-none)
include(${CMAKE_CURRENT_LIST_DIR}/zig-macos.cmake)
