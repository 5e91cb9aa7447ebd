// The monitor's contract checks catch each breach (DESIGN §5). The shim never commits them, so
// they are provoked with a deliberately bad library the monitor loads (native/tests), except
// the ones real handlers can cause (slow calls, see also stress.test.ts for overlapping calls).
import { afterEach, expect, test } from 'vitest';
import { defineResourceType } from '../../lib/index.js';
import { native, type MonitorEvent, type MonitorOptions, type NativeMonitor } from '../../lib/native.js';
import { MockCluster } from '../../lib/testing/index.js';
import { testLibrary } from '../support/native-build.js';
import { sleep, until } from '../support/timeline.js';

const base: MonitorOptions = {
  resapiVersion: 0x200, polling: false, looksAliveMs: 5000, isAliveMs: 60000, pendingTimeoutMs: 180000,
  restart: false, restartThreshold: 3, restartPeriodMs: 900000, restartDelayMs: 500, callLimitMs: 300,
  serializeCalls: true, threads: 2, library: testLibrary('contract_breaker'),
};

let monitor: NativeMonitor | undefined;
afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
});

async function breaker(resapiVersion: number) {
  const events: MonitorEvent[] = [];
  monitor = new (native().Monitor)({ ...base, resapiVersion }, (e) => events.push(e));
  expect((await monitor.startType('Breaker')).status).toBe(0);
  const open = async (name: string) => (await monitor!.open('Breaker', name, Buffer.alloc(0))).resource;
  const violations = () => events.filter((e) => e.kind === 'violation').map((e) => `${e.resource} ${e.name}`);
  return { open, violations, events };
}

for (const resapiVersion of [0x100, 0x200]) {
  test(`SetResourceStatus outside a pending operation (${resapiVersion.toString(16)})`, async () => {
    const b = await breaker(resapiVersion);
    const id = await b.open('status-outside-pending');
    expect((await monitor!.call(id, 'online')).state).toBe('Online');
    expect(b.violations()).toEqual([]);
    await monitor!.call(id, 'looksAlive');
    expect(b.violations()).toEqual(['status-outside-pending status-outside-pending']);
  });

  test(`CheckPoint not increasing (${resapiVersion.toString(16)})`, async () => {
    const b = await breaker(resapiVersion);
    const r = await monitor!.call(await b.open('checkpoint-not-increasing'), 'online');
    expect(r.state).toBe('Online');
    expect(b.violations()).toEqual(['checkpoint-not-increasing checkpoint-not-increasing']);
  });
}

test('an entry point over 300 ms is reported while it still runs', async () => {
  const b = await breaker(0x200);
  const id = await b.open('slow-call');
  const call = monitor!.call(id, 'looksAlive');
  await until(() => b.violations().length > 0, 'the watchdog to flag the running call', 2000);
  expect(b.events.some((e) => e.kind === 'call' && e.name === 'LooksAlive')).toBe(false);  // still running
  await call;
  expect(b.violations()).toEqual(['slow-call slow-call']);  // once, not again when it returns
});

test('an exception escaping an entry point', async () => {
  const b = await breaker(0x200);
  const r = await monitor!.call(await b.open('exception'), 'isAlive');
  expect(r.alive).toBe(false);
  expect(b.violations()).toEqual(['exception exception']);
});

test('a well-behaved resource of the same library has no violations', async () => {
  const b = await breaker(0x200);
  const id = await b.open('fine');
  await monitor!.call(id, 'online');
  await monitor!.call(id, 'isAlive');
  await monitor!.call(id, 'offline');
  expect(b.violations()).toEqual([]);
});

test('through the real shim: a tighter call limit flags a health check that waits for its handler', async () => {
  const Sluggish = defineResourceType({
    name: 'Sluggish',
    open: () => ({ isAlive: async () => (await sleep(60), true) }),
  });
  const cluster = await MockCluster.start({ callLimitMs: 20 });
  try {
    const res = await cluster.createResource(Sluggish, 's');
    await res.online();
    expect(await res.isAlive()).toBe(true);
    expect(cluster.violations.map((v) => v.kind)).toEqual(['slow-call']);
  } finally {
    await cluster.stop();
  }
});
