// Issue 13: any number of MockClusters with the same type at once in one process, each with its
// own shim instances, monitors, property store and hosts.
import { expect, test } from 'vitest';
import { defineResourceType, prop } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';

const Shared = defineResourceType({
  name: 'SharedType',
  properties: { Tag: prop.sz({ default: '' }) },
  open(res) {
    return { online: ({ log }) => log.info(`online ${res.properties.Tag} on ${res.node}`) };
  },
});

for (let i = 0; i < 5; i++) {
  test.concurrent(`cluster ${i} of five, all with SharedType, at once`, async () => {
    await using cluster = await MockCluster.start(i % 2 ? { nodes: [`c${i}-n1`, `c${i}-n2`] } : {});
    const res = await cluster.createResource(Shared, 'r', { properties: { Tag: `t${i}` } });
    expect(await res.online()).toBe('Online');
    // Each cluster's store and timeline are its own.
    expect(await res.getProperties()).toEqual({ Tag: `t${i}` });
    const node = i % 2 ? `c${i}-n1` : 'Node1';
    expect(cluster.events.filter((e) => e.kind === 'log' && e.message?.startsWith('online')).map((e) => e.message)).toEqual([`online t${i} on ${node}`]);
    if (i % 2) {
      await cluster.moveGroup('Cluster Group', `c${i}-n2`);
      expect([res.node, res.state]).toEqual([`c${i}-n2`, 'Online']);
      expect(await res.getProperties()).toEqual({ Tag: `t${i}` });
    }
    expect(cluster.violations).toEqual([]);
  });
}
