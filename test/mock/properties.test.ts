// Private properties and the control codes the shim answers natively from the manifest, driven
// through the real ResourceControl path with real buffers (resdll-contract.md §7-§8).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  clusctl, CLUS_CHAR, CLUS_RESCLASS, decodeMultiSz, decodePropertyList, defineResourceType, encodePropertyList, prop,
  ResourceError, win32,
} from '../../lib/index.js';
import { MockCluster, type MockResource } from '../../lib/testing/index.js';
import { callDurations, logs, sleep } from '../support/timeline.js';

let rejectNext: string | undefined;
let hangValidate = false;
const changes: string[][] = [];
const Cache = defineResourceType({
  name: 'PropsCache',
  properties: {
    Port: prop.dword({ default: 6379, min: 1, max: 65535 }),
    DataDir: prop.sz({ required: true }),
    Tags: prop.multiSz({ default: [] }),
    Offset: prop.long({ default: -5, min: -100, max: 100 }),
    MaxBytes: prop.ulargeInteger({ default: 1n << 40n }),
    Version: prop.sz({ readOnly: true, default: '1.2.3' }),
  },
  characteristics: CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON,
  flags: 0x10000,
  resourceClass: CLUS_RESCLASS.USER,
  resourceSubClass: 7,
  requiredDependencies: { classes: [CLUS_RESCLASS.NETWORK], types: ['IP Address'] },
  validate(p) {
    if (hangValidate) return new Promise<void>(() => {});
    if (rejectNext && p.DataDir === rejectNext) throw new ResourceError(win32.ERROR_INVALID_PARAMETER, `DataDir ${p.DataDir} is not allowed`);
  },
  open: (res) => ({
    onPropertiesChanged(changed) {
      changes.push([...changed, `Port=${res.properties.Port}`]);
    },
  }),
});

let cluster: MockCluster | undefined;
afterEach(async () => {
  rejectNext = undefined;
  hangValidate = false;
  changes.length = 0;
  await cluster?.stop();
  cluster = undefined;
});

async function start(): Promise<MockResource<typeof Cache.properties>> {
  cluster = await MockCluster.start();
  return cluster.createResource(Cache, 'c1', { properties: { DataDir: '/data', Port: 7000 } });
}

describe('reading', () => {
  test('GET_PRIVATE_PROPERTIES: stored values, then defaults, in schema order; GET_RO separately', async () => {
    const res = await start();
    expect(decodePropertyList(await res.control(clusctl.RESOURCE_GET_PRIVATE_PROPERTIES))).toEqual([
      { name: 'Port', format: 'dword', value: 7000 },
      { name: 'DataDir', format: 'sz', value: '/data' },
      { name: 'Tags', format: 'multiSz', value: [] },
      { name: 'Offset', format: 'long', value: -5 },
      { name: 'MaxBytes', format: 'ulargeInteger', value: 1n << 40n },
    ]);
    expect(await res.getProperties({ readOnly: true })).toEqual({ Version: '1.2.3' });
    expect(await res.getProperties()).toMatchObject({ Port: 7000, DataDir: '/data' });
  });

  test('ENUM_PRIVATE_PROPERTIES and GET_PRIVATE_PROPERTY_FMTS', async () => {
    const res = await start();
    expect(decodeMultiSz(await res.control(clusctl.RESOURCE_ENUM_PRIVATE_PROPERTIES))).toEqual([
      'Port', 'DataDir', 'Tags', 'Offset', 'MaxBytes', 'Version',
    ]);
    const fmts = decodePropertyList(await res.control(clusctl.RESOURCE_GET_PRIVATE_PROPERTY_FMTS));
    expect(fmts.map((p) => [p.name, p.format, p.value])).toEqual([
      ['Port', 'word', 2], ['DataDir', 'word', 3], ['Tags', 'word', 5], ['Offset', 'word', 7], ['MaxBytes', 'word', 6], ['Version', 'word', 3],
    ]);
  });

  test('CHARACTERISTICS, FLAGS, CLASS_INFO, REQUIRED_DEPENDENCIES, UNKNOWN', async () => {
    const res = await start();
    expect((await res.control(clusctl.RESOURCE_GET_CHARACTERISTICS)).readUInt32LE(0)).toBe(CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON);
    expect((await res.control(clusctl.RESOURCE_GET_FLAGS)).readUInt32LE(0)).toBe(0x10000);
    const info = await res.control(clusctl.RESOURCE_GET_CLASS_INFO);
    expect([info.readUInt32LE(0), info.readUInt32LE(4)]).toEqual([CLUS_RESCLASS.USER, 7]);
    const deps = await res.control(clusctl.RESOURCE_GET_REQUIRED_DEPENDENCIES);
    const name = Buffer.from('IP Address\0', 'utf16le');
    const expected = Buffer.alloc(12 + 8 + 24 + 4);
    expected.writeUInt32LE(0x00020002, 0); // CLUSPROP_SYNTAX_RESCLASS
    expected.writeUInt32LE(4, 4);
    expected.writeUInt32LE(CLUS_RESCLASS.NETWORK, 8);
    expected.writeUInt32LE(0x00040003, 12); // CLUSPROP_SYNTAX_NAME
    expected.writeUInt32LE(name.length, 16);
    name.copy(expected, 20); // 22 bytes, padded to 24; ENDMARK (0) follows
    expect(deps.toString('hex')).toBe(expected.toString('hex'));
    expect((await res.control(clusctl.RESOURCE_UNKNOWN)).length).toBe(0);
  });

  test('the type-level codes through ResourceTypeControl', async () => {
    await start();
    const c = cluster!;
    expect((await c.controlType(Cache, clusctl.RESOURCE_TYPE_GET_CHARACTERISTICS)).readUInt32LE(0)).toBe(CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON);
    expect((await c.controlType(Cache, clusctl.RESOURCE_TYPE_GET_CLASS_INFO)).readUInt32LE(0)).toBe(CLUS_RESCLASS.USER);
    expect(decodeMultiSz(await c.controlType(Cache, clusctl.RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES))).toEqual([]);
    expect(decodePropertyList(await c.controlType(Cache, clusctl.RESOURCE_TYPE_GET_PRIVATE_PROPERTIES))).toEqual([]);
    expect(decodePropertyList(await c.controlType(Cache, clusctl.RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS)).map((p) => p.name)).toEqual([
      'Port', 'DataDir', 'Tags', 'Offset', 'MaxBytes', 'Version',
    ]);
    await expect(c.controlType(Cache, clusctl.RESOURCE_TYPE_SET_PRIVATE_PROPERTIES, encodePropertyList([{ name: 'X', format: 'dword', value: 1 }])))
      .rejects.toMatchObject({ code: win32.ERROR_INVALID_PARAMETER });
    expect((await c.controlType(Cache, clusctl.RESOURCE_TYPE_UNKNOWN)).length).toBe(0);
  });

  test('a too-small buffer gets ERROR_MORE_DATA with the exact size, then success', async () => {
    const res = await start();
    const full = await res.control(clusctl.RESOURCE_GET_PRIVATE_PROPERTIES);
    const err = await res.control(clusctl.RESOURCE_GET_PRIVATE_PROPERTIES, Buffer.alloc(0), { outputSize: 16 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: win32.ERROR_MORE_DATA, bytesNeeded: full.length });
    const again = await res.control(clusctl.RESOURCE_GET_PRIVATE_PROPERTIES, Buffer.alloc(0), { outputSize: full.length });
    expect(again.equals(full)).toBe(true);
  });
});

describe('SET_PRIVATE_PROPERTIES', () => {
  test('stores atomically, notifies the open resource, and says when a restart is needed', async () => {
    const res = await start();
    expect(await res.setProperties({ Port: 8080, Tags: ['a', 'b'] })).toEqual({ restartRequired: false });
    expect(await res.getProperties()).toMatchObject({ Port: 8080, Tags: ['a', 'b'], DataDir: '/data' });
    await sleep(20);
    expect(changes).toEqual([['Port', 'Tags', 'Port=8080']]);
    expect(await res.online()).toBe('Online');
    expect(await res.setProperties({ Port: 8081 })).toEqual({ restartRequired: true });
    expect(res.storedProperties().find((p) => p.name === 'Port')?.value).toBe(8081);
    expect(cluster!.violations).toEqual([]);
  });

  test('VALIDATE checks without storing', async () => {
    const res = await start();
    const before = res.storedProperties();
    const input = encodePropertyList([{ name: 'Port', format: 'dword', value: 1234 }]);
    expect((await res.control(clusctl.RESOURCE_VALIDATE_PRIVATE_PROPERTIES, input)).length).toBe(0);
    await expect(res.control(clusctl.RESOURCE_VALIDATE_PRIVATE_PROPERTIES, encodePropertyList([{ name: 'Port', format: 'dword', value: 0 }])))
      .rejects.toMatchObject({ code: win32.ERROR_INVALID_PARAMETER });
    expect(res.storedProperties()).toEqual(before);
  });

  const set = (res: MockResource, list: Parameters<typeof encodePropertyList>[0]) =>
    res.control(clusctl.RESOURCE_SET_PRIVATE_PROPERTIES, encodePropertyList(list)).catch((e: unknown) => e);

  test.each([
    ['out of range', [{ name: 'Port', format: 'dword', value: 70000 }], win32.ERROR_INVALID_PARAMETER, "property 'Port' = 70000 is above the maximum 65535"],
    ['below a signed minimum', [{ name: 'Offset', format: 'long', value: -101 }], win32.ERROR_INVALID_PARAMETER, "property 'Offset' = -101 is below the minimum -100"],
    ['of the wrong type', [{ name: 'Port', format: 'sz', value: '8080' }], win32.ERROR_INVALID_PARAMETER, "property 'Port' must be dword, got sz"],
    ['read-only', [{ name: 'Version', format: 'sz', value: '9' }], win32.ERROR_INVALID_PARAMETER, "property 'Version' is read-only"],
    ['unknown', [{ name: 'Nope', format: 'dword', value: 1 }], win32.ERROR_INVALID_PARAMETER, "unknown property 'Nope'"],
    ['a required one emptied', [{ name: 'DataDir', format: 'sz', value: '' }], win32.ERROR_INVALID_PARAMETER, "required property 'DataDir' cannot be empty"],
    ['with two values', [{ name: 'Port', format: 'dword', value: 1, values: [1, 2] }], win32.ERROR_INVALID_PARAMETER, "property 'Port' takes exactly one value"],
    ['valid entries next to a bad one', [{ name: 'Tags', format: 'multiSz', value: ['x'] }, { name: 'Port', format: 'dword', value: 0 }], win32.ERROR_INVALID_PARAMETER, "property 'Port' = 0 is below the minimum 1"],
  ] as const)('%s: the precise error, nothing stored', async (_what, list, code, message) => {
    const res = await start();
    const before = res.storedProperties();
    expect(await set(res, list as never)).toMatchObject({ code });
    expect(logs(res.events)).toContain(`error: SET_PRIVATE_PROPERTIES rejected: ${message}`);
    expect(res.storedProperties()).toEqual(before);
    expect(changes).toEqual([]);
  });

  test('a malformed property list: ERROR_INVALID_DATA with offset and reason, nothing stored', async () => {
    const res = await start();
    const before = res.storedProperties();
    const bad = encodePropertyList([{ name: 'Port', format: 'dword', value: 9 }]).subarray(0, 30);
    await expect(res.control(clusctl.RESOURCE_SET_PRIVATE_PROPERTIES, bad)).rejects.toMatchObject({ code: win32.ERROR_INVALID_DATA });
    expect(logs(res.events)).toContain('error: SET_PRIVATE_PROPERTIES rejected: malformed property list at offset 24: truncated-header');
    expect(res.storedProperties()).toEqual(before);
  });

  test('rejected by validate: its code, its message in the log, nothing stored', async () => {
    const res = await start();
    const before = res.storedProperties();
    rejectNext = '/forbidden';
    await expect(res.setProperties({ DataDir: '/forbidden' })).rejects.toMatchObject({ code: win32.ERROR_INVALID_PARAMETER });
    expect(logs(res.events)).toContain('error: validate rejected the properties: ERROR_INVALID_PARAMETER: DataDir /forbidden is not allowed');
    expect(res.storedProperties()).toEqual(before);
  });

  test('a validate hook that never answers: ERROR_TIMEOUT within the budget, nothing stored', async () => {
    const res = await start();
    const before = res.storedProperties();
    hangValidate = true;
    await expect(res.setProperties({ Port: 9000 })).rejects.toMatchObject({ code: win32.ERROR_TIMEOUT });
    expect(Math.max(...callDurations(res.events, 'ResourceControl'))).toBeLessThan(300);
    expect(res.storedProperties()).toEqual(before);
    expect(cluster!.violations).toEqual([]);
  });
});

test('reads work while the host is down; a SET that needs the validate hook says so', async () => {
  const res = await start();
  cluster!.killHost();
  await sleep(50);
  expect(await res.getProperties()).toMatchObject({ Port: 7000 });
  expect((await res.control(clusctl.RESOURCE_GET_CHARACTERISTICS)).readUInt32LE(0)).toBe(CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON);
  await expect(res.setProperties({ Port: 1 })).rejects.toMatchObject({ code: win32.ERROR_NOT_READY });
  expect(res.storedProperties().find((p) => p.name === 'Port')?.value).toBe(7000);
});

test('handlers see new values at the next Online; the store persists to a JSON file', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wsfc-props-')), 'store.json');
  const seen: number[] = [];
  const Persisted = defineResourceType({
    name: 'PersistedType',
    properties: { Port: prop.dword({ default: 1 }) },
    restartOnPropertyChange: false,
    open: (res) => ({ online: () => void seen.push(res.properties.Port) }),
  });
  cluster = await MockCluster.start({ propertiesFile: file });
  const res = await cluster.createResource(Persisted, 'p1');
  await res.online();
  expect(await res.setProperties({ Port: 4242 })).toEqual({ restartRequired: false });
  await res.offline();
  await res.online();
  expect(seen).toEqual([1, 4242]);
  await cluster.stop();
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, resources: { p1: expect.any(String) } });

  cluster = await MockCluster.start({ propertiesFile: file });
  const again = await cluster.createResource(Persisted, 'p1');
  expect(await again.getProperties()).toEqual({ Port: 4242 });
});
