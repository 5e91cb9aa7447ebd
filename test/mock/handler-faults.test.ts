// Bad handlers: every throw, rejection, wrong return type or promise that never settles becomes
// the right Win32 code (or the cached health answer) plus a log line, never a crash or a violation.
import { afterEach, describe, expect, test } from 'vitest';
import { defineResourceType, ResourceError, userCode, win32 } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';
import { callDurations, logs, until } from '../support/timeline.js';

const THROWS = userCode(1);
const RETURNS_STRING = userCode(2);
const NEVER = userCode(3);
const ECHO = userCode(4);

type Mode = 'ok' | 'throwResource' | 'throwPlain' | 'rejectPlain' | 'throwString' | 'wrongType' | 'never' | 'slow';
let mode: Mode = 'ok';

const Faulty = defineResourceType({
  name: 'FaultyType',
  open: () => ({
    async online() {
      if (mode === 'throwResource') throw new ResourceError(win32.ERROR_NOT_SUPPORTED, 'this node has no GPU');
      if (mode === 'throwPlain') throw new Error('boom');
      if (mode === 'rejectPlain') return Promise.reject(new TypeError('bad config'));
      if (mode === 'throwString') throw 'a string, not an Error';
    },
    async offline() {
      if (mode === 'throwPlain') throw new Error('offline went wrong');
    },
    looksAlive() {
      if (mode === 'throwPlain') throw new Error('looks bad');
      if (mode === 'slow') return new Promise<boolean>((r) => setTimeout(() => r(true), 120));
      return true;
    },
    isAlive(): Promise<boolean> {
      if (mode === 'wrongType') return Promise.resolve('yes' as unknown as boolean);
      if (mode === 'rejectPlain') return Promise.reject(new Error('probe failed'));
      if (mode === 'never') return new Promise<boolean>(() => {});
      return Promise.resolve(true);
    },
    controls: {
      [THROWS]: () => {
        throw new ResourceError(win32.ERROR_INVALID_PARAMETER, 'input must be JSON');
      },
      [RETURNS_STRING]: () => 'not a buffer' as unknown as Buffer,
      [NEVER]: () => new Promise<Buffer>(() => {}),
      [ECHO]: (input) => input,
    },
  }),
});

let cluster: MockCluster;
afterEach(async () => {
  mode = 'ok';
  await cluster?.stop();
});

async function fresh(name: string, resapi: 'v1' | 'v2' = 'v2') {
  cluster = await MockCluster.start({ resapi });
  return cluster.createResource(Faulty, name);
}

describe('Online failures', () => {
  test.each([
    ['throwResource', win32.ERROR_NOT_SUPPORTED, 'error: online failed: ERROR_NOT_SUPPORTED: this node has no GPU'],
    ['throwPlain', win32.ERROR_GEN_FAILURE, 'error: online failed: Error: boom'],
    ['rejectPlain', win32.ERROR_GEN_FAILURE, 'error: online failed: TypeError: bad config'],
    ['throwString', win32.ERROR_GEN_FAILURE, 'error: online failed: non-Error value thrown: a string, not an Error'],
  ] as const)('%s -> Failed with %i', async (m, code, line) => {
    const res = await fresh(`online-${m}`);
    mode = m;
    expect(await res.online()).toBe('Failed');
    expect(logs(res.events)).toContain(line);
    expect(logs(res.events)).toContain(`error: Online failed with error ${code}`);
    // RHS terminates a resource whose Online failed.
    await until(() => callDurations(res.events, 'Terminate').length === 1, 'Terminate after the failure');
    expect(cluster.violations).toEqual([]);
  });

  test('open() throwing fails every Online with ERROR_GEN_FAILURE', async () => {
    const Broken = defineResourceType({
      name: 'BrokenOpen',
      open: () => {
        throw new Error('cannot construct');
      },
    });
    cluster = await MockCluster.start();
    const res = await cluster.createResource(Broken, 'b');
    expect(await res.online()).toBe('Failed');
    expect(logs(res.events)).toContain('error: open() failed: Error: cannot construct');
    expect(logs(res.events)).toContain(`error: Online failed with error ${win32.ERROR_GEN_FAILURE}`);
    expect(cluster.violations).toEqual([]);
  });

  test('a missing required property fails Online with ERROR_INVALID_PARAMETER', async () => {
    const { prop } = await import('../../lib/index.js');
    const Needs = defineResourceType({ name: 'NeedsDir', properties: { DataDir: prop.sz({ required: true }) }, open: () => ({}) });
    cluster = await MockCluster.start();
    const res = await cluster.createResource(Needs, 'n');
    expect(await res.online()).toBe('Failed');
    expect(logs(res.events)).toContain('error: Online: required private properties are not set: DataDir');
    expect(logs(res.events)).toContain(`error: Online failed with error ${win32.ERROR_INVALID_PARAMETER}`);
  });
});

test('Offline throwing -> Failed', async () => {
  const res = await fresh('offline-throws');
  await res.online();
  mode = 'throwPlain';
  expect(await res.offline()).toBe('Failed');
  expect(logs(res.events)).toContain('error: offline failed: Error: offline went wrong');
  expect(cluster.violations).toEqual([]);
});

describe.each(['v1', 'v2'] as const)('health checks on %s', (resapi) => {
  test('a check that throws or rejects answers FALSE with a log line', async () => {
    const res = await fresh('health-throws', resapi);
    await res.online();
    mode = 'throwPlain';
    expect(await res.looksAlive()).toBe(false);
    mode = 'rejectPlain';
    expect(await res.isAlive()).toBe(false);
    expect(logs(res.events)).toEqual([
      'error: looksAlive() failed: Error: looks bad; answering FALSE',
      'error: isAlive() failed: Error: probe failed; answering FALSE',
    ]);
    expect(cluster.violations).toEqual([]);
  });

  test('a check that returns a wrong type answers FALSE with a log line', async () => {
    const res = await fresh('health-wrong', resapi);
    await res.online();
    mode = 'wrongType';
    expect(await res.isAlive()).toBe(false);
    expect(logs(res.events)).toEqual(['error: isAlive() returned yes (string); expected a boolean, answering FALSE']);
  });

  test('IsAlive that never settles returns the last answer within its 200 ms deadline', async () => {
    const res = await fresh('health-never', resapi);
    await res.online();
    expect(await res.isAlive()).toBe(true);
    mode = 'never';
    expect(await res.isAlive()).toBe(true);
    expect(await res.isAlive()).toBe(true);  // the first check is still out: not sent twice
    const took = callDurations(res.events, 'IsAlive');
    expect(took[1]).toBeGreaterThanOrEqual(195);
    expect(Math.max(...took)).toBeLessThan(300);
    expect(logs(res.events)).toContain('warn: IsAlive did not answer within 200 ms; returned the last answer (TRUE)');
    expect(cluster.violations).toEqual([]);
  });

  test('LooksAlive over its 50 ms deadline returns the cached answer and warns', async () => {
    const res = await fresh('looks-slow', resapi);
    await res.online();
    mode = 'slow';
    expect(await res.looksAlive()).toBe(true);
    const [took] = callDurations(res.events, 'LooksAlive');
    expect(took).toBeGreaterThanOrEqual(45);
    expect(took).toBeLessThan(120);
    expect(logs(res.events)).toContain('warn: LooksAlive did not answer within 50 ms; returned the last answer (TRUE)');
    expect(cluster.violations).toEqual([]);
  });
});

describe('control codes', () => {
  test('a user code answers with its Buffer', async () => {
    const res = await fresh('ctl-echo');
    expect((await res.control(ECHO, Buffer.from('ping'))).toString()).toBe('ping');
  });

  test('ResourceError in a control handler becomes its code', async () => {
    const res = await fresh('ctl-throws');
    await expect(res.control(THROWS)).rejects.toMatchObject({ code: win32.ERROR_INVALID_PARAMETER });
    expect(logs(res.events)).toContain(`error: control 0x${THROWS.toString(16)} failed: ERROR_INVALID_PARAMETER: input must be JSON`);
  });

  test('a control handler returning a non-Buffer -> ERROR_INVALID_DATA', async () => {
    const res = await fresh('ctl-string');
    await expect(res.control(RETURNS_STRING)).rejects.toMatchObject({ code: win32.ERROR_INVALID_DATA });
  });

  test('a control handler that never settles -> ERROR_TIMEOUT within 250 ms', async () => {
    const res = await fresh('ctl-never');
    await expect(res.control(NEVER)).rejects.toMatchObject({ code: win32.ERROR_TIMEOUT });
    const [took] = callDurations(res.events, 'ResourceControl');
    expect(took).toBeLessThan(300);
    expect(cluster.violations).toEqual([]);
  });

  test('unknown codes -> ERROR_INVALID_FUNCTION (default processing); UNKNOWN -> success', async () => {
    const res = await fresh('ctl-unknown');
    await expect(res.control(userCode(99))).rejects.toMatchObject({ code: win32.ERROR_INVALID_FUNCTION });
    await expect(res.control(0x01000059)).rejects.toMatchObject({ code: win32.ERROR_INVALID_FUNCTION }); // GET_COMMON_PROPERTIES
    expect((await res.control(0x01000000)).length).toBe(0);  // CLUSCTL_RESOURCE_UNKNOWN
  });

  test('a small output buffer gets ERROR_MORE_DATA with the size needed', async () => {
    const res = await fresh('ctl-small');
    await expect(res.control(ECHO, Buffer.alloc(100, 1), { outputSize: 10 })).rejects.toMatchObject({
      code: win32.ERROR_MORE_DATA,
      bytesNeeded: 100,
    });
    expect((await res.control(ECHO, Buffer.alloc(100, 1))).length).toBe(100);
  });
});
