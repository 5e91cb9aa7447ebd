// Issue 12 §2: the rest of the Resource API reaches the handlers, in both host modes — OpenV2,
// OnlineV2 and OfflineV2 flags, OfflineV2's destination node, the state-change reason (sent only
// to a type that reports CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON, just before Offline/Terminate),
// the cluster's notifications as hooks with their defaults, and V2's richer failure reports.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { CLUS_RESDLL_OFFLINE, CLUS_RESDLL_ONLINE, CLUS_RESDLL_OPEN, CLUSRESDLL_STATUS, defineResourceType, win32 } from '../../lib/index.js';
import { MockCluster, type MockClusterOptions, type MockResource, type TimelineEvent } from '../../lib/testing/index.js';
import ResourceApiProbe, { FAIL_NEXT_ONLINE, RECORDS } from '../fixtures/resource-api-type.mjs';

const module = fileURLToPath(new URL('../fixtures/resource-api-type.mjs', import.meta.url));

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

interface RecordEntry { hook: string; name?: string; [k: string]: unknown }

const modes = [
  ['inprocess', 'v2'],
  ['inprocess', 'v1'],
  ['process', 'v2'],
  ['process', 'v1'],
] as const;

async function start(host: 'inprocess' | 'process', resapi: 'v1' | 'v2', options: Partial<MockClusterOptions> = {}): Promise<MockCluster> {
  hostMode = host;
  cluster = await MockCluster.start({ resapi, ...(host === 'process' ? { host, module } : {}), ...options });
  return cluster;
}

let hostMode: 'inprocess' | 'process' = 'inprocess';

async function create(name: string, openFlags?: number): Promise<MockResource> {
  const res = await cluster!.createResource(hostMode === 'process' ? 'ResourceApiProbe' : ResourceApiProbe, name, openFlags === undefined ? {} : { openFlags });
  // A host process starts with Startup, asynchronously: calls before it is ready would meet their
  // deadlines (as on a cluster). In-process, createResource waited for it already.
  const ready = 'host for resource type ResourceApiProbe is ready';
  const until = Date.now() + 10000;
  while (!cluster!.events.some((e) => e.kind === 'log' && e.message === ready)) {
    if (Date.now() > until) throw new Error('the host did not get ready');
    await new Promise((r) => setTimeout(r, 5));
  }
  return res;
}

/** This resource's records (and the type's, which carry no name). */
async function records(res: MockResource): Promise<RecordEntry[]> {
  return (JSON.parse((await res.control(RECORDS)).toString()) as RecordEntry[]).filter((r) => r.name === undefined || r.name === res.name);
}

/** The resource's calls, with what the timeline says about each. */
const callTrail = (events: readonly TimelineEvent[]) =>
  events.filter((e) => e.kind === 'call').map((e) => (e.message ? `${e.name} ${e.message}` : e.name));

describe.each(modes)("host '%s' on %s", (host, resapi) => {
  const v2 = resapi === 'v2';

  test('OpenV2 and OnlineV2 flags reach res.openFlags and ctx.flags (0 on V1)', async () => {
    await start(host, resapi);
    const res = await create(`flags-${host}-${resapi}`, CLUS_RESDLL_OPEN.RECOVER_MONITOR_STATE);
    const flags = CLUS_RESDLL_ONLINE.IGNORE_RESOURCE_STATUS | CLUS_RESDLL_ONLINE.RESTORE_ONLINE_STATE;
    expect(await res.online({ flags })).toBe('Online');
    const seen = await records(res);
    expect(seen.find((r) => r.hook === 'open')).toMatchObject({ openFlags: v2 ? CLUS_RESDLL_OPEN.RECOVER_MONITOR_STATE : 0 });
    expect(seen.find((r) => r.hook === 'online')).toMatchObject({ flags: v2 ? flags : 0 });
    expect(cluster!.violations).toEqual([]);
  });

  test('Offline: flags, destination node and the reason, sent just before the Offline', async () => {
    await start(host, resapi);
    const res = await create(`offline-${host}-${resapi}`);
    expect(await res.online()).toBe('Online');
    expect(await res.offline({ flags: CLUS_RESDLL_OFFLINE.QUEUE_ENABLED, destinationNode: 'N2', reason: 'move' })).toBe('Offline');
    const offline = (await records(res)).find((r) => r.hook === 'offline');
    expect(offline).toEqual(v2
      ? { hook: 'offline', name: res.name, flags: CLUS_RESDLL_OFFLINE.QUEUE_ENABLED, destinationNode: 'N2', reason: 'move' }
      : { hook: 'offline', name: res.name, flags: 0, reason: 'move' });
    expect(callTrail(res.events)).toEqual(['Open', 'Online', 'ResourceControl STATE_CHANGE_REASON move', 'Offline', 'ResourceControl']);
    expect(cluster!.violations).toEqual([]);
  });

  test('Terminate: the reason reaches terminate({ reason })', async () => {
    await start(host, resapi);
    const res = await create(`terminate-${host}-${resapi}`);
    expect(await res.online()).toBe('Online');
    expect(await res.terminate({ reason: 'failover' })).toBe('Offline');
    expect((await records(res)).filter((r) => r.hook === 'terminate')).toEqual([{ hook: 'terminate', name: res.name, reason: 'failover' }]);
    const trail = callTrail(res.events);
    expect(trail.slice(trail.indexOf('Online') + 1, trail.indexOf('Terminate') + 1)).toEqual(['ResourceControl STATE_CHANGE_REASON failover', 'Terminate']);
    expect(cluster!.violations).toEqual([]);
  });

  test('rename: onRename sees the new name, then res.name follows; delete: onDelete, then Close', async () => {
    await start(host, resapi);
    const res = await create(`old-${host}-${resapi}`);
    const oldName = res.name;
    expect(await res.rename(`new-${host}-${resapi}`)).toBe(win32.ERROR_SUCCESS);
    expect(res.name).toBe(`new-${host}-${resapi}`);
    expect(await res.online()).toBe('Online');
    const all = JSON.parse((await res.control(RECORDS)).toString()) as RecordEntry[];
    expect(all).toContainEqual({ hook: 'onRename', newName: res.name, nameBefore: oldName });
    expect(all).toContainEqual({ hook: 'online', name: res.name, flags: 0 });
    expect(await res.offline()).toBe('Offline');
    expect(await res.delete()).toBe(win32.ERROR_SUCCESS);
    expect(res.state).toBe('Closed');
    expect(callTrail(res.events).slice(-2)).toEqual(['ResourceControl DELETE', 'Close']);
    expect(cluster!.violations).toEqual([]);
  });

  test('notifications: a hook answers ERROR_SUCCESS, a missing hook the default ERROR_INVALID_FUNCTION', async () => {
    await start(host, resapi);
    const res = await create(`notify-${host}-${resapi}`);
    expect(await res.notify('addDependency', 'disk1')).toBe(win32.ERROR_SUCCESS);
    expect(await res.notify('clusterNameChanged', 'CL2')).toBe(win32.ERROR_SUCCESS);
    for (const kind of ['removeDependency', 'addOwner', 'removeOwner', 'installNode', 'evictNode'] as const) {
      expect(await res.notify(kind, 'N3')).toBe(win32.ERROR_INVALID_FUNCTION);
    }
    const seen = await records(res);
    expect(seen).toContainEqual({ hook: 'onAddDependency', name: res.name, input: 'disk1' });
    expect(seen).toContainEqual({ hook: 'onClusterNameChanged', input: 'CL2' });
    // Type-level: STARTING_PHASE1/2 and MONITOR_SHUTTING_DOWN are answered at once, their hooks run after.
    expect(await cluster!.notifyType('ResourceApiProbe', 'startingPhase2')).toBe(win32.ERROR_SUCCESS);
    expect(await cluster!.notifyType('ResourceApiProbe', 'monitorShuttingDown', 1)).toBe(win32.ERROR_SUCCESS);
    expect(await cluster!.notifyType('ResourceApiProbe', 'evictNode', 'N3')).toBe(win32.ERROR_SUCCESS);
    expect(await cluster!.notifyType('ResourceApiProbe', 'installNode', 'N4')).toBe(win32.ERROR_INVALID_FUNCTION);
    const all = JSON.parse((await res.control(RECORDS)).toString()) as RecordEntry[];
    expect(all).toContainEqual({ hook: 'onStartingPhase2' });
    expect(all).toContainEqual({ hook: 'onMonitorShuttingDown', flags: 1 });
    expect(all).toContainEqual({ hook: 'type.onEvictNode', input: 'N3' });
    expect(callTrail(res.events).filter((c) => c.startsWith('ResourceControl ')).slice(0, 2)).toEqual(['ResourceControl ADD_DEPENDENCY', 'ResourceControl CLUSTER_NAME_CHANGED']);
    expect(cluster!.violations).toEqual([]);
  });

  test('a failed Online reports its application-specific code and status flags (V2: RESOURCE_STATUS_EX)', async () => {
    await start(host, resapi);
    const res = await create(`fail-${host}-${resapi}`);
    await res.control(FAIL_NEXT_ONLINE);
    expect(await res.online()).toBe('Failed');
    const failed = res.events.find((e) => e.kind === 'status' && e.name === 'Failed');
    expect(failed?.message ?? '').toBe(v2 ? `ApplicationSpecificErrorCode 42, Flags 0x${CLUSRESDLL_STATUS.INSUFFICIENT_MEMORY.toString(16)}` : '');
    expect(cluster!.violations).toEqual([]);
  });
});

test('a type that does not report REQUIRES_STATE_CHANGE_REASON is sent none; ctx.reason is undefined', async () => {
  const seen: unknown[] = [];
  const Plain = defineResourceType({
    name: 'NoReasons',
    open: () => ({
      offline: (ctx) => void seen.push(['offline', ctx.reason]),
      terminate: (ctx) => void seen.push(['terminate', ctx.reason]),
    }),
  });
  cluster = await MockCluster.start();
  const res = await cluster.createResource(Plain, 'plain');
  expect(await res.online()).toBe('Online');
  expect(await res.offline({ reason: 'move' })).toBe('Offline');
  expect(await res.online()).toBe('Online');
  expect(await res.terminate({ reason: 'shutdown' })).toBe('Offline');
  expect(seen).toEqual([['offline', undefined], ['terminate', undefined]]);
  expect(callTrail(res.events)).toEqual(['Open', 'Online', 'Offline', 'Online', 'Terminate']);
  expect(cluster.violations).toEqual([]);
});
