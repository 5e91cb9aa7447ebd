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
