// npm run chaos -- --seconds N --seed S [--resources R] [--host inprocess|process]: long seeded
// chaos runs, by default one per host mode (see lib/testing/chaos.ts for what they do and
// assert), then the same for a three-node cluster (lib/testing/cluster-chaos.ts: 50 resources in
// 10 groups, moves, node crashes and restores). Exits 1 if any invariant broke.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatHistogram, runChaos } from '../dist/testing/chaos.js';
import { formatClusterChaos, runClusterChaos } from '../dist/testing/cluster-chaos.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, seed: { type: 'string' }, resources: { type: 'string' }, host: { type: 'string' } },
});
const seconds = Number(values.seconds ?? 60);
const seed = Number(values.seed ?? Date.now() % 100000);
const hosts = values.host ? [values.host] : ['inprocess', 'process'];
// The process host loads ChaosType from the compiled chaos module itself.
const module = fileURLToPath(new URL('../dist/testing/chaos.js', import.meta.url));

function problemsOf(report) {
  return [
    ...report.slowCalls.map((c) => `slow call: ${c.resource} ${c.name} ${c.durationMs} ms`),
    ...report.violations.map((v) => `violation: ${v.resource} ${v.kind} ${v.message}`),
    ...report.overlaps.map((o) => `overlap: ${o}`),
    ...report.propertyMismatches.map((m) => `property: ${m}`),
    ...report.orphans.map((pid) => `orphan process ${pid}`),
    ...report.terminateSurvivors.map((s) => `outlived its Terminate: ${s}`),
  ];
}

let failed = 0;
for (const host of hosts) {
  console.log(`== chaos: ${host} host, ${seconds} s, seed ${seed}`);
  const report = await runChaos({ seconds, seed, host, module, resources: Number(values.resources ?? 200), log: console.log });
  console.log(`${report.calls} entry-point calls, ${report.hostKills} host kills, ${report.garbageWrites} garbage writes, operations ${JSON.stringify(report.operations)}`);
  console.log('entry-point latency histogram:');
  for (const line of formatHistogram(report)) console.log(line);
  const rss = report.rssMb;
  const gaps = report.terminateChildGapsMs;
  console.log(`${gaps.length} Terminates of a resource with a child; child gone at most ${gaps.length ? Math.max(...gaps).toFixed(1) : '-'} ms after Terminate returned`);
  console.log(`max entry point ${report.maxCallMs.toFixed(2)} ms; RSS ${rss.start.toFixed(0)} -> ${rss.middle.toFixed(0)} -> ${rss.end.toFixed(0)} MB`);
  const problems = problemsOf(report);
  for (const p of problems) console.log(p);
  console.log(problems.length ? `FAILED: ${problems.length} problem(s)` : 'all invariants held');
  failed += problems.length;
}
const clusterModule = fileURLToPath(new URL('../dist/testing/cluster-chaos.js', import.meta.url));
for (const host of hosts) {
  console.log(`== cluster chaos: ${host} host, ${seconds} s, seed ${seed}`);
  const report = await runClusterChaos({ seconds, seed, host, module: clusterModule });
  for (const line of formatClusterChaos(report)) console.log(line);
  const problems = [
    ...report.violations.map((v) => `violation: ${v.node ?? ''} ${v.resource} ${v.kind} ${v.message}`),
    ...report.notOnlineAtEnd.map((g) => `not online at the end: ${g}`),
    ...report.misplaced.map((r) => `misplaced: ${r}`),
  ];
  for (const p of problems) console.log(p);
  console.log(problems.length ? `FAILED: ${problems.length} problem(s)` : 'all invariants held');
  failed += problems.length;
}
// exitCode, not exit(): a normal end runs the addon's cleanup hooks, which join its threads.
process.exitCode = failed ? 1 : 0;
