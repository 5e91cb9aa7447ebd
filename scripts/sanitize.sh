#!/usr/bin/env bash
# Builds the shim, channel, protocol and mock monitor with sanitizers and runs the native tests
# (native/tests/shim_native_test.cc, a C++ fake host instead of Node) under each:
#   ASan+UBSan, then TSan. Then the Node-hosted code with the addon built under each and the
#   sanitizer runtime preloaded into node (every host process the shim starts inherits both):
#   the mock-cluster and host-process suites under ASan+UBSan, and seeded chaos in both host modes
#   under TSan (vitest's esbuild, a Go binary, does not start with TSan preloaded; node itself is
#   not instrumented, so scripts/tsan-node.supp names the one V8-internal report that causes).
set -euo pipefail
cd "$(dirname "$0")/.."
CXX="${CXX:-g++}"
out=build/sanitize
mkdir -p "$out"
SOURCES=(
  native/protocol/frame.cc native/protocol/messages.cc native/protocol/proplist.cc
  native/channel/frame_connection.cc native/channel/inprocess_pipe.cc
  native/shim/text.cc native/shim/shim_config.cc native/shim/json.cc native/shim/config_fields.cc
  native/shim/type_manifest.cc native/shim/type_schema.cc native/shim/type_config_json.cc native/shim/config_file.cc
  native/shim/process_launcher_posix.cc native/shim/host_output_posix.cc native/shim/module_path_posix.cc native/shim/library_pin_posix.cc
  native/channel/fd_stream_posix.cc native/shim/monitor_callbacks.cc native/shim/pending_calls.cc
  native/shim/host_link.cc native/shim/type_runtime.cc native/shim/entry_points.cc
  native/shim/private_properties.cc native/shim/property_controls.cc native/shim/property_store.cc native/shim/property_store_mock.cc native/shim/property_store_none_posix.cc
  native/platform/semaphore_posix.cc native/platform/failure_event_posix.cc
  native/monitor/work_queue.cc native/monitor/monitor.cc native/monitor/monitor_callbacks.cc
  native/tests/fake_host.cc native/tests/shim_native_test.cc
)
FLAGS=(-std=c++17 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer -pthread)

echo "== native tests, plain"
"$CXX" "${FLAGS[@]}" "${SOURCES[@]}" -o "$out/native_test"
"$out/native_test"

echo "== native tests, ASan + UBSan"
"$CXX" "${FLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all "${SOURCES[@]}" -o "$out/native_test_asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 "$out/native_test_asan"

echo "== native tests, TSan"
"$CXX" "${FLAGS[@]}" -fsanitize=thread "${SOURCES[@]}" -o "$out/native_test_tsan"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$out/native_test_tsan"

# The addon built with sanitizer flags, in its own directory (the regular build stays as it is).
build_addon() { # <dir> <flags...>
  local dir="$1"; shift
  mkdir -p "$dir"
  cp binding.gyp "$dir/"
  ln -sfn ../../../native "$dir/native"
  (cd "$dir" && CFLAGS="$*" CXXFLAGS="$* -g -O1" LDFLAGS="$*" npx node-gyp rebuild -j 2 >build.log 2>&1) ||
    { tail -30 "$dir/build.log"; exit 1; }
}

echo "== Node-hosted suites, addon under ASan + UBSan"
addon="$out/addon"
build_addon "$addon" -fsanitize=address,undefined -fno-omit-frame-pointer
reports="$PWD/$out/reports"
rm -rf "$reports" && mkdir -p "$reports"
# Reports go to files: a sanitizer that stops a child host process would otherwise look like an
# ordinary host crash, which the shim survives and the tests accept.
LD_PRELOAD="$("$CXX" -print-file-name=libasan.so):$("$CXX" -print-file-name=libubsan.so)" \
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:log_path=$reports/asan" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan" \
WSFC_RESOURCE_ADDON="$PWD/$addon/build/Release/wsfc_bridge.node" \
  npx vitest run test/mock test/process test/unit/proplist-native.test.ts
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:"; cat "$reports"/*; exit 1
fi
echo "Node-hosted suites: no sanitizer report"

echo "== seeded chaos, both host modes, addon under TSan"
tsan_addon="$out/tsan-addon"
build_addon "$tsan_addon" -fsanitize=thread
rm -rf "$reports" && mkdir -p "$reports"
LD_PRELOAD="$("$CXX" -print-file-name=libtsan.so)" \
TSAN_OPTIONS="halt_on_error=0 exitcode=0 log_path=$reports/tsan suppressions=$PWD/scripts/tsan-node.supp" \
WSFC_RESOURCE_ADDON="$PWD/$tsan_addon/build/Release/wsfc_bridge.node" \
  node scripts/chaos.mjs --seconds 8 --seed 20261123 --resources 60 || chaos_status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:"; cat "$reports"/*; exit 1
fi
[ "${chaos_status:-0}" -eq 0 ] || { echo "chaos under TSan broke an invariant"; exit 1; }
echo "chaos under TSan: no report"
