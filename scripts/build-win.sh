#!/usr/bin/env bash
# Cross-builds the Windows x64 artifacts (the CMake project's win32-x64 preset: the mingw-w64
# toolchain file, static runtime, warnings as errors) and installs what ships into
# prebuilds/win32-x64/: wsfcres.dll (the resource DLL), mock-rhs.exe (the mock monitor loading it
# like RHS), wsfc-host.node and wsfc-mock.node (the addons), stripped.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in x86_64-w64-mingw32-g++-posix:g++-mingw-w64-x86-64 i686-w64-mingw32-g++-posix:g++-mingw-w64-i686-posix; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    echo "installing ${tool#*:}"
    apt-get update -qq && apt-get install -y -qq "${tool#*:}" >/dev/null
  fi
done
cmake --preset win32-x64 >/dev/null
cmake --build --preset win32-x64 --parallel "${JOBS:-2}"
rm -rf prebuilds/win32-x64
cmake --install build/win32-x64 --component prebuild --strip --prefix prebuilds/win32-x64 >/dev/null
# The manifest prepack checks: what this was built from (prebuild.mjs --check compares hashes).
node scripts/prebuild.mjs --record win32-x64
