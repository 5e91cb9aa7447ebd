// The lifecycle scenarios of the core issue, written once and run against each host topology:
// in-process (test/mock/lifecycle.test.ts) and a child host process (test/process/lifecycle.test.ts).
// The whole path: monitor thread -> shim -> frames -> host -> handlers, and back through
// SetResourceStatus(Ex).
import { afterEach, describe, expect, test } from 'vitest';
import type { ResourceTypeDefinition } from '../../lib/index.js';
import type { MockCluster } from '../../lib/testing/index.js';
import { calls, logs, states, statuses } from './timeline.js';

export interface LifecycleHarness {
  /** A started cluster that can run LifecycleType (test/fixtures/lifecycle-type.mjs). */
  start(resapi: 'v1' | 'v2'): Promise<MockCluster>;
  /** What createResource is given: the definition (in-process) or the type name (host process). */
  type: ResourceTypeDefinition | string;
  /** Lines the handlers noted so far ("open <name> <DataDir>", "close <name>"). */
  seen(): string[];
  /** Forgets them. */
  reset(): void;
}

export function lifecycleSuite(title: string, h: LifecycleHarness): void {
  let cluster: MockCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    h.reset();
  });

  describe.each(['v1', 'v2'] as const)(title, (resapi) => {
    test('open -> online -> looksAlive/isAlive -> offline -> close', async () => {
      cluster = await h.start(resapi);
      const res = await cluster.createResource(h.type, 'cache1', { properties: { DataDir: '/tmp/c', Port: 7000 } });
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
      expect(h.seen()).toEqual(['open cache1 /tmp/c', 'close cache1']);
      for (const e of res.events.filter((e) => e.kind === 'call')) expect(e.durationMs).toBeLessThan(300);
      expect(cluster.violations).toEqual([]);
    });

    test('several resources of one type run independently', async () => {
      cluster = await h.start(resapi);
      const a = await cluster.createResource(h.type, 'a', { properties: { DataDir: '/a' } });
      const b = await cluster.createResource(h.type, 'b', { properties: { DataDir: '/b' } });
      expect(await Promise.all([a.online(), b.online()])).toEqual(['Online', 'Online']);
      expect(await b.offline()).toBe('Offline');
      expect(await a.isAlive()).toBe(true);
      expect(await b.isAlive()).toBe(false);
      expect(logs(a.events)).toEqual(['info: listening on 6379 in /a']);
      expect(cluster.violations).toEqual([]);
    });

    test('the same cluster can be stopped and a new one started with the same type', async () => {
      cluster = await h.start(resapi);
      await (await cluster.createResource(h.type, 'x', { properties: { DataDir: '/x' } })).online();
      await cluster.stop();
      cluster = await h.start(resapi);
      const again = await cluster.createResource(h.type, 'x', { properties: { DataDir: '/x' } });
      expect(await again.online()).toBe('Online');
      expect(cluster.violations).toEqual([]);
    });
  });
}
