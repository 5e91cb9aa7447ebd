// One file's worth of clusters for the pool check (test/mock/cluster-pools.test.ts): two
// three-node clusters of the same type at once, each moving and failing over a group.
import { expect } from 'vitest';
import { defineResourceType } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';

// The same type name in every file and every cluster: what collided in one process before.
export const PoolType = defineResourceType({
  name: 'PoolType',
  open(res) {
    return {
      online: ({ log }) => log.info(`online on ${res.node}`),
      offline: ({ log, destinationNode }) => log.info(`offline on ${res.node} to ${destinationNode ?? ''}`),
    };
  },
});

export async function clusterScenario(tag: string): Promise<void> {
  await using cluster = await MockCluster.start({ nodes: ['A', 'B', 'C'] });
  cluster.createGroup('G');
  const r = await cluster.createResource(PoolType, `${tag}-r`, { group: 'G' });
  expect(await cluster.onlineGroup('G')).toBe('Online');
  await cluster.moveGroup('G', 'C');
  await cluster.failNode('C');
  expect([r.node, r.state]).toEqual(['A', 'Online']);
  const lines = cluster.events.filter((e) => e.kind === 'log' && /^(online|offline) /.test(e.message ?? '')).map((e) => e.message);
  expect(lines).toEqual(['online on A', 'offline on A to C', 'online on C', 'online on A']);
  expect(cluster.violations).toEqual([]);
}
