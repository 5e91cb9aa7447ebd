// A short seeded chaos run (the long one is `npm run chaos`): faults everywhere, invariants hold.
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { formatHistogram, runChaos } from '../../lib/testing/chaos.js';

test('20 s of seeded chaos over 200 resources: no slow call, violation, overlap, or lost property write', async () => {
  const report = await runChaos({ seconds: 20, seed: 20261123, resources: 200 });
  console.log(formatHistogram(report).join('\n'));
  if (report.violations.length || report.slowCalls.length) console.log(JSON.stringify({ violations: report.violations, slow: report.slowCalls }));
  expect(report.calls).toBeGreaterThan(1000);
  expect(report.operations.set).toBeGreaterThan(50);
  expect(report.slowCalls).toEqual([]);
  expect(report.violations).toEqual([]);
  expect(report.overlaps).toEqual([]);
  expect(report.propertyMismatches).toEqual([]);
  // Bounded memory: the second half of the run does not keep growing like the first.
  expect(report.rssMb.end - report.rssMb.middle).toBeLessThan(150);
}, 120000);

test('10 s of seeded chaos with a child host process, host kills and garbage on its channel: the same invariants, and no orphan host', async () => {
  const module = fileURLToPath(new URL('../../dist/testing/chaos.js', import.meta.url));
  const report = await runChaos({ seconds: 10, seed: 7, resources: 100, host: 'process', module });
  console.log(formatHistogram(report).join('\n'));
  if (report.violations.length || report.slowCalls.length) console.log(JSON.stringify({ violations: report.violations, slow: report.slowCalls }));
  expect(report.calls).toBeGreaterThan(500);
  expect(report.hostKills).toBeGreaterThan(0);
  expect(report.garbageWrites).toBeGreaterThan(0);
  expect(report.corruptFrameDrops).toBeGreaterThan(0);
  expect(report.slowCalls).toEqual([]);
  expect(report.violations).toEqual([]);
  expect(report.overlaps).toEqual([]);
  expect(report.propertyMismatches).toEqual([]);
  expect(report.orphans).toEqual([]);
}, 120000);
