// mock-rhs driving the standalone libwsfcres.so, deployed with its `<library name>.json`: a
// scenario file gives the same event sequence as the in-process mode for the lifecycle scenario,
// and when the RHS stand-in dies, its host process follows (no orphan survives RHS).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { encodePropertyList, manifestOf } from '../../lib/index.js';
import { toPropertyList } from '../../lib/props.js';
import { MockCluster, type TimelineEvent } from '../../lib/testing/index.js';
import Lifecycle from '../fixtures/lifecycle-type.mjs';
import { running } from '../support/procfs.js';
import { deploy, hostMain, mockRhs, removeScratchDirs, runMockRhs } from '../support/standalone.js';
import { calls, logs, states, statuses, until } from '../support/timeline.js';

afterAll(removeScratchDirs);

const module = fileURLToPath(new URL('../fixtures/lifecycle-type.mjs', import.meta.url));
const config = (logFile: string) => ({ version: 1, manifest: manifestOf(Lifecycle), host: { node: process.execPath, main: hostMain, module, logFile } });
const properties = encodePropertyList(toPropertyList(Lifecycle.properties, { DataDir: '/tmp/c', Port: 7000 })).toString('hex');

// The lifecycle scenario of test/support/lifecycle-suite.ts, as mock-rhs commands.
const scenario = [
  { id: 1, op: 'open', name: 'cache1', properties },
  { id: 2, op: 'online', resource: 'cache1' },
  { id: 3, op: 'looksAlive', resource: 'cache1' },
  { id: 4, op: 'isAlive', resource: 'cache1' },
  { id: 5, op: 'offline', resource: 'cache1' },
  { id: 6, op: 'isAlive', resource: 'cache1' },
  { id: 7, op: 'close', resource: 'cache1' },
];

/** What must match between the two modes: the calls, and the resource's states, reports, logs. */
function shape(events: readonly TimelineEvent[]) {
  const mine = events.filter((e) => e.resource === 'cache1');
  return { calls: calls(events), states: states(mine), statuses: statuses(mine), logs: logs(mine) };
}

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe.each(['v1', 'v2'] as const)('mock-rhs on %s', (resapi) => {
  test('a scenario file gives the same event sequence as the in-process mode', async () => {
    const { dir, library, logFile } = deploy();
    writeFileSync(join(dir, 'libwsfcres.json'), JSON.stringify(config(logFile)));
    const file = join(dir, 'lifecycle.jsonl');
    writeFileSync(file, scenario.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const standalone = await runMockRhs(library, 'LifecycleType', readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as object), ['--resapi', resapi]);
    expect(standalone.stderr).toBe('');
    expect(standalone.code).toBe(0);
    const results = standalone.lines.filter((l) => 'id' in l);
    expect(results.map((r) => [r.op, r.status, r.state ?? r.alive])).toEqual([
      ['open', 0, 'Offline'], ['online', 0, 'Online'], ['looksAlive', 0, true], ['isAlive', 0, true],
      ['offline', 0, 'Offline'], ['isAlive', 0, false], ['close', 0, 'Closed'],
    ]);

    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Lifecycle, 'cache1', { properties: { DataDir: '/tmp/c', Port: 7000 } });
    await res.online();
    await res.looksAlive();
    await res.isAlive();
    await res.offline();
    await res.isAlive();
    await res.close();

    expect(shape(standalone.events)).toEqual(shape(cluster.events));
    expect(shape(standalone.events).calls[0]).toBe(resapi === 'v1' ? 'Startup=0' : 'StartupEx=0');
    expect(standalone.events.filter((e) => e.kind === 'violation')).toEqual([]);
    for (const e of standalone.events.filter((e) => e.kind === 'call')) expect(e.durationMs).toBeLessThan(300);
    // The host ran as a process of its own, and its output went to the configured log file.
    expect(standalone.events.some((e) => e.kind === 'log' && /^host process \d+ ready \d+ ms after launch/.test(e.message ?? ''))).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toMatch(/^--- wsfc-resource: host process \d+ started: /);
  });
});

test('when the RHS stand-in is killed, its host process exits by itself', async () => {
  const { dir, logFile, library } = deploy();
  writeFileSync(join(dir, 'libwsfcres.json'), JSON.stringify(config(logFile)));
  const child = spawn(mockRhs, [library, 'LifecycleType'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.write(`${JSON.stringify(scenario[0])}\n${JSON.stringify(scenario[1])}\n`);  // open, online; stdin stays open
  await until(() => out.includes('"op":"online"'), 'the resource to be online');
  const pid = Number(/host process (\d+) ready/.exec(out)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(running(pid)).toBe(true);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');  // no cleanup of any kind on the shim's side
  await exited;
  // The host sees its channel close and exits; it is no longer our child, so it may linger as a
  // zombie until its new parent reaps it — running() treats that as gone.
  // (Its farewell line on stderr is lost: the reader of that pipe was the shim that died.)
  const t = performance.now();
  await until(() => !running(pid), `host ${pid} to exit after its shim died`, 5000);
  expect(performance.now() - t).toBeLessThan(2000);
});
