// Requests that arrive while an Online or Offline is pending: the mock monitor holds them back
// until the pending operation ends, as the cluster does (it drives one transition of a resource
// at a time), so the second one's report is never mistaken for a report outside pending.
import { afterEach, describe, expect, test } from 'vitest';
import { defineResourceType } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';
import { sleep, states } from '../support/timeline.js';

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe.each(['v1', 'v2'] as const)('transitions on %s', (resapi) => {
  test('a second Online asked for while the first is pending runs after it, and its failure is a failure', async () => {
    let onlines = 0;
    const Twice = defineResourceType({
      name: 'TwiceOnline',
      open: () => ({
        async online() {
          const n = ++onlines;
          await sleep(60);
          if (n === 2) throw new Error('the second Online fails');
        },
      }),
    });
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Twice, 'r');
    const [first, second] = await Promise.all([res.online(), res.online()]);
    expect([first, second]).toEqual(['Online', 'Failed']);
    expect(states(res.events).slice(0, 4)).toEqual(['OnlinePending', 'Online', 'OnlinePending', 'Failed']);
    expect(cluster.violations).toEqual([]);
  });

  test('an Offline asked for during a pending Online waits for it', async () => {
    const Slow = defineResourceType({ name: 'SlowOnline', open: () => ({ online: () => sleep(80), offline: () => undefined }) });
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Slow, 'r');
    const online = res.online();
    await sleep(10);
    expect(await res.offline()).toBe('Offline');
    expect(await online).toBe('Online');
    expect(states(res.events)).toEqual(['OnlinePending', 'Online', 'OfflinePending', 'Offline']);
    expect(cluster.violations).toEqual([]);
  });
});
