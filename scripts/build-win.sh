#!/usr/bin/env bash
# Cross-builds the Windows x64 artifacts with mingw-w64 (posix threads, static runtime, -O2,
# warnings as errors) into prebuilds/win32-x64/: wsfcres.dll (the resource DLL), mock-rhs.exe (the
# mock monitor loading it like RHS) and node.napi.node (the addon, in prebuildify's naming, linked
# against an import library made from node-api-headers' def/node_api.def).
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=x86_64-w64-mingw32-g++-posix
DLLTOOL=x86_64-w64-mingw32-dlltool
if ! command -v "$CXX" >/dev/null; then
  echo "installing mingw-w64"
  apt-get update -qq && apt-get install -y -qq g++-mingw-w64-x86-64 >/dev/null
fi
out=prebuilds/win32-x64
obj=build/win32-x64
mkdir -p "$out" "$obj"
FLAGS=(-std=c++17 -O2 -Wall -Wextra -Werror -D_WIN32_WINNT=0x0A00 -DUNICODE -D_UNICODE)
# A static C++ runtime (a cluster node has no mingw DLLs), and -s: no symbol tables in what ships,
# as prebuildify --strip does for the Linux addon (RHS and node find the exports in the export table).
STATIC=(-static -static-libgcc -static-libstdc++ -s)

# A 32-bit build must be refused at compile time (RHS is 64-bit; resapi_abi.h static_asserts it).
CXX32=i686-w64-mingw32-g++-posix
if ! command -v "$CXX32" >/dev/null; then
  apt-get update -qq && apt-get install -y -qq g++-mingw-w64-i686-posix >/dev/null
fi
if out32=$("$CXX32" -std=c++17 -fsyntax-only -D_WIN32_WINNT=0x0A00 native/shim/entry_points.cc 2>&1); then
  echo "a 32-bit build of the shim compiled; it must be refused" >&2
  exit 1
fi
grep -q "builds 64-bit resource DLLs only" <<<"$out32" || { echo "$out32" >&2; exit 1; }
echo "32-bit build refused, as it must be"

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
"$CXX" "${FLAGS[@]}" -DWSFC_SHIM_STANDALONE -shared -o "$out/wsfcres.dll" "${SHIM_SOURCES[@]}" native/shim/wsfcres.def \
  "${STATIC[@]}" -lclusapi -Wl,--no-insert-timestamp

MONITOR_SOURCES=(native/monitor/work_queue.cc native/monitor/monitor.cc native/monitor/monitor_callbacks.cc)

echo "mock-rhs.exe"
"$CXX" "${FLAGS[@]}" -o "$out/mock-rhs.exe" native/tools/mock_rhs.cc native/tools/library_loader_win.cc \
  "${MONITOR_SOURCES[@]}" native/shim/text.cc native/shim/json.cc native/platform/failure_event_win.cc \
  "${STATIC[@]}" -lshell32 -Wl,--no-insert-timestamp

echo "node.napi.node"
headers=node_modules/node-api-headers
"$DLLTOOL" -d "$headers/def/node_api.def" -l "$obj/node_api.a" -D node.exe
ADDON_SOURCES=(
  native/protocol/frame.cc native/protocol/messages.cc native/protocol/proplist.cc
  native/channel/frame_connection.cc native/channel/inprocess_pipe.cc native/channel/pipe_stream_win.cc
  native/shim/text.cc native/shim/shim_config.cc native/shim/json.cc native/shim/config_fields.cc
  native/shim/type_manifest.cc native/shim/type_schema.cc native/shim/type_config_json.cc native/shim/config_file.cc
  native/shim/monitor_callbacks.cc native/shim/pending_calls.cc native/shim/host_link.cc native/shim/type_runtime.cc
  native/shim/entry_points.cc native/shim/private_properties.cc native/shim/property_controls.cc
  native/shim/property_store.cc native/shim/property_store_mock.cc native/shim/property_store_clusreg.cc
  native/shim/process_launcher_win.cc native/shim/module_path_win.cc native/shim/library_pin_win.cc
  native/platform/semaphore_win.cc native/platform/failure_event_win.cc
  "${MONITOR_SOURCES[@]}" native/tests/contract_breaker.cc native/tests/baseline_resdll.cc native/tests/spawn_node_win.cc
  native/addon/env_registry.cc native/addon/js_frames.cc native/addon/js_proplist.cc native/addon/host_endpoint.cc
  native/addon/host_watchdog.cc native/addon/monitor_binding.cc native/addon/addon.cc native/addon/inherited_channel_win.cc
)
"$CXX" "${FLAGS[@]}" -shared -DNAPI_VERSION=8 -DNODE_ADDON_API_DISABLE_DEPRECATED -DBUILDING_NODE_EXTENSION \
  -I"$headers/include" -I"$(node -p "require('node-addon-api').include_dir")" \
  -o "$out/node.napi.node" "${ADDON_SOURCES[@]}" "$obj/node_api.a" "${STATIC[@]}" -lclusapi -Wl,--no-insert-timestamp
