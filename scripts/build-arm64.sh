#!/usr/bin/env bash
# Cross-builds the Linux arm64 addons (the CMake project's linux-arm64 preset: Debian's aarch64
# toolchain, warnings as errors) and installs what ships into prebuilds/linux-arm64/:
# wsfc-host.node and wsfc-mock.node, stripped, N-API, named as for linux-x64.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v aarch64-linux-gnu-g++ >/dev/null; then
  echo "installing g++-aarch64-linux-gnu"
  apt-get update -qq && apt-get install -y -qq g++-aarch64-linux-gnu >/dev/null
fi
cmake --preset linux-arm64 >/dev/null
cmake --build --preset linux-arm64 --parallel "${JOBS:-2}"
rm -rf prebuilds/linux-arm64
cmake --install build/linux-arm64 --component prebuild --strip --prefix prebuilds/linux-arm64 >/dev/null
# The manifest prepack checks: what this was built from (prebuild.mjs --check compares hashes).
node scripts/prebuild.mjs --record linux-arm64
