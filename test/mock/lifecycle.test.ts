// The whole path on both Resource API versions: monitor thread -> shim -> frames -> addon ->
// thread-safe function -> handlers, and back through SetResourceStatus(Ex).
import { afterEach, describe, expect, test } from 'vitest';
import { defineResourceType, prop } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';
import { calls, logs, states, statuses } from '../support/timeline.js';

const seen: string[] = [];
const Lifecycle = defineResourceType({
  name: 'LifecycleType',
  properties: { Port: prop.dword({ default: 6379, min: 1, max: 65535 }), DataDir: prop.sz({ required: true }) },
  open(res) {
    seen.push(`open ${res.name} ${res.properties.DataDir}`);
    let up = false;
    return {
      async online({ progress, log }) {
        progress();
        await new Promise((r) => setTimeout(r, 5));
        up = true;
        log.info(`listening on ${res.properties.Port} in ${res.properties.DataDir}`);
      },
      async offline() {
        up = false;
      },
      looksAlive: () => up,
      isAlive: async () => up,
      close() {
        seen.push(`close ${res.name}`);
      },
    };
  },
});

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  seen.length = 0;
});

describe.each(['v1', 'v2'] as const)('lifecycle on %s', (resapi) => {
  test('open -> online -> looksAlive/isAlive -> offline -> close', async () => {
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Lifecycle, 'cache1', { properties: { DataDir: '/tmp/c', Port: 7000 } });
    expect(res.state).toBe('Offline');
    expect(await res.online()).toBe('Online');
    expect(res.state).toBe('Online');
    expect(await res.looksAlive()).toBe(true);
    expect(await res.isAlive()).toBe(true);
    expect(await res.offline()).toBe('Offline');
    expect(await res.isAlive()).toBe(false);
    await res.close();
    expect(res.state).toBe('Closed');

    const startup = resapi === 'v1' ? 'Startup=0' : 'StartupEx=0';
    expect(calls(cluster.events)).toEqual([
      startup, 'Open=1', 'Online=997', 'LooksAlive=1', 'IsAlive=1', 'Offline=997', 'IsAlive=0', 'Close=0',
    ]);
    expect(states(res.events)).toEqual(['OnlinePending', 'Online', 'OfflinePending', 'Offline', 'Closed']);
    // progress() -> pending status with CheckPoint 1, then the final report with CheckPoint 2.
    expect(statuses(res.events)).toEqual(['OnlinePending#1', 'Online#2', 'Offline#1']);
    expect(logs(res.events)).toEqual(['info: listening on 7000 in /tmp/c']);
    expect(seen).toEqual(['open cache1 /tmp/c', 'close cache1']);
    for (const e of res.events.filter((e) => e.kind === 'call')) expect(e.durationMs).toBeLessThan(300);
    expect(cluster.violations).toEqual([]);
  });

  test('several resources of one type run independently', async () => {
    cluster = await MockCluster.start({ resapi });
    const a = await cluster.createResource(Lifecycle, 'a', { properties: { DataDir: '/a' } });
    const b = await cluster.createResource(Lifecycle, 'b', { properties: { DataDir: '/b' } });
    expect(await Promise.all([a.online(), b.online()])).toEqual(['Online', 'Online']);
    expect(await b.offline()).toBe('Offline');
    expect(await a.isAlive()).toBe(true);
    expect(await b.isAlive()).toBe(false);
    expect(logs(a.events)).toEqual(['info: listening on 6379 in /a']);
    expect(cluster.violations).toEqual([]);
  });

  test('the same cluster can be stopped and a new one started with the same type', async () => {
    cluster = await MockCluster.start({ resapi });
    await (await cluster.createResource(Lifecycle, 'x', { properties: { DataDir: '/x' } })).online();
    await cluster.stop();
    cluster = await MockCluster.start({ resapi });
    const again = await cluster.createResource(Lifecycle, 'x', { properties: { DataDir: '/x' } });
    expect(await again.online()).toBe('Online');
    expect(cluster.violations).toEqual([]);
  });
});
