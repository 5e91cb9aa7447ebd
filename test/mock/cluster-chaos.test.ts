// A short seeded cluster chaos run (the long one is `npm run chaos`): 50 resources in 10 groups on
// 3 nodes, random moves, node crashes and restores, resources failing on their own.
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { formatClusterChaos, runClusterChaos } from '../../lib/testing/cluster-chaos.js';

test('5 s of seeded cluster chaos, in-process hosts: never online on two nodes, no violation, every group online at the end', async () => {
  const report = await runClusterChaos({ seconds: 5, seed: 13, nodes: 3, groups: 10, resources: 50 });
  console.log(formatClusterChaos(report).join('\n'));
  if (report.violations.length) console.log(JSON.stringify(report.violations.slice(0, 20)));
  expect(report.operations.move).toBeGreaterThan(10);
  expect(report.operations.failNode).toBeGreaterThan(0);
  expect(report.moves).toBeGreaterThan(10);
  expect(report.failovers).toBeGreaterThan(0);
  expect(report.violations).toEqual([]);
  expect(report.notOnlineAtEnd).toEqual([]);
  expect(report.misplaced).toEqual([]);
}, 60000);

test('4 s of seeded cluster chaos with a host process per node: the same', async () => {
  const module = fileURLToPath(new URL('../../dist/testing/cluster-chaos.js', import.meta.url));
  const report = await runClusterChaos({ seconds: 4, seed: 31, nodes: 3, groups: 10, resources: 50, host: 'process', module });
  console.log(formatClusterChaos(report).join('\n'));
  if (report.violations.length) console.log(JSON.stringify(report.violations.slice(0, 20)));
  expect(report.operations.failNode).toBeGreaterThan(0);
  expect(report.failovers).toBeGreaterThan(0);
  expect(report.violations).toEqual([]);
  expect(report.notOnlineAtEnd).toEqual([]);
  expect(report.misplaced).toEqual([]);
}, 60000);
