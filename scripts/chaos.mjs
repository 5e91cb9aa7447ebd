// npm run chaos -- --seconds N --seed S [--resources R]: a long seeded chaos run (see
// lib/testing/chaos.ts for what it does and asserts). Exits 1 if any invariant broke.
import { parseArgs } from 'node:util';
import { formatHistogram, runChaos } from '../dist/testing/chaos.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, seed: { type: 'string' }, resources: { type: 'string' } } });
const seconds = Number(values.seconds ?? 60);
const seed = Number(values.seed ?? Date.now() % 100000);
const report = await runChaos({ seconds, seed, resources: Number(values.resources ?? 200), log: console.log });
console.log(`seed ${seed}, ${report.calls} entry-point calls, ${report.hostKills} host kills, operations ${JSON.stringify(report.operations)}`);
console.log('entry-point latency histogram:');
for (const line of formatHistogram(report)) console.log(line);
console.log(`max entry point ${report.maxCallMs.toFixed(2)} ms; RSS ${report.rssMb.start.toFixed(0)} -> ${report.rssMb.middle.toFixed(0)} -> ${report.rssMb.end.toFixed(0)} MB`);
const problems = [
  ...report.slowCalls.map((c) => `slow call: ${c.resource} ${c.name} ${c.durationMs} ms`),
  ...report.violations.map((v) => `violation: ${v.resource} ${v.kind} ${v.message}`),
  ...report.overlaps.map((o) => `overlap: ${o}`),
  ...report.propertyMismatches.map((m) => `property: ${m}`),
];
for (const p of problems) console.log(p);
console.log(problems.length ? `FAILED: ${problems.length} problem(s)` : 'all invariants held');
process.exit(problems.length ? 1 : 0);
