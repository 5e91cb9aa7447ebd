// When the host goes away (here: its channel dropped, as a crash would), the shim fails what was
// pending, reports online resources as failed, answers health checks FALSE, and the next Online
// starts the host again — with every entry point still inside its budget.
import { afterEach, describe, expect, test } from 'vitest';
import { defineResourceType } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';
import { sleep, until } from '../support/timeline.js';

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

let hang = false;
const Svc = defineResourceType({
  name: 'LossType',
  open: () => ({
    online: () => (hang ? new Promise<void>(() => {}) : undefined),
    isAlive: () => true,
  }),
});

describe.each(['v1', 'v2'] as const)('host loss on %s', (resapi) => {
  test('online resources fail, pending Online fails, health is FALSE, next Online recovers', async () => {
    hang = false;
    cluster = await MockCluster.start({ resapi });
    const up = await cluster.createResource(Svc, 'up');
    const pending = await cluster.createResource(Svc, 'pending');
    expect(await up.online()).toBe('Online');
    hang = true;
    const stuck = pending.online();
    await until(() => pending.state === 'OnlinePending', 'pending');

    cluster.killHost();
    expect(await stuck).toBe('Failed');
    // Events reach JS through the thread-safe function, after the native state changed.
    await until(() => up.events.some((e) => e.kind === 'note' && e.name === 'failure'), 'the failure report');
    expect(up.state).toBe('Failed');
    const reason = up.events.find((e) => e.kind === 'note' && e.name === 'failure')?.message;
    expect(reason).toBe(resapi === 'v2' ? 'SignalFailure(5038)' : 'the failure event was signalled');
    expect(up.events.some((e) => e.kind === 'log' && /host for resource type LossType lost/.test(e.message ?? ''))).toBe(false);
    expect(cluster.events.some((e) => e.kind === 'log' && /host for resource type LossType lost/.test(e.message ?? ''))).toBe(true);
    expect(await up.isAlive()).toBe(false);

    hang = false;
    await sleep(20);
    expect(await up.online()).toBe('Online');
    expect(await up.isAlive()).toBe(true);
    expect(await pending.online()).toBe('Online');
    const slow = cluster.events.filter((e) => e.kind === 'call' && (e.durationMs ?? 0) > 250);
    expect(slow).toEqual([]);
    expect(cluster.violations).toEqual([]);
  });
});

// In-process the host's JavaScript outlives the shim's sessions: a handler of the session that
// ended may answer after the shim started the next one, before the runtime has read its Hello
// (it waits in the event loop's queue). That answer belongs to no resource of the new session,
// and the new host must not be dropped for it ("host sent result before the handshake").
test('an answer of the ended session does not cost the next host its session', async () => {
  let release: (() => void) | undefined;
  const Late = defineResourceType({
    name: 'LateType',
    open: (res) => ({ online: () => (res.name === 'late' ? new Promise<void>((r) => (release = r)) : undefined) }),
  });
  cluster = await MockCluster.start();
  const late = await cluster.createResource(Late, 'late');
  const next = await cluster.createResource(Late, 'next');
  const stuck = late.online();
  await until(() => release !== undefined, 'the handler to run');
  cluster.killHost();
  expect(await stuck).toBe('Failed');
  const online = next.online();  // starts the next host
  const busyUntil = Date.now() + 200;
  while (Date.now() < busyUntil) {
    // this loop is blocked: the shim relaunches meanwhile, and its Hello waits behind the answer
  }
  release!();
  expect(await online).toBe('Online');
  const losses = cluster.events.filter((e) => e.kind === 'log' && /host for resource type LateType lost/.test(e.message ?? ''));
  expect(losses.map((e) => e.message)).toHaveLength(1);
  expect(cluster.violations).toEqual([]);
});
