#!/usr/bin/env bash
# Cross-builds the Windows x64 artifacts with mingw-w64 (posix threads, static runtime, -O2,
# warnings as errors) into prebuilds/win32-x64/: wsfcres.dll (the resource DLL).
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=x86_64-w64-mingw32-g++-posix
if ! command -v "$CXX" >/dev/null; then
  echo "installing mingw-w64"
  apt-get update -qq && apt-get install -y -qq g++-mingw-w64-x86-64 >/dev/null
fi
out=prebuilds/win32-x64
obj=build/win32-x64
mkdir -p "$out" "$obj"
FLAGS=(-std=c++17 -O2 -Wall -Wextra -Werror -D_WIN32_WINNT=0x0A00 -DUNICODE -D_UNICODE)
STATIC=(-static -static-libgcc -static-libstdc++)

SHIM_SOURCES=(
  native/protocol/frame.cc native/protocol/messages.cc native/protocol/proplist.cc
  native/channel/frame_connection.cc
  native/shim/text.cc native/shim/shim_config.cc native/shim/json.cc native/shim/config_fields.cc
  native/shim/type_manifest.cc native/shim/type_schema.cc native/shim/type_config_json.cc native/shim/config_file.cc
  native/shim/monitor_callbacks.cc native/shim/pending_calls.cc
  native/shim/host_link.cc native/shim/type_runtime.cc native/shim/entry_points.cc
  native/shim/private_properties.cc native/shim/property_controls.cc
  native/shim/property_store.cc native/shim/property_store_mock.cc native/shim/property_store_clusreg.cc
  native/shim/dll_main.cc
  native/platform/semaphore_win.cc native/platform/failure_event_win.cc
  native/channel/pipe_stream_win.cc native/shim/process_launcher_win.cc native/shim/module_path_win.cc
  native/shim/library_pin_win.cc
)

echo "wsfcres.dll"
"$CXX" "${FLAGS[@]}" -shared -o "$out/wsfcres.dll" "${SHIM_SOURCES[@]}" native/shim/wsfcres.def \
  "${STATIC[@]}" -lclusapi -Wl,--no-insert-timestamp
