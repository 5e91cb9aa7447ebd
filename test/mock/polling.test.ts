// The monitor acting on its own like RHS: polls LooksAlive/IsAlive, fails a resource whose IsAlive
// says FALSE, terminates it, and restarts it by RestartThreshold/RestartPeriod/RestartDelay.
import { afterEach, describe, expect, test } from 'vitest';
import { defineResourceType } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';
import { calls, sleep, until } from '../support/timeline.js';

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const notes = (c: MockCluster, kind: string) => c.events.filter((e) => e.kind === 'note' && e.name === kind);

describe.each(['v1', 'v2'] as const)('polling on %s', (resapi) => {
  test('IsAlive FALSE -> Failed -> Terminate -> restart, until RestartThreshold', async () => {
    let healthy = true;
    let onlines = 0;
    const Flaky = defineResourceType({
      name: 'FlakyType',
      open: () => ({
        online: () => {
          onlines++;
        },
        isAlive: () => healthy,
      }),
    });
    cluster = await MockCluster.start({
      resapi,
      polling: { looksAliveMs: 20, isAliveMs: 40 },
      restart: { threshold: 2, periodMs: 60000, delayMs: 30 },
    });
    const res = await cluster.createResource(Flaky, 'flaky');
    expect(await res.online()).toBe('Online');
    await sleep(120);
    expect(res.state).toBe('Online');  // polls while healthy change nothing

    healthy = false;
    const c = cluster;
    await until(() => notes(c, 'restart-exhausted').length === 1, 'the restart threshold', 5000);
    await until(() => calls(res.events).filter((x) => x === 'Terminate=0').length === 3, 'the third Terminate');
    expect(res.state).toBe('Failed');
    expect(onlines).toBe(3);  // the first Online and two restarts
    expect(notes(c, 'restart-scheduled').map((e) => e.message)).toEqual([
      'restart 1 of 2 in 30 ms',
      'restart 2 of 2 in 30 ms',
    ]);
    const seq = res.events.filter((e) => e.kind === 'state').map((e) => e.name);
    expect(seq).toEqual(['OnlinePending', 'Online', 'Failed', 'OnlinePending', 'Online', 'Failed', 'OnlinePending', 'Online', 'Failed']);
    expect(c.violations).toEqual([]);
  });

  test('LooksAlive FALSE makes the monitor ask IsAlive at once (V2); V1 polls no LooksAlive', async () => {
    let looks = true;
    let isAliveCalls = 0;
    const Doubtful = defineResourceType({
      name: 'DoubtfulType',
      open: () => ({
        looksAlive: () => looks,
        isAlive: () => {
          isAliveCalls++;
          return true;
        },
      }),
    });
    cluster = await MockCluster.start({ resapi, polling: { looksAliveMs: 20, isAliveMs: 60000 } });
    const res = await cluster.createResource(Doubtful, 'd');
    await res.online();
    await sleep(80);
    expect(isAliveCalls).toBe(0);
    if (resapi === 'v1') {
      // Online returned an event handle, which replaces LooksAlive polling (contract §3.6).
      expect(calls(res.events).filter((x) => x.startsWith('LooksAlive'))).toEqual([]);
      return;
    }
    looks = false;
    // The handler runs before the monitor records the call's return: wait for the record.
    await until(() => calls(res.events).includes('IsAlive=1'), 'an IsAlive after LooksAlive FALSE');
    expect(isAliveCalls).toBeGreaterThan(0);
    expect(res.state).toBe('Online');  // IsAlive said TRUE: no failure
    const seq = calls(res.events);
    expect(seq[seq.indexOf('LooksAlive=0') + 1]).toBe('IsAlive=1');
    expect(cluster.violations).toEqual([]);
  });

  test('an IsAlive FALSE that arrives after the deadline is still reported as a failure', async () => {
    let verdict = true;
    const Slow = defineResourceType({
      name: 'SlowVerdict',
      open: () => ({ isAlive: () => new Promise<boolean>((r) => setTimeout(() => r(verdict), 300)) }),
    });
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Slow, 'slow');
    await res.online();
    verdict = false;
    expect(await res.isAlive()).toBe(true);  // the deadline passed: the cached answer
    // The real answer (FALSE) comes 100 ms later: SignalFailure on V2, the Online event on V1.
    await until(() => res.events.some((e) => e.kind === 'note' && e.name === 'failure'), 'the failure report', 2000);
    expect(res.state).toBe('Failed');
    const failure = res.events.find((e) => e.kind === 'note' && e.name === 'failure');
    expect(failure?.message).toBe(resapi === 'v2' ? 'SignalFailure(5038)' : 'the failure event was signalled');
    expect(cluster.violations).toEqual([]);
  });
});
