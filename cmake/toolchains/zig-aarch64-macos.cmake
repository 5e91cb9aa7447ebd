# macOS arm64 (Apple silicon) from Linux with Zig, macOS 11 and later (what Node 20+ supports).
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(WSFC_ZIG_TARGET aarch64-macos.11.0-none)
include(${CMAKE_CURRENT_LIST_DIR}/zig-macos.cmake)
