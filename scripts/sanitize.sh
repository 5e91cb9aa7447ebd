#!/usr/bin/env bash
# Builds the shim, channel, protocol and mock monitor with sanitizers and runs the native tests
# (native/tests/shim_native_test.cc, a C++ fake host instead of Node) under each:
#   ASan+UBSan, then TSan. The Node-hosted suites are not run under them: Node itself is not
#   instrumented, which makes TSan reports about V8 meaningless.
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
