// The Windows tier: mock-rhs.exe -> wsfcres.dll -> Windows node.exe -> the win32 addon -> a
// resource module, all under Wine, with the assertions of the Linux mock-rhs suite.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clusctl, decodePropertyList, encodePropertyList, userCode } from '../../lib/index.js';
import { removeStaged, root, runUnderWine, stage, wineEnv, type Run } from './wine.js';

const HANG_NEXT_ONLINE = userCode(1);
const EXIT_HOST = userCode(2);
const WHO = userCode(3);
const PRINT = userCode(1); // test/fixtures/chatty-type.mjs
let manifest: unknown;
const hex = (b: Buffer) => b.toString('hex');
const calls = (r: Run, resource = 'r1') =>
  r.events.filter((e) => e.kind === 'call' && e.resource === resource).map((e) => `${e.name}=${e.result}`);
const states = (r: Run) => r.events.filter((e) => e.kind === 'state').map((e) => e.name);
const maxCallMs = (r: Run) => Math.max(...r.events.filter((e) => e.kind === 'call').map((e) => e.durationMs ?? 0));
const violations = (r: Run) => r.events.filter((e) => e.kind === 'violation');
const output = (r: Run, id: number) => Buffer.from(String(r.results.get(id)?.output ?? ''), 'hex');

afterAll(async () => {
  spawnSync('wineserver', ['-k'], { env: { ...process.env, ...wineEnv() }, stdio: 'ignore' });
  removeStaged();
  (await import('../support/standalone.js')).removeScratchDirs();
});

beforeAll(() => {
  // One wineserver for the whole file: otherwise each run starts its own, and a run that begins
  // while the previous one's server is shutting down can fail to start at all.
  // It daemonizes (no pipes to hold open); one already running for this prefix is as good.
  spawnSync('wineserver', ['-p'], { env: { ...process.env, ...wineEnv() }, stdio: 'ignore' });
  manifest = JSON.parse(execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'manifest', join(root, 'test/fixtures/wine-probe.mjs')], { encoding: 'utf8' }));
});

const lifecycle = [
  { id: 1, op: 'open', name: 'r1', properties: hex(encodePropertyList([{ name: 'Label', format: 'sz', value: 'wine' }])) },
  { id: 2, op: 'online', resource: 'r1' },
  { id: 3, op: 'looksAlive', resource: 'r1' },
  { id: 4, op: 'isAlive', resource: 'r1' },
  { id: 5, op: 'control', resource: 'r1', code: WHO, input: '', outputSize: 4096 },
  { id: 6, op: 'offline', resource: 'r1' },
  { id: 7, op: 'close', resource: 'r1' },
];

describe.each([['v2', []], ['v1', ['--resapi', 'v1']]] as const)('lifecycle on %s', (version, args) => {
  test('open, online, health, a control code, offline, close: the Linux sequence, inside the budget', async () => {
    const { dir } = stage('wine-probe.mjs', manifest);
    const r = await runUnderWine(dir, 'WineProbe', lifecycle, [...args]);
    expect(r.stderr).toBe('');
    expect(r.code, `mock-rhs.exe failed: ${r.stderr}`).toBe(0);
    expect(calls(r)).toEqual(['Open=1', 'Online=997', 'LooksAlive=1', 'IsAlive=1', 'ResourceControl=0', 'Offline=997', 'Close=0']);
    expect(states(r)).toEqual(['OnlinePending', 'Online', 'OfflinePending', 'Offline', 'Closed']);
    expect(output(r, 5).toString()).toMatch(/^win32 \d+ wine$/);
    expect(r.events.some((e) => e.kind === 'call' && e.name === (version === 'v1' ? 'Startup' : 'StartupEx'))).toBe(true);
    expect(maxCallMs(r)).toBeLessThan(300);
    expect(violations(r)).toEqual([]);
    // The same calls, states and results as the standalone Linux library gives (test/process).
    const linux = await linuxSequence(args);
    if (linux) expect({ calls: calls(r), states: states(r) }).toEqual(linux);
  }, 120000);
});

test('DLL, node.exe command line, host and module under a folder named outside any ANSI code page', async () => {
  const { dir } = stage('wine-probe.mjs', manifest, true);
  const r = await runUnderWine(dir, 'WineProbe', lifecycle);
  expect(r.stderr).toBe('');
  expect(r.code, `mock-rhs.exe failed: ${r.stderr}`).toBe(0);
  expect(calls(r)).toEqual(['Open=1', 'Online=997', 'LooksAlive=1', 'IsAlive=1', 'ResourceControl=0', 'Offline=997', 'Close=0']);
  expect(violations(r)).toEqual([]);
}, 120000);

test('Terminate during a hung Online returns within 250 ms and the late result is ignored', async () => {
  const { dir } = stage('wine-probe.mjs', manifest);
  const r = await runUnderWine(dir, 'WineProbe', [
    { id: 1, op: 'open', name: 'r1' },
    { id: 2, op: 'control', resource: 'r1', code: HANG_NEXT_ONLINE, input: '', outputSize: 0 },
    { id: 3, op: 'online', resource: 'r1', async: true },
    { id: 4, op: 'sleep', ms: 1500 },
    { id: 5, op: 'terminate', resource: 'r1' },
    { id: 6, op: 'sleep', ms: 300 },
    { id: 7, op: 'close', resource: 'r1' },
  ]);
  expect(r.code, `mock-rhs.exe failed: ${r.stderr}`).toBe(0);
  const terminate = r.events.find((e) => e.kind === 'call' && e.name === 'Terminate');
  expect(terminate?.durationMs).toBeLessThan(250);
  expect(r.results.get(3)?.state).toBe('Offline');
  expect(r.events.filter((e) => e.kind === 'status' && e.name === 'Online')).toEqual([]);
  expect(violations(r)).toEqual([]);
}, 120000);

test('a host that dies is reported, and the next Online starts a new one', async () => {
  const { dir } = stage('wine-probe.mjs', manifest);
  const r = await runUnderWine(dir, 'WineProbe', [
    { id: 1, op: 'open', name: 'r1' },
    { id: 2, op: 'online', resource: 'r1' },
    { id: 3, op: 'control', resource: 'r1', code: WHO, input: '', outputSize: 4096 },
    { id: 4, op: 'control', resource: 'r1', code: EXIT_HOST, input: '', outputSize: 0 },
    { id: 5, op: 'sleep', ms: 1500 },
    { id: 6, op: 'isAlive', resource: 'r1' },
    { id: 7, op: 'online', resource: 'r1' },
    { id: 8, op: 'control', resource: 'r1', code: WHO, input: '', outputSize: 4096 },
    { id: 9, op: 'offline', resource: 'r1' },
    { id: 10, op: 'close', resource: 'r1' },
  ]);
  expect(r.code, `mock-rhs.exe failed: ${r.stderr}`).toBe(0);
  expect(r.events.some((e) => e.kind === 'note' && e.name === 'failure' && e.message === 'SignalFailure(5038)')).toBe(true);
  expect(r.results.get(6)?.alive).toBe(false);
  expect(r.results.get(7)?.state).toBe('Online');
  const before = output(r, 3).toString().split(' ')[1];
  const after = output(r, 8).toString().split(' ')[1];
  expect(after).toBeDefined();
  expect(after).not.toBe(before);
  expect(maxCallMs(r)).toBeLessThan(300);
  expect(violations(r)).toEqual([]);
}, 120000);

test('host output: read by the DLL from pipes, to the cluster log and a log file bounded by rotation', async () => {
  const chattyManifest = JSON.parse(execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'manifest', join(root, 'test/fixtures/chatty-type.mjs')], { encoding: 'utf8' }));
  const { dir, logFile } = stage('chatty-type.mjs', chattyManifest);
  const configFile = join(dir, 'wsfcres.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const bound = 64 * 1024;
  config.host.logMaxBytes = bound;
  writeFileSync(configFile, JSON.stringify(config));
  const print = Array.from({ length: 12 }, (_, i) => [
    { id: 10 + 2 * i, op: 'control', resource: 'r1', code: PRINT, input: Buffer.from(`${bound},100`).toString('hex'), outputSize: 64 },
    { id: 11 + 2 * i, op: 'sleep', ms: 150 },
  ]).flat();
  const r = await runUnderWine(dir, 'ChattyType', [
    { id: 1, op: 'open', name: 'r1' },
    { id: 2, op: 'online', resource: 'r1' },
    ...print,
    { id: 90, op: 'sleep', ms: 1000 },
    { id: 91, op: 'offline', resource: 'r1' },
    { id: 92, op: 'close', resource: 'r1' },
  ]);
  expect(r.code, `mock-rhs.exe failed: ${r.stderr}`).toBe(0);
  expect(print.filter((c) => c.op === 'control').map((c) => output(r, c.id).toString())).toEqual(Array(12).fill('printed'));
  // 12 rounds of 64 KiB: rotated, never past the bound, the last round kept.
  expect(statSync(logFile).size).toBeLessThanOrEqual(bound);
  expect(statSync(`${logFile}.1`).size).toBeLessThanOrEqual(bound);
  expect(readFileSync(`${logFile}.1`, 'utf8') + readFileSync(logFile, 'utf8')).toContain('out 00000654 ');
  const hostLines = r.events.filter((e) => /^host (stdout|stderr): (out|err) \d{8} /.test(e.message ?? ''));
  expect(hostLines.length).toBeGreaterThan(0);
  expect(hostLines.length).toBeLessThanOrEqual(50);
  expect(maxCallMs(r)).toBeLessThan(300);
  expect(violations(r)).toEqual([]);
}, 120000);

test('private properties: SET checked natively and by validate, GET answers what was stored', async () => {
  const { dir } = stage('wine-probe.mjs', manifest);
  const set = (id: number, list: Parameters<typeof encodePropertyList>[0]) => ({
    id, op: 'control', resource: 'r1', code: clusctl.RESOURCE_SET_PRIVATE_PROPERTIES, input: hex(encodePropertyList(list)), outputSize: 0,
  });
  const r = await runUnderWine(dir, 'WineProbe', [
    { id: 1, op: 'open', name: 'r1' },
    // The validate hook runs in the host: wait until Windows node.exe has started under Wine
    // (an Online completes only then; a fixed sleep was too short on a loaded machine, where
    // node.exe takes several seconds to start), then SET on the offline resource.
    { id: 90, op: 'online', resource: 'r1' },
    { id: 91, op: 'offline', resource: 'r1' },
    set(2, [{ name: 'Port', format: 'dword', value: 8080 }]),
    set(3, [{ name: 'Port', format: 'dword', value: 70000 }]),
    set(4, [{ name: 'Label', format: 'sz', value: 'forbidden' }]),
    { id: 5, op: 'control', resource: 'r1', code: clusctl.RESOURCE_GET_PRIVATE_PROPERTIES, input: '', outputSize: 4096 },
    { id: 6, op: 'close', resource: 'r1' },
  ]);
  expect(r.code, `mock-rhs.exe failed: ${r.stderr}`).toBe(0);
  expect([2, 3, 4].map((id) => r.results.get(id)?.status)).toEqual([0, 87, 87]);
  expect(decodePropertyList(output(r, 5))).toEqual([
    { name: 'Port', format: 'dword', value: 8080 },
    { name: 'Label', format: 'sz', value: 'probe' },
  ]);
  expect(violations(r)).toEqual([]);
}, 120000);

test('round-trip latency through mock-rhs.exe under Wine, against the Linux mock-rhs in the same run', async () => {
  const scenario = [{ id: 1, op: 'open', name: 'r1' }, { id: 2, op: 'online', resource: 'r1' }];
  for (let i = 0; i < 300; i++) scenario.push({ id: 3 + i, op: i % 2 ? 'isAlive' : 'looksAlive', resource: 'r1' } as never);
  scenario.push({ id: 1000, op: 'close', resource: 'r1' } as never);
  const { dir } = stage('wine-probe.mjs', manifest);
  const wine = await runUnderWine(dir, 'WineProbe', scenario);
  const p50 = (r: Run) => {
    const d = r.events.filter((e) => e.kind === 'call' && (e.name === 'LooksAlive' || e.name === 'IsAlive')).map((e) => (e.durationMs ?? 0) * 1000).sort((a, b) => a - b);
    return d[Math.floor(d.length / 2)]!;
  };
  const linux = await linuxRun(scenario, []);
  const line = `round trip p50: Wine ${p50(wine).toFixed(0)} us` + (linux ? `, Linux ${p50(linux).toFixed(0)} us, ratio ${(p50(wine) / p50(linux)).toFixed(1)}x` : '');
  console.log(line);
  expect(violations(wine)).toEqual([]);
  expect(maxCallMs(wine)).toBeLessThan(300);
}, 120000);

// The same scenario through the standalone Linux library (built by `npm run build:native`).
async function linuxRun(scenario: object[], args: readonly string[]): Promise<Run | undefined> {
  const { deploy, runMockRhs, hostMain } = await import('../support/standalone.js');
  if (!existsSync(join(root, 'build/native/libwsfcres.so'))) return undefined;
  const { dir, library, logFile } = deploy();
  const config = { version: 1, manifest, host: { node: process.execPath, main: hostMain, module: join(root, 'test/fixtures/wine-probe.mjs'), logFile } };
  writeFileSync(join(dir, 'libwsfcres.json'), JSON.stringify(config));
  const r = await runMockRhs(library, 'WineProbe', scenario, [...args]);
  const results = new Map<number, Record<string, unknown>>();
  for (const l of r.lines) if (typeof l.id === 'number') results.set(l.id, l);
  return { code: r.code, lines: r.lines, events: r.events, results, stderr: r.stderr, wallMs: 0 };
}

async function linuxSequence(args: readonly string[]) {
  const r = await linuxRun(lifecycle, args);
  return r && { calls: calls(r), states: states(r) };
}

