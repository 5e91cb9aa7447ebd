#!/usr/bin/env bash
# The CMake project's sanitizer presets, and what runs under each:
#   ASan+UBSan (preset asan): the native tests (ctest: the shim and monitor with a C++ fake host
#     instead of Node), then the mock-cluster and host-process suites with the addons of that
#     build and the sanitizer runtime preloaded into node (every host process the shim starts
#     inherits both);
#   TSan (preset tsan): the native tests, then seeded chaos in both host modes (vitest's esbuild,
#     a Go binary, does not start with TSan preloaded; node itself is not instrumented, so
#     scripts/tsan-node.supp names the V8-internal reports that causes).
# First the native tests of the regular build (build/native, ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
CXX="${CXX:-g++}"
jobs="${JOBS:-2}"
reports="$PWD/build/sanitize-reports"

build() { # <preset>
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" --parallel "$jobs" >"build/$1.log" 2>&1 || { tail -40 "build/$1.log"; exit 1; }
}

echo "== native tests, plain"
npm run -s build:native >/dev/null
ctest --test-dir build/native --output-on-failure --no-tests=error

echo "== ASan + UBSan: native tests"
build asan
ctest --preset asan --no-tests=error
echo "== ASan + UBSan: Node-hosted suites"
rm -rf "$reports" && mkdir -p "$reports"
# Reports go to files: a sanitizer that stops a child host process would otherwise look like an
# ordinary host crash, which the shim survives and the tests accept.
LD_PRELOAD="$("$CXX" -print-file-name=libasan.so):$("$CXX" -print-file-name=libubsan.so)" \
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:log_path=$reports/asan" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan" \
WSFC_RESOURCE_ADDON_DIR="$PWD/build/asan" \
  npx vitest run test/mock test/process test/unit/proplist-native.test.ts
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:"; cat "$reports"/*; exit 1
fi
echo "Node-hosted suites: no sanitizer report"

echo "== TSan: native tests"
build tsan
ctest --preset tsan --no-tests=error
echo "== TSan: seeded chaos, both host modes"
rm -rf "$reports" && mkdir -p "$reports"
LD_PRELOAD="$("$CXX" -print-file-name=libtsan.so)" \
TSAN_OPTIONS="halt_on_error=0 exitcode=0 log_path=$reports/tsan suppressions=$PWD/scripts/tsan-node.supp" \
WSFC_RESOURCE_ADDON_DIR="$PWD/build/tsan" \
  node scripts/chaos.mjs --seconds 8 --seed 20261123 --resources 60 || chaos_status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:"; cat "$reports"/*; exit 1
fi
[ "${chaos_status:-0}" -eq 0 ] || { echo "chaos under TSan broke an invariant"; exit 1; }
echo "chaos under TSan: no report"
