// Issue 12 §3: the mock must not pass what a cluster would refuse — initial properties meet the
// validate hook, a required read-only property without a default is refused, property names are
// case-insensitive everywhere, a rejected SET says why, a host process refuses a definition that
// is not the module it runs, and a failed Online resolves once the monitor's Terminate has run.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { clusctl, decodePropertyList, defineResourceType, encodePropertyList, prop, ResourceError, win32 } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const Cache = defineResourceType({
  name: 'FidelityCache',
  properties: {
    Port: prop.dword({ default: 6379, min: 1024, max: 65535 }),
    DataDir: prop.sz({ required: true }),
  },
  validate(props) {
    if (props.DataDir.startsWith('/tmp')) throw new ResourceError(win32.ERROR_INVALID_PARAMETER, `DataDir ${props.DataDir} is on a temporary file system`);
  },
  open: () => ({}),
});

describe('initial properties meet the validate hook', () => {
  test('createResource refuses values validate rejects, with its message', async () => {
    cluster = await MockCluster.start();
    await expect(cluster.createResource(Cache, 'c1', { properties: { DataDir: '/tmp/c' } })).rejects.toThrow(/validate rejected the initial properties of 'c1'.*temporary file system/);
    await expect(cluster.createResource(Cache, 'c1', { properties: { DataDir: '/tmp/c' } })).rejects.toBeInstanceOf(ResourceError);
    const res = await cluster.createResource(Cache, 'c1', { properties: { DataDir: '/srv/c' } });
    expect(await res.online()).toBe('Online');
    expect(cluster.violations).toEqual([]);
  });

  test('and the schema: an initial value below the minimum is refused', async () => {
    cluster = await MockCluster.start();
    await expect(cluster.createResource(Cache, 'c2', { properties: { DataDir: '/srv', Port: 80 } })).rejects.toThrow(/'Port' 80 is below the minimum 1024/);
  });
});

test('a required read-only property without a default is refused by defineResourceType', () => {
  expect(() => defineResourceType({ name: 'NoWay', properties: { Id: prop.sz({ required: true, readOnly: true }) }, open: () => ({}) }))
    .toThrow(/'Id' is required and read-only but has no default/);
  expect(() => defineResourceType({ name: 'Fine', properties: { Id: prop.sz({ required: true, readOnly: true, default: 'x' }) }, open: () => ({}) })).not.toThrow();
  expect(() => defineResourceType({ name: 'Twice', properties: { Port: prop.dword(), port: prop.dword() }, open: () => ({}) }))
    .toThrow(/'Port' and 'port' differ only in case/);
});

describe.each(['v1', 'v2'] as const)('on %s', (resapi) => {
  test('property names are case-insensitive: initial values, setProperties, and a raw SET', async () => {
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Cache, 'ci', { properties: { datadir: '/srv/a' } as never });
    expect(await res.getProperties()).toMatchObject({ DataDir: '/srv/a', Port: 6379 });
    await res.setProperties({ port: 7000 } as never);
    // A cluster client spelling it its own way (as PowerShell would pass it through).
    const out = await res.control(clusctl.RESOURCE_SET_PRIVATE_PROPERTIES, encodePropertyList([{ name: 'DATADIR', format: 'sz', value: '/srv/b' }]));
    expect(out.length).toBe(0);
    expect(await res.getProperties()).toMatchObject({ DataDir: '/srv/b', Port: 7000 });
    // Stored under the schema's spelling.
    expect(res.storedProperties().map((p) => p.name).sort()).toEqual(['DataDir', 'Port']);
    expect(decodePropertyList(await res.control(clusctl.RESOURCE_GET_PRIVATE_PROPERTIES)).map((p) => p.name)).toEqual(['Port', 'DataDir']);
    expect(cluster.violations).toEqual([]);
  });

  test("a rejected SET's error says why: the schema's reason or the validate hook's message", async () => {
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Cache, 'rej', { properties: { DataDir: '/srv/a' } });
    await expect(res.setProperties({ Port: 80 })).rejects.toThrow(/ERROR_INVALID_PARAMETER: .*'Port' = 80 is below the minimum 1024/);
    await expect(res.setProperties({ DataDir: '/tmp/x' })).rejects.toThrow(/temporary file system/);
    expect(await res.getProperties()).toMatchObject({ DataDir: '/srv/a', Port: 6379 });
    expect(cluster.violations).toEqual([]);
  });

  test("a failed Online resolves 'Failed' once the monitor's follow-up Terminate has run", async () => {
    let terminated = 0;
    const Failing = defineResourceType({
      name: 'FailsOnline',
      open: () => ({
        online: () => {
          throw new ResourceError(win32.ERROR_GEN_FAILURE, 'cannot start');
        },
        terminate: () => void terminated++,
      }),
    });
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(Failing, 'f');
    expect(await res.online()).toBe('Failed');
    const failure = res.events.find((e) => e.kind === 'note' && e.name === 'failure')!;
    expect(res.events.some((e) => e.kind === 'call' && e.name === 'Terminate' && e.at > failure.at)).toBe(true);
    expect(terminated).toBe(1);
    expect(res.state).toBe('Failed');
    expect(cluster.violations).toEqual([]);
  });
});

test("host 'process': a definition whose manifest is not the compiled module's fails, naming the difference and 'rebuild'", async () => {
  const module = fileURLToPath(new URL('../fixtures/spawning-type.mjs', import.meta.url));
  cluster = await MockCluster.start({ host: 'process', module });
  const edited = defineResourceType({ name: 'SpawningType', properties: { Interval: prop.dword({ default: 5 }) }, open: () => ({}) });
  await expect(cluster.createResource(edited, 'stale')).rejects.toThrow(/manifest\.properties: .* in the compiled module, .* in the definition passed\); rebuild/);
  // The module's own definition (or an equal one) is the type the host serves.
  const { default: same } = (await import('../fixtures/spawning-type.mjs')) as unknown as { default: typeof edited };
  const res = await cluster.createResource(same, 'fresh');
  expect(await res.online()).toBe('Online');
  expect(cluster.violations).toEqual([]);
});
