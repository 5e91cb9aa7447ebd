// The node a test's host process runs with: this one (MockCluster's default), unless
// WSFC_TEST_HOST_NODE names another command. The arm64 tier sets it to a qemu-user wrapper:
// without binfmt_misc, an emulated node cannot exec another arm64 node directly.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const hostNode: { node?: string } = process.env.WSFC_TEST_HOST_NODE ? { node: process.env.WSFC_TEST_HOST_NODE } : {};

let measuredStartMs: number | undefined;

/**
 * How long that node takes here to start and load the package as a host does (measured once per
 * test file, from test/fixtures, where the fixtures resolve 'wsfc-resource'): ~150 ms for Linux
 * node, seconds for Windows node under Wine or arm64 node under qemu. For test-side waits that
 * must cover a host's start (a handshake deadline the test sets itself, how long to wait for a
 * failure that follows one); never for the product's budgets, which hold everywhere.
 */
export function hostStartMs(): number {
  if (measuredStartMs === undefined) {
    const t = performance.now();
    const r = spawnSync(hostNode.node ?? process.execPath, ['--input-type=module', '-e', "await import('wsfc-resource')"], {
      cwd: fileURLToPath(new URL('../fixtures/', import.meta.url)),
      stdio: 'ignore',
      timeout: 60000,
    });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`node could not import wsfc-resource (exit ${r.status})`);
    measuredStartMs = performance.now() - t;
  }
  return measuredStartMs;
}
