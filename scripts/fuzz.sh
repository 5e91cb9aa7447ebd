#!/usr/bin/env bash
# Runs the native libFuzzer targets (clang with -fsanitize=fuzzer,address,undefined).
# Usage: scripts/fuzz.sh [seconds per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
if ! command -v clang++ >/dev/null; then
  echo "installing clang (libFuzzer ships with it)"
  apt-get update -qq && apt-get install -y -qq clang >/dev/null
fi
out=build/fuzz
mkdir -p "$out/corpus-proplist"
clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  native/fuzz/proplist_fuzz.cc native/protocol/proplist.cc -o "$out/proplist_fuzz"
# Seed with the shared vectors so the fuzzer starts from real lists.
node -e '
  const v = JSON.parse(require("fs").readFileSync("test/fixtures/proplist-vectors.json", "utf8"));
  const all = [...v.propertyLists.valid, ...v.propertyLists.malformed];
  all.forEach((x, i) => require("fs").writeFileSync(`'"$out"'/corpus-proplist/seed-${i}`, Buffer.from(x.hex.replace(/\s+/g, ""), "hex")));
'
"$out/proplist_fuzz" -max_total_time="$seconds" -max_len=4096 "$out/corpus-proplist"
