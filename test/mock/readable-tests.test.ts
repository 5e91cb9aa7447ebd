// Tests that read well (issue 14 item 4): `await using` on MockCluster and MockResource,
// createResource typed from the definition, timeline lines with names and colour, and a
// timeline that keeps the last N events and says how many it dropped.
import { describe, expect, expectTypeOf, test } from 'vitest';
import { defineResourceType, prop, userCode } from '../../lib/index.js';
import { colorEnabled, formatEvent, MockCluster, type MockResource, type TimelineEvent } from '../../lib/testing/index.js';

const ECHO = userCode(7);
const Web = defineResourceType({
  name: 'ReadableWeb',
  properties: { Port: prop.dword({ default: 8080, min: 1, max: 65535 }), Root: prop.sz({ default: '/srv' }) },
  open: () => ({
    async online({ progress }) {
      progress();
      await new Promise((r) => setTimeout(r, 5));
    },
    looksAlive: () => true,
    isAlive: () => true,
    controls: { [ECHO]: (input) => input },
  }),
});

describe('await using', () => {
  test('a cluster and its resource clean up when the scope ends', async () => {
    let outer: MockCluster | undefined;
    let res: MockResource<typeof Web.properties> | undefined;
    {
      await using cluster = await MockCluster.start();
      await using r = await cluster.createResource(Web, 'web1');
      expect(await r.online()).toBe('Online');
      [outer, res] = [cluster, r];
    }
    // The resource was closed first (declared last), then the cluster stopped.
    expect(res!.state).toBe('Closed');
    expect(res!.events.filter((e) => e.kind === 'call').map((e) => e.name).slice(-1)).toEqual(['Close']);
    await expect(outer!.createResource(Web, 'web2')).rejects.toThrow('MockCluster: stopped');
    expect(outer!.violations).toEqual([]);
  });

  test('disposing a resource closed already, or after the cluster stopped, is a no-op', async () => {
    const cluster = await MockCluster.start();
    const r = await cluster.createResource(Web, 'web1');
    await r.close();
    await r[Symbol.asyncDispose]();
    await cluster.stop();
    await cluster[Symbol.asyncDispose]();
    expect(cluster.violations).toEqual([]);
  });
});

describe('createResource is typed from the definition', () => {
  test('by definition, and by type name with the definition as type argument', async () => {
    await using cluster = await MockCluster.start();
    const byDef = await cluster.createResource(Web, 'a', { properties: { Port: 81 } });
    expectTypeOf(byDef).toEqualTypeOf<MockResource<typeof Web.properties>>();
    // @ts-expect-error Port is a dword
    await expect(cluster.createResource(Web, 'bad1', { properties: { Port: 'x' } })).rejects.toThrow();
    // @ts-expect-error the type has no property Typo
    await cluster.createResource(Web, 'bad2', { properties: { Typo: 1 } }).then((r) => r.close(), () => undefined);

    const byName = await cluster.createResource<typeof Web>('ReadableWeb', 'b', { properties: { Root: '/www' } });
    expectTypeOf(byName).toEqualTypeOf<MockResource<typeof Web.properties>>();
    expect((await byName.getProperties()).Root).toBe('/www');
    // @ts-expect-error Port is a dword, by name too
    await expect(cluster.createResource<typeof Web>('ReadableWeb', 'bad3', { properties: { Port: 'x' } })).rejects.toThrow();
    // @ts-expect-error the type has no property Typo, by name too
    await cluster.createResource<typeof Web>('ReadableWeb', 'bad4', { properties: { Typo: 1 } }).then((r) => r.close(), () => undefined);
    // Without a definition, by name: any property goes through (the shim checks at run time).
    expectTypeOf(cluster.createResource('ReadableWeb', 'c')).resolves.toEqualTypeOf<MockResource>();
  });
});

describe('timeline lines', () => {
  test('entry points, control codes and Win32 codes by name', async () => {
    await using cluster = await MockCluster.start();
    await using r = await cluster.createResource(Web, 'web1');
    await r.online();
    await r.control(ECHO, Buffer.from('hi'));
    await r.setProperties({ Port: 9090 });
    await r.looksAlive();
    await expect(r.control(0x01000ff0)).rejects.toThrow();
    const lines = r.events.map((e) => formatEvent(e));
    expect(lines).toContainEqual(expect.stringMatching(/web1 call {2}Online -> ERROR_IO_PENDING \(\d+\.\d\d ms\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/web1 state Online$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`ResourceControl\\(user code 0x${ECHO.toString(16).padStart(8, '0')}\\) -> ERROR_SUCCESS`)));
    expect(lines).toContainEqual(expect.stringMatching(/ResourceControl\(CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES\) -> ERROR_RESOURCE_PROPERTIES_STORED/));
    expect(lines).toContainEqual(expect.stringMatching(/call {2}LooksAlive -> TRUE/));
    expect(lines).toContainEqual(expect.stringMatching(/ResourceControl\(0x01000ff0\) -> ERROR_INVALID_FUNCTION/));
    expect(lines.join('\n')).not.toContain('\x1b[');
    const typeLines = cluster.events.filter((e) => e.resource === '').map((e) => formatEvent(e));
    expect(typeLines).toContainEqual(expect.stringMatching(/\(type\) call {2}StartupEx -> ERROR_SUCCESS/));
  });

  test('colour on request: failures red, Online green, and nothing else changes', () => {
    const failed: TimelineEvent = { at: 1500, resource: 'r', kind: 'call', name: 'Online', result: 5038, durationMs: 1 };
    const plain = formatEvent(failed);
    const coloured = formatEvent(failed, { color: true });
    expect(plain).toBe('   1.500s r call  Online -> ERROR_RESOURCE_FAILED (1.00 ms)');
    expect(coloured).toContain('\x1b[31mERROR_RESOURCE_FAILED\x1b[0m');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
    expect(formatEvent({ at: 0, resource: 'r', kind: 'state', name: 'Online', result: 0 }, { color: true })).toContain('\x1b[32mOnline\x1b[0m');
  });

  test('colour follows the terminal, NO_COLOR and FORCE_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('a bounded timeline', () => {
  test('keeps the last N events, counts the dropped ones, keeps every violation', async () => {
    await using cluster = await MockCluster.start({ timelineLimit: 50, callLimitMs: 1 });
    const Slow = defineResourceType({
      name: 'ReadableSlow',
      open: () => ({ looksAlive: () => { const until = Date.now() + 3; while (Date.now() < until); return true; } }),
    });
    await using r = await cluster.createResource(Slow, 's1');
    for (let i = 0; i < 200; i++) await r.looksAlive();
    const events = cluster.events;
    expect(events).toHaveLength(50);
    expect(cluster.droppedEvents).toBeGreaterThanOrEqual(150);
    // The kept ones are the newest, in order.
    const ats = events.map((e) => e.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(events.at(-1)!.kind === 'call' || events.at(-1)!.kind === 'violation').toBe(true);
    // Every slow call is a violation (limit 1 ms); none of them is dropped.
    expect(cluster.violations.filter((v) => v.kind === 'slow-call').length).toBeGreaterThanOrEqual(200);
  });

  test('by default the last 10,000; Infinity keeps all; a bad limit is refused before anything starts', async () => {
    const flood = async (options: { timelineLimit?: number }) => {
      await using cluster = await MockCluster.start(options);
      await using r = await cluster.createResource(Web, 'w');
      await Promise.all(Array.from({ length: 10_100 }, () => r.looksAlive()));
      return { kept: cluster.events.length, dropped: cluster.droppedEvents };
    };
    const byDefault = await flood({});
    expect(byDefault.kept).toBe(10_000);
    expect(byDefault.dropped).toBeGreaterThan(100);
    const all = await flood({ timelineLimit: Infinity });
    expect(all.dropped).toBe(0);
    expect(all.kept).toBeGreaterThan(10_100);
    await expect(MockCluster.start({ timelineLimit: 0 })).rejects.toThrow('timelineLimit must be a positive integer or Infinity, got 0');
  }, 60000);
});
