// The new project's test (test/<file>.test.ts): the type in a mock cluster on Resource API V1 and
// V2, with its handlers in the test process and in a host process as on a cluster, plus a
// property SET and a Terminate during an Online that never finishes.
/** A single-quoted module specifier (also keeps this file's own imports apart from the text's). */
const quoted = (specifier: string): string => `'${specifier}'`;

export function testSource(typeName: string, file: string): string {
  return `// ${typeName} in a mock cluster: the real native shim and monitor drive the handlers, which
// start real processes on real ports. host 'process' runs them in a child host process the shim
// starts, as on a cluster node (it loads the compiled module: npm test builds first).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { MockCluster, type TimelineEvent } from 'wsfc-resource/testing';
import Type, { GET_PID } from ${quoted(`../src/${file}.js`)};

const compiled = fileURLToPath(new URL('../dist/src/${file}.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), '${file}-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  expect(cluster?.violations ?? []).toEqual([]);
  cluster = undefined;
});

function start(resapi: 'v1' | 'v2', host: 'inprocess' | 'process'): Promise<MockCluster> {
  return MockCluster.start(host === 'process' ? { resapi, host, module: compiled } : { resapi });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(\`timed out waiting for \${what}\`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The pids the resource logged as started. */
const startedPids = (events: readonly TimelineEvent[]): number[] =>
  events.flatMap((e) => (e.kind === 'log' ? [.../started pid (\\d+)/.exec(e.message ?? '')?.slice(1) ?? []].map(Number) : []));

describe.each([
  ['v1', 'inprocess'],
  ['v1', 'process'],
  ['v2', 'inprocess'],
  ['v2', 'process'],
] as const)('${typeName} on %s, host %s', (resapi, host) => {
  test('comes online, answers its health checks and control code, goes offline with its process', async () => {
    cluster = await start(resapi, host);
    const res = await cluster.createResource(Type, 'svc', { properties: { Port: await freePort() } });
    expect(await res.online()).toBe('Online');
    expect(await res.looksAlive()).toBe(true);
    expect(await res.isAlive()).toBe(true);
    const pid = Number((await res.control(GET_PID)).toString('utf8'));
    expect(running(pid)).toBe(true);

    expect(await res.offline()).toBe('Offline');
    await until('the process to exit', () => !running(pid));
    expect(await res.looksAlive()).toBe(false);
  });

  test('Terminate during an Online that never finishes returns at once and kills the process', async () => {
    // A script that never listens: Online waits for the port until the cluster gives up.
    const hang = join(scratch, 'never-listens.mjs');
    writeFileSync(hang, "process.stdin.resume(); process.stdin.on('end', () => process.exit(0));\\n");
    cluster = await start(resapi, host);
    const res = await cluster.createResource(Type, 'hung', { properties: { Port: await freePort(), Script: hang } });
    const online = res.online();
    await until('the process to start', () => startedPids(res.events).length === 1);
    const [pid] = startedPids(res.events);

    expect(await res.terminate()).toBe('Offline');
    expect(await online).not.toBe('Online');
    const terminate = res.events.filter((e) => e.kind === 'call' && e.name === 'Terminate');
    expect(terminate[0]?.durationMs).toBeLessThan(250);
    await until('the process to be gone', () => !running(pid!));
  });
});

test('a property SET on an online resource is stored and applies at the next Online', async () => {
  cluster = await MockCluster.start();
  const [first, second] = [await freePort(), await freePort()];
  const res = await cluster.createResource(Type, 'svc', { properties: { Port: first } });
  expect(await res.online()).toBe('Online');

  expect(await res.setProperties({ Port: second })).toEqual({ restartRequired: true });
  expect(await res.getProperties()).toMatchObject({ Port: second });
  // The schema's range and the validate hook refuse bad values; nothing is stored.
  await expect(res.setProperties({ Port: 0 })).rejects.toThrow();
  await expect(res.setProperties({ Script: 'relative.mjs' })).rejects.toThrow();
  expect(await res.getProperties()).toMatchObject({ Port: second, Script: '' });

  expect(await res.offline()).toBe('Offline');
  expect(await res.online()).toBe('Online');
  expect(res.events.some((e) => e.kind === 'log' && e.message?.includes(\`answers on port \${second}\`))).toBe(true);
  expect(await res.offline()).toBe('Offline');
});
`;
}
