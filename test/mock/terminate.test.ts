// Terminate is the one entry point that may race everything else and must never wait on
// JavaScript: it aborts the handler, bumps the generation so late results are dropped, and
// returns within 250 ms.
import { afterEach, describe, expect, test } from 'vitest';
import { defineResourceType } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';
import { callDurations, sleep, statuses, until } from '../support/timeline.js';

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe.each(['v1', 'v2'] as const)('Terminate on %s', (resapi) => {
  test('while Online is stuck on a promise that never settles', async () => {
    let abortedWith: unknown;
    let terminated = 0;
    const Stuck = defineResourceType({
      name: 'StuckOnline',
      open: () => ({
        online: ({ signal }) => {
          signal.addEventListener('abort', () => (abortedWith = signal.reason));
          return new Promise<void>(() => {});
        },
        terminate: () => {
          terminated++;
        },
      }),
    });
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Stuck, 's1');
    const online = res.online();
    await until(() => res.events.some((e) => e.kind === 'call' && e.name === 'Online'), 'Online to return pending');
    expect(res.state).toBe('OnlinePending');

    expect(await res.terminate()).toBe('Offline');
    expect(await online).toBe('Offline');
    const [took] = callDurations(res.events, 'Terminate');
    expect(took).toBeLessThan(250);
    expect(abortedWith).toBeInstanceOf(DOMException);
    expect((abortedWith as DOMException).name).toBe('AbortError');
    expect(terminated).toBe(1);
    expect(cluster.violations).toEqual([]);
  });

  test('a result that arrives after Terminate is ignored', async () => {
    let finished = false;
    // Released once Terminate has returned: a fixed sleep raced a slow machine (Windows node under
    // Wine once took longer than it between OnlinePending and the Terminate call).
    let release = () => {};
    const terminated = new Promise<void>((r) => (release = r));
    const Late = defineResourceType({
      name: 'LateOnline',
      open: () => ({
        // Ignores its signal and "succeeds" after Terminate already ran.
        online: async () => {
          await terminated;
          finished = true;
        },
      }),
    });
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Late, 'late');
    void res.online();
    await until(() => res.state === 'OnlinePending', 'pending');
    await res.terminate();
    release();
    await until(() => finished, 'the abandoned handler to finish');
    await sleep(50);
    expect(res.state).toBe('Offline');
    expect(statuses(res.events)).toEqual([]);  // the late success never reached the monitor
    expect(cluster.violations).toEqual([]);
    // And the resource works again afterwards.
    const again = res.online();
    expect(await again).toBe('Online');
  });

  test('Terminate of an online resource with a hung health check', async () => {
    const Hung = defineResourceType({
      name: 'HungCheck',
      open: () => ({ isAlive: () => new Promise<boolean>(() => {}) }),
    });
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Hung, 'h');
    await res.online();
    const check = res.isAlive();
    await sleep(20);
    await res.terminate();
    expect(await check).toBe(true);  // the cached answer after the 200 ms deadline
    expect(Math.max(...callDurations(res.events, 'Terminate'))).toBeLessThan(250);
    expect(Math.max(...callDurations(res.events, 'IsAlive'))).toBeLessThan(300);
    expect(cluster.violations).toEqual([]);
  });
});

test('PendingTimeout: an Online that never reports progress is terminated and fails', async () => {
  let aborted = false;
  const Silent = defineResourceType({
    name: 'SilentOnline',
    open: () => ({
      online: ({ signal }) =>
        new Promise<void>((_, reject) => signal.addEventListener('abort', () => { aborted = true; reject(signal.reason); })),
    }),
  });
  cluster = await MockCluster.start({ pendingTimeoutMs: 200 });
  const res = await cluster.createResource(Silent, 'quiet');
  const started = Date.now();
  expect(await res.online()).toBe('Failed');
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  await until(() => callDurations(res.events, 'Terminate').length === 1, 'the monitor to call Terminate');
  expect(aborted).toBe(true);
  const names = res.events.map((e) => `${e.kind}:${e.name}`);
  expect(names.indexOf('note:pending-timeout')).toBeGreaterThan(-1);
  expect(names.indexOf('state:Failed')).toBeGreaterThan(names.indexOf('note:pending-timeout'));
  expect(res.state).toBe('Failed');
  expect(cluster.violations).toEqual([]);
});

// RHS calls Terminate on every failure before anything else reaches the DLL (§3.5). An Offline
// asked for while the Online was pending waits for that end; when the end is PendingTimeout's
// failure, it waits for the Terminate too (it once ran first, and the shim, its Online still
// pending, reported the Online's late result during the Offline: seen in chaos).
test('an Offline asked for during an Online that PendingTimeout fails reaches the DLL after the failure\'s Terminate', async () => {
  const Silent = defineResourceType({
    name: 'SilentThenOffline',
    open: () => ({
      online: ({ signal }) => new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      offline: () => {},
    }),
  });
  cluster = await MockCluster.start({ pendingTimeoutMs: 200 });
  const res = await cluster.createResource(Silent, 'quiet');
  const online = res.online();
  await until(() => res.events.some((e) => e.kind === 'call' && e.name === 'Online'), 'Online to return pending');
  const offline = res.offline();
  expect(await online).toBe('Failed');
  expect(await offline).toBe('Offline');
  const call = (name: string) => res.events.find((e) => e.kind === 'call' && e.name === name)!;
  const terminateEnded = call('Terminate').at;
  const offlineStarted = call('Offline').at - (call('Offline').durationMs ?? 0);
  expect(offlineStarted).toBeGreaterThanOrEqual(terminateEnded);
  expect(cluster.violations).toEqual([]);
});

test('PendingTimeout measures the gap between reports, not the whole Online', async () => {
  const Chatty = defineResourceType({
    name: 'ChattyOnline',
    open: () => ({
      async online({ progress }) {
        for (let i = 0; i < 8; i++) {
          await sleep(50);
          progress();
        }
      },
    }),
  });
  cluster = await MockCluster.start({ pendingTimeoutMs: 200 });
  const res = await cluster.createResource(Chatty, 'chatty');
  expect(await res.online()).toBe('Online');  // 400 ms in total, never 200 ms without a report
  expect(statuses(res.events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `OnlinePending#${n}`).concat('Online#9'));
  expect(cluster.violations).toEqual([]);
});
