// npm run bench: what the bridge costs, measured side by side in one run (issue: benchmarks).
// Writes BENCHMARKS.md and BENCHMARKS.json at the repository root. Numbers are from this machine
// and this run only; compare ratios within the run, not absolute times across runs.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { native } from '../../dist/native.js';
import { defineResourceType } from '../../dist/index.js';
import { BUSY_LOOP } from '../../test/fixtures/faulty-host.mjs';
import { baselineSystem, inprocessSystem, processSystem } from './systems.mjs';
import { fmt, percentiles, table } from './stats.mjs';

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('../../', import.meta.url));
const us = (events, names, from = 0) =>
  events.slice(from).filter((e) => e.kind === 'call' && names.includes(e.name)).map((e) => e.durationMs * 1000);
const report = { machine: {}, roundTrip: {}, throughput: { rows: [] }, terminate: {}, memory: {}, coldStart: {} };
const md = [];

// ---- 1. entry-point round trip ----------------------------------------------------------------
async function roundTrip() {
  const rounds = quick ? 2 : 5;
  const perRound = quick ? 300 : 2000;
  const systems = {
    native: await baselineSystem('NativeBaseline'),
    inprocess: await inprocessSystem(),
    process: await processSystem(),
    spawnPerCall: await baselineSystem('SpawnPerCall'),
  };
  for (const s of Object.values(systems)) await s.create(1);
  const samples = { native: [], inprocess: [], process: [], spawnPerCall: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, s] of Object.entries(systems)) {
      const n = name === 'spawnPerCall' ? (quick ? 5 : 20) : perRound;
      const from = s.events.length;
      for (let i = 0; i < n; i++) await s.call(0, i % 2 ? 'isAlive' : 'looksAlive');
      // The first round warms caches and JIT; it is not counted.
      if (round > 0) samples[name].push(...us(s.events, ['LooksAlive', 'IsAlive'], from));
    }
  }
  for (const s of Object.values(systems)) await s.stop();
  const rows = [];
  const nativeP50 = percentiles(samples.native).p50;
  const spawnP50 = percentiles(samples.spawnPerCall).p50;
  for (const [name, xs] of Object.entries(samples)) {
    const p = percentiles(xs);
    report.roundTrip[name] = { p50Us: p.p50, p99Us: p.p99, p90Us: p.p90, p999Us: p.p999, maxUs: p.max, n: p.n };
    rows.push([name, p.n, fmt(p.p50, 2), fmt(p.p90, 2), fmt(p.p99, 2), fmt(p.p999, 2), fmt(p.max, 2),
      `${fmt(p.p50 / nativeP50, 0)}x`, `${fmt(p.p50 / spawnP50, 4)}x`]);
  }
  md.push('## Entry-point round trip (LooksAlive/IsAlive answering a constant), microseconds', '',
    table(['system', 'calls', 'p50', 'p90', 'p99', 'p99.9', 'max', 'p50 / native', 'p50 / spawn-per-call'], rows), '',
    'native: a minimal C++ resource library under the same monitor; process: the handlers in a child host process; spawnPerCall: `node -e 0` per check.', '');
}

// ---- 2. throughput ------------------------------------------------------------------------------
async function throughput() {
  const window = 256;
  const calls = quick ? 3000 : 20000;
  const rows = [];
  let best = 0;
  for (const threads of [1, 4, 16]) {
    for (const count of [1, 100, 1000]) {
      const s = await inprocessSystem({ threads });
      await s.create(count);
      const from = s.events.length;
      const t0 = performance.now();
      let issued = 0;
      const worker = async () => {
        while (issued < calls) {
          const i = issued++;
          await s.call(i, 'looksAlive');
        }
      };
      await Promise.all(Array.from({ length: window }, worker));
      const seconds = (performance.now() - t0) / 1000;
      const p = percentiles(us(s.events, ['LooksAlive'], from));
      const rate = calls / seconds;
      best = Math.max(best, rate);
      report.throughput.rows.push({ threads, resources: count, callsPerSec: rate, p50Us: p.p50, p99Us: p.p99 });
      rows.push([threads, count, fmt(rate, 0), fmt(p.p50), fmt(p.p99)]);
      await s.stop();
    }
  }
  report.throughput.maxCallsPerSec = best;
  md.push(`## Throughput: ${calls} LooksAlive calls, ${window} outstanding, in-process host`, '',
    table(['monitor threads', 'resources', 'calls/s', 'p50 µs', 'p99 µs'], rows), '');
}

// ---- 3. Terminate latency -----------------------------------------------------------------------
async function terminate() {
  const Stuck = defineResourceType({ name: 'BenchStuck', open: () => ({ online: () => new Promise(() => {}) }) });
  const s = await inprocessSystem({ type: Stuck });
  await s.create(1, false);
  const r = s.resources[0];
  const n = quick ? 30 : 200;
  for (let i = 0; i < n; i++) {
    const pending = r.online();
    while (r.state !== 'OnlinePending') await new Promise((res) => setImmediate(res));
    await r.terminate();
    await pending;
  }
  const ms = us(s.events, ['Terminate']).map((x) => x / 1000);
  await s.stop();
  const p = percentiles(ms);
  // The host's event loop busy-loops (process host): Terminate cannot get an answer and must still
  // return within its 250 ms wait.
  const b = await processSystem();
  await b.create(1);
  const busy = b.resources[0];
  for (let i = 0; i < (quick ? 3 : 12); i++) {
    const loop = busy.control(BUSY_LOOP, Buffer.from('700')).catch(() => undefined);
    await new Promise((res) => setTimeout(res, 20));
    await busy.terminate();
    await loop;
    await new Promise((res) => setTimeout(res, 750));
    await busy.online();
  }
  const blocked = percentiles(us(b.events, ['Terminate']).map((x) => x / 1000));
  await b.stop();
  report.terminate = { awaitingP50Ms: p.p50, awaitingP99Ms: p.p99, blockedLoopP50Ms: blocked.p50, blockedLoopP99Ms: blocked.p99 };
  md.push('## Terminate latency, milliseconds', '',
    table(['scenario', 'n', 'p50', 'p99', 'max'], [['handler awaits forever (in-process host)', p.n, fmt(p.p50, 3), fmt(p.p99, 3), fmt(p.max, 3)],
      ['host event loop busy-looping (process host)', blocked.n, fmt(blocked.p50, 3), fmt(blocked.p99, 3), fmt(blocked.max, 3)]]), '');
}

// ---- 4. memory ----------------------------------------------------------------------------------
async function memory() {
  const rows = [];
  for (const count of [1, 100, 1000]) {
    global.gc?.();
    const s = await inprocessSystem();
    const heap0 = native().nativeHeapBytes();
    const js0 = process.memoryUsage().heapUsed;
    await s.create(count, false);
    global.gc?.();
    const perNative = (native().nativeHeapBytes() - heap0) / count;
    const perJs = (process.memoryUsage().heapUsed - js0) / count;
    rows.push([count, fmt(perNative, 0), fmt(perJs, 0), fmt(process.memoryUsage().rss / 1048576, 1)]);
    if (count === 1000) report.memory = { nativeBytesPerResource: perNative, jsHeapBytesPerResource: perJs, hostRssMb: process.memoryUsage().rss / 1048576 };
    await s.stop();
  }
  md.push('## Memory per resource (in-process host: the native side includes the monitor\'s own record)', '',
    table(['resources', 'native bytes/resource', 'JS heap bytes/resource', 'process RSS MB'], rows), '');
}

// ---- 5. cold start ------------------------------------------------------------------------------
async function coldStart() {
  const rows = [];
  for (const [name, make] of [['in-process host', inprocessSystem], ['process host', processSystem]]) {
    const ready = [];
    const onlines = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      const s = await make();
      const t0 = performance.now();
      await s.create(1, false);
      const startup = s.events.find((e) => e.kind === 'call' && e.name === 'StartupEx');
      const readyAt = () => s.events.find((e) => e.kind === 'log' && /is ready/.test(e.message ?? ''));
      while (!readyAt() && performance.now() - t0 < 10000) await new Promise((res) => setTimeout(res, 1));
      ready.push(readyAt().at - startup.at);
      const t1 = performance.now();
      await s.resources[0].online();
      onlines.push(performance.now() - t1);
      await s.stop();
    }
    const a = percentiles(ready);
    const b = percentiles(onlines);
    if (name === 'process host') report.coldStart = { hostReadyMs: a.p50, firstOnlineMs: b.p50 };
    else report.coldStart.inprocessHostReadyMs = a.p50;
    rows.push([name, fmt(a.p50, 2), fmt(a.max, 2), fmt(b.p50, 2), fmt(b.max, 2)]);
  }
  md.push('## Cold start, milliseconds', '',
    table(['host', 'Startup -> host ready p50', 'max', 'first Online -> Online p50', 'max'], rows), '');
}

const cpu = os.cpus()[0]?.model ?? 'unknown';
report.machine = { platform: `${os.type()} ${os.release()}`, arch: os.arch(), cpu, cores: os.cpus().length, memoryGb: os.totalmem() / 2 ** 30, node: process.version, quick };
for (const step of [roundTrip, throughput, terminate, memory, coldStart]) {
  process.stdout.write(`${step.name}... `);
  const t0 = Date.now();
  await step();
  console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const header = ['# Benchmarks', '', 'Generated by `npm run bench` (scripts/bench/bench.mjs); do not edit by hand.', '',
  `Machine: ${report.machine.platform} ${report.machine.arch}, ${cpu}, ${report.machine.cores} cores, ${fmt(report.machine.memoryGb, 0)} GiB, Node ${process.version}.`,
  'Every system runs under the same native mock monitor; times are entry-point durations as the monitor measured them.', ''];
writeFileSync(`${root}BENCHMARKS.md`, [...header, ...md].join('\n'));
writeFileSync(`${root}BENCHMARKS.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log([...md].join('\n'));
