import { test, expect } from 'vitest';
import { defineResourceType, prop } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';

test('smoke', async () => {
  const t = defineResourceType({
    name: 'Smoke',
    properties: { Port: prop.dword({ default: 80 }) },
    open(res) {
      return {
        async online({ progress }) { progress(); res.log.info(`port ${res.properties.Port}`); },
        isAlive: () => true,
      };
    },
  });
  const c = await MockCluster.start({ resapi: 'v2' });
  const r = await c.createResource(t, 'r1', { properties: { Port: 8080 } });
  expect(await r.online()).toBe('Online');
  expect(await r.isAlive()).toBe(true);
  expect(await r.offline()).toBe('Offline');
  await c.stop();
  console.log(c.events.map(e => JSON.stringify(e)).join('\n'));
  expect(c.violations).toEqual([]);
});
