// Issue 13: several nodes in one test. A two-resource group (app depends on disk) on three nodes,
// in both host modes: online order, a move (app's Offline sees reason 'move' and the destination),
// a node crash (both come online on the next node, nothing ran Offline on the crashed one, and
// with host 'process' no host of it is left running), and the restart policy running out into
// failovers until FailoverThreshold leaves the group failed.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { defineResourceType } from '../../lib/index.js';
import { MockCluster, type MockClusterOptions, type TimelineEvent } from '../../lib/testing/index.js';
import { descendants, stillRunning } from '../../lib/testing/process-tree.js';
import ClusterProbe from '../fixtures/cluster-type.mjs';
import { until } from '../support/timeline.js';

const module = fileURLToPath(new URL('../fixtures/cluster-type.mjs', import.meta.url));
const NODES = ['N1', 'N2', 'N3'];

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** The handlers' lines (cluster-type.mjs), oldest first. */
const handlerLines = (events: readonly TimelineEvent[]) =>
  events.filter((e) => e.kind === 'log' && /^(open|online|offline|terminate|close) /.test(e.message ?? '')).map((e) => e.message!);

const notes = (events: readonly TimelineEvent[], name: string) => events.filter((e) => e.kind === 'note' && e.name === name);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

for (const host of ['inprocess', 'process'] as const) {
  describe(`three nodes, host ${host}`, () => {
    const type = host === 'process' ? 'ClusterProbe' : ClusterProbe;

    async function start(options: Partial<MockClusterOptions> = {}): Promise<MockCluster> {
      cluster = await MockCluster.start({ nodes: NODES, ...(host === 'process' ? { host, module } : {}), ...options });
      if (host === 'process') {
        // Each node's host process starts with Startup, asynchronously (as on a cluster).
        for (const n of NODES) {
          await until(() => cluster!.events.some((e) => e.node === n && e.kind === 'log' && e.message === 'host for resource type ClusterProbe is ready'), `${n}'s host`, 10000);
        }
      }
      return cluster;
    }

    async function appGroup(c: MockCluster, failOnline = 0) {
      const g = c.createGroup('G', { preferredOwners: NODES, failoverThreshold: 2 });
      const disk = await c.createResource(type, 'disk', { group: 'G' });
      const app = await c.createResource(type, 'app', { group: 'G', dependsOn: ['disk'], properties: { FailOnline: failOnline } });
      return { g, disk, app };
    }

    test('onlineGroup brings disk online before app, on the first preferred owner; offlineGroup takes app down first', async () => {
      const c = await start();
      const { g, disk, app } = await appGroup(c);
      expect(g.ownerNode).toBe('N1');
      expect(await c.onlineGroup('G')).toBe('Online');
      expect([disk.state, app.state, disk.node, app.node]).toEqual(['Online', 'Online', 'N1', 'N1']);
      expect(handlerLines(c.events).filter((l) => l.startsWith('online'))).toEqual(['online disk on N1', 'online app on N1']);
      expect(await c.offlineGroup('G')).toBe('Offline');
      expect(handlerLines(c.events).filter((l) => l.startsWith('offline'))).toEqual([
        'offline app on N1 reason=unknown destination=',
        'offline disk on N1 reason=unknown destination=',
      ]);
      // Every event names its node.
      expect(c.events.filter((e) => e.resource === 'app').every((e) => e.node === 'N1')).toBe(true);
      expect(c.violations).toEqual([]);
    });

    test("moveGroup: app's Offline sees reason 'move' and the destination node, then both come online on it", async () => {
      const c = await start();
      const { g, disk, app } = await appGroup(c);
      await c.onlineGroup('G');
      expect(await c.moveGroup('G', 'N2')).toBe('Online');
      expect([g.ownerNode, disk.node, app.node, disk.state, app.state]).toEqual(['N2', 'N2', 'N2', 'Online', 'Online']);
      const lines = handlerLines(c.events);
      const after = lines.slice(lines.indexOf('online app on N1') + 1);
      expect(after).toEqual([
        'offline app on N1 reason=move destination=N2',
        'offline disk on N1 reason=move destination=N2',
        'close disk on N1',
        'close app on N1',
        'open disk on N2',
        'open app on N2',
        'online disk on N2',
        'online app on N2',
      ]);
      expect(notes(c.events, 'group-move').map((e) => e.message)).toEqual(['from N1 to N2']);
      expect(c.violations).toEqual([]);
    });

    test('failNode of the owner: both come online on the next preferred owner; nothing ran Offline on the failed node', async () => {
      const c = await start();
      const { g, disk, app } = await appGroup(c);
      await c.onlineGroup('G');
      await c.moveGroup('G', 'N2');
      const pid = c.hostPidOn('N2');
      const children = host === 'process' ? descendants(pid) : [];
      if (host === 'process') expect(pid).toBeGreaterThan(0);
      const before = c.events.length;
      await c.failNode('N2');
      expect(c.isNodeUp('N2')).toBe(false);
      expect([g.ownerNode, disk.node, app.node, disk.state, app.state]).toEqual(['N3', 'N3', 'N3', 'Online', 'Online']);
      const lines = handlerLines(c.events.slice(before));
      expect(lines.filter((l) => l.includes('on N2') && /^(offline|close)/.test(l))).toEqual([]);
      expect(lines.filter((l) => l.includes('on N3'))).toEqual(['open disk on N3', 'open app on N3', 'online disk on N3', 'online app on N3']);
      // No Offline, Terminate or Close call reached N2's DLL after it failed. (A call is on the
      // timeline when it returns: the move's Online on N2 may return after its final report has
      // settled the move, so calls are judged by when they started.)
      const downAt = c.events.find((e) => e.kind === 'note' && e.name === 'node-down' && e.node === 'N2')!.at;
      expect(c.events.slice(before).filter((e) => e.node === 'N2' && e.kind === 'call' && e.at - (e.durationMs ?? 0) >= downAt)).toEqual([]);
      if (host === 'process') {
        // N2's host process lost its channel and is gone, and nothing it started is left.
        await until(() => !alive(pid), `N2's host ${pid} to exit`, 5000);
        expect(children.filter(stillRunning)).toEqual([]);
        expect(c.hostPidOn('N2')).toBe(0);
        expect(c.hostPidOn('N3')).toBeGreaterThan(0);
      }
      // N2 comes back empty: nothing fails back to it.
      await c.restoreNode('N2');
      expect(g.ownerNode).toBe('N3');
      await c.moveGroup('G', 'N2');
      expect([g.ownerNode, app.state]).toEqual(['N2', 'Online']);
      expect(c.violations).toEqual([]);
    });

    test('restart policy exhausted -> failover, twice -> FailoverThreshold reached -> the group stays failed', async () => {
      const c = await start({ restart: { threshold: 1, periodMs: 60000, delayMs: 10 } });
      const { g, app } = await appGroup(c, 1);
      await c.onlineGroup('G');
      await until(() => notes(c.events, 'group-failed').length > 0, 'the group to fail for good', 20000);
      expect(notes(c.events, 'group-failover').map((e) => e.message)).toEqual([
        'app exhausted its restarts on N1; failover 1 of 2 to N2',
        'app exhausted its restarts on N2; failover 2 of 2 to N3',
      ]);
      expect(notes(c.events, 'group-failed').map((e) => e.message)).toEqual([
        'FailoverThreshold 2 reached within 21600000 ms; the group stays failed on N3',
      ]);
      // Each node restarted app once (RestartThreshold 1) before giving up on it.
      for (const n of NODES) {
        expect(handlerLines(c.events).filter((l) => l === `online app on ${n}`)).toHaveLength(2);
      }
      // disk went offline with reason 'failover' (and the destination) before each failover.
      expect(handlerLines(c.events).filter((l) => l.startsWith('offline disk'))).toEqual([
        'offline disk on N1 reason=failover destination=N2',
        'offline disk on N2 reason=failover destination=N3',
      ]);
      await until(() => app.state === 'Failed', 'app to settle Failed');
      expect(g.ownerNode).toBe('N3');
      expect(g.state).toBe('Failed');
      expect(c.violations).toEqual([]);
    });
  });
}

describe('dependencies and the cluster-level checks (in-process)', () => {
  test("a dependency's failure takes its online dependent down first; its restart brings the dependent back", async () => {
    let diskBroken = false;
    const seen: string[] = [];
    const Disk = defineResourceType({
      name: 'DepDisk',
      open: (res) => ({
        online: () => void seen.push(`online ${res.name}`),
        isAlive: () => !diskBroken,
        looksAlive: () => !diskBroken,
      }),
    });
    const App = defineResourceType({
      name: 'DepApp',
      open: (res) => ({
        online: () => void seen.push(`online ${res.name}`),
        terminate: () => void seen.push(`terminate ${res.name}`),
      }),
    });
    const c = (cluster = await MockCluster.start({ nodes: ['N1', 'N2'], polling: { looksAliveMs: 20, isAliveMs: 20 }, restart: { threshold: 3, delayMs: 50 } }));
    c.createGroup('G');
    const disk = await c.createResource(Disk, 'disk', { group: 'G' });
    const app = await c.createResource(App, 'app', { group: 'G', dependsOn: ['disk'] });
    await c.onlineGroup('G');
    seen.length = 0;
    diskBroken = true;
    await until(() => disk.state === 'Failed', 'disk to fail');
    diskBroken = false;
    await until(() => seen.includes('online app'), 'app to come back', 5000);
    expect(seen).toEqual(['terminate app', 'online disk', 'online app']);
    expect([disk.state, app.state, app.node]).toEqual(['Online', 'Online', 'N1']);
    expect(c.violations).toEqual([]);
  });

  // The cluster takes a failed resource's dependents down at once, outside the group's queue;
  // the restart that follows (RestartDelay 0 here) waits for that takedown. It once overtook it:
  // with vol still being terminated, the restart brought disk back and then app, whose
  // dependency vol was Online for one more moment, and vol went down under app (seen in cluster
  // chaos under TSan as dependent-online).
  test("a restart waits for the failure's takedown of the dependents, then brings them back in order", async () => {
    let diskBroken = false;
    const seen: string[] = [];
    const Chain = defineResourceType({
      name: 'DepChain',
      open: (res) => ({
        online: () => void seen.push(`online ${res.name}`),
        isAlive: () => res.name !== 'disk' || !diskBroken,
        looksAlive: () => res.name !== 'disk' || !diskBroken,
        // vol's takes a while (its Terminate waits for the handler, within its budget).
        terminate: async () => {
          seen.push(`terminate ${res.name}`);
          if (res.name === 'vol') await new Promise((r) => setTimeout(r, 120));
        },
      }),
    });
    const c = (cluster = await MockCluster.start({ nodes: ['N1', 'N2'], polling: { looksAliveMs: 20, isAliveMs: 20 }, restart: { threshold: 3, delayMs: 0 } }));
    c.createGroup('G');
    const disk = await c.createResource(Chain, 'disk', { group: 'G' });
    const vol = await c.createResource(Chain, 'vol', { group: 'G', dependsOn: ['disk'] });
    const app = await c.createResource(Chain, 'app', { group: 'G', dependsOn: ['vol'] });
    await c.onlineGroup('G');
    seen.length = 0;
    diskBroken = true;
    await until(() => disk.state === 'Failed', 'disk to fail');
    diskBroken = false;
    await until(() => seen.includes('online app'), 'app to come back', 5000);
    // disk's own Terminate (the monitor's, on its failure) comes at its own moment before its restart.
    expect(seen.indexOf('terminate disk')).toBeLessThan(seen.indexOf('online disk'));
    expect(seen.filter((l) => l !== 'terminate disk')).toEqual(['terminate app', 'terminate vol', 'online disk', 'online vol', 'online app']);
    expect([disk.state, vol.state, app.state]).toEqual(['Online', 'Online', 'Online']);
    expect(c.violations).toEqual([]);
  });

  test('onlining a dependent whose dependency is offline, or offlining a dependency under an online dependent, is a violation', async () => {
    const Plain = defineResourceType({ name: 'DepPlain', open: () => ({}) });
    const c = (cluster = await MockCluster.start({ nodes: ['N1', 'N2'] }));
    c.createGroup('G', { possibleOwners: ['N1'] });
    const disk = await c.createResource(Plain, 'disk', { group: 'G' });
    const app = await c.createResource(Plain, 'app', { group: 'G', dependsOn: ['disk'] });
    await app.online();
    expect(c.violations.map((v) => `${v.kind} ${v.node}: ${v.message}`)).toEqual(['dependency-not-online N1: app OnlinePending on N1 while disk is Offline']);
    await disk.online();
    await disk.offline();
    expect(c.violations.slice(1).map((v) => `${v.kind}: ${v.message}`)).toEqual([
      'dependent-online: disk OfflinePending on N1 while app is Online',
      'dependent-online: disk Offline on N1 while app is Online',
    ]);
    await expect(c.moveGroup('G', 'N2')).rejects.toThrow("'N2' is not a possible owner of group 'G'");
    await expect(c.createResource(Plain, 'other', { group: 'G', dependsOn: ['nowhere'] })).rejects.toThrow(/depend only on a resource of its group/);
  });
});
