// Measures the host-process topology (issue 3): Startup to a ready host, host death (SIGKILL) to
// the failure report, and Terminate latency while a host is killed, busy, or gone.
//   node scripts/bench/host-process.mjs [rounds=20]
// Run `npm run build` first. Prints one JSON object.
import { fileURLToPath } from 'node:url';
import { MockCluster } from '../../dist/testing/index.js';
import { BUSY_LOOP } from '../../test/fixtures/faulty-host.mjs';

const rounds = Number(process.argv[2] ?? 20);
const module = fileURLToPath(new URL('../../test/fixtures/faulty-host.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, min: +s[0].toFixed(2), median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +s[s.length - 1].toFixed(2) };
};

async function until(pred, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timeout');
    await sleep(1);
  }
}

const startupToReady = [];
const deathToFailure = [];
const terminateAfterDeath = [];
const terminateBusyEarly = [];
const terminateBusyLate = [];
const maxCall = [];

for (let i = 0; i < rounds; i++) {
  const arrivals = new Map();
  const cluster = await MockCluster.start({ host: 'process', module, onEvent: (e) => arrivals.set(e, performance.now()) });
  const res = await cluster.createResource('FaultyHost', 'r');
  const b1 = await cluster.createResource('FaultyHost', 'b1');
  const b2 = await cluster.createResource('FaultyHost', 'b2');
  await res.online();
  const ready = cluster.events.map((e) => /ready (\d+) ms after launch/.exec(e.message ?? '')).find(Boolean);
  startupToReady.push(Number(ready[1]));
  // SIGKILL -> failure report (SignalFailure) as the test process sees it.
  const t = performance.now();
  cluster.killHost();
  await until(() => res.events.some((e) => e.kind === 'note' && e.name === 'failure'));
  deathToFailure.push(arrivals.get(res.events.find((e) => e.kind === 'note' && e.name === 'failure')) - t);
  await until(() => res.events.some((e) => e.name === 'Terminate'));
  terminateAfterDeath.push(res.events.find((e) => e.name === 'Terminate').durationMs);
  // A busy host: Terminate early (host still looks alive) and late (heartbeats missed).
  if (i < 3) {
    await sleep(20);
    await res.online();
    await b1.online();
    await b2.online();
    await res.control(BUSY_LOOP, Buffer.from('5000'));
    await sleep(100);
    await b1.terminate();
    await sleep(1200);
    await b2.terminate();
    terminateBusyEarly.push(b1.events.find((e) => e.name === 'Terminate').durationMs);
    terminateBusyLate.push(b2.events.find((e) => e.name === 'Terminate').durationMs);
  }
  maxCall.push(Math.max(...cluster.events.filter((e) => e.kind === 'call').map((e) => e.durationMs ?? 0)));
  if (cluster.violations.length) throw new Error(JSON.stringify(cluster.violations));
  await cluster.stop();
}

console.log(JSON.stringify({
  rounds,
  startupToReadyMs: stats(startupToReady),
  sigkillToFailureReportMs: stats(deathToFailure),
  terminateAfterHostDeathMs: stats(terminateAfterDeath),
  terminateBusyHostStillResponsiveMs: stats(terminateBusyEarly),
  terminateBusyHostMissedHeartbeatsMs: stats(terminateBusyLate),
  slowestEntryPointPerRoundMs: stats(maxCall),
}, null, 2));
