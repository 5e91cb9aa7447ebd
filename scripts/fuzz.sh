#!/usr/bin/env bash
# Builds the libFuzzer targets (the CMake project's fuzz preset: clang, ASan + UBSan) and runs each
# for the given time, from a corpus seeded by scripts/fuzz-seeds.mjs; prints, per target, how long
# it ran and how many inputs it executed.
# Usage: scripts/fuzz.sh [seconds per target, default 60]
# With WSFC_FUZZ_REPORT=<file>, also writes the number of targets that ran clean in the form of
# vitest's JSON report ({"numPassedTests": N, "numFailedTests": 0}), for CI's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# libFuzzer and the sanitizer runtimes are in Debian's libclang-rt-dev, which clang only recommends.
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "installing clang and its runtimes (libFuzzer, ASan, UBSan)"
  apt-get update -qq && apt-get install -y -qq clang libclang-rt-dev >/dev/null
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --parallel "${JOBS:-2}" >build/fuzz.log 2>&1 || { tail -40 build/fuzz.log; exit 1; }
summary=()
while read -r target; do
  [ -n "$target" ] || continue
  corpus="build/fuzz/corpus/$target"
  mkdir -p "$corpus"
  node scripts/fuzz-seeds.mjs "$target" "$corpus"
  log="build/fuzz/$target.log"
  start=$(date +%s)
  "build/fuzz/$target" -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 "$corpus" >"$log" 2>&1 ||
    { tail -60 "$log"; echo "$target: failed (input saved by libFuzzer above)"; exit 1; }
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  summary+=("$target: $(( $(date +%s) - start )) s, ${runs:-?} executions")
done <build/fuzz/fuzz-targets.txt
printf '%s\n' "${summary[@]}"
if [ -n "${WSFC_FUZZ_REPORT:-}" ]; then
  echo "{\"numPassedTests\": ${#summary[@]}, \"numFailedTests\": 0}" >"$WSFC_FUZZ_REPORT"
fi
