// ExampleHttpService in mock mode: the native mock monitor drives the real shim and channel, the
// handlers run here and start real server processes on real ports.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ResourceError, win32 } from 'wsfc-resource';
import { MockCluster, type TimelineEvent } from 'wsfc-resource/testing';
import HttpService, { GET_URL } from './http-service.js';

const PAGE = '<!doctype html><title>example</title><p>served by ExampleHttpService</p>\n';

let root = '';
let cluster: MockCluster | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'http-service-'));
  await writeFile(join(root, 'index.html'), PAGE);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  const c = cluster;
  cluster = undefined;
  if (!c) return;
  await c.stop();
  // Whatever a test did, stopping the cluster must leave no server process behind.
  const pids = startedPids(c.events);
  await until(() => pids.every((pid) => !processExists(pid)), `server processes ${pids.join(', ')} to be gone`, 3000);
  expect(c.violations).toEqual([]);
});

// ---- helpers ---------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** PIDs of every server the resource logged as started, in order. */
function startedPids(events: readonly TimelineEvent[]): number[] {
  return events.flatMap((e) => {
    const m = e.kind === 'log' ? /started server pid (\d+)/.exec(e.message ?? '') : null;
    return m ? [Number(m[1])] : [];
  });
}

const logLines = (events: readonly TimelineEvent[]) =>
  events.filter((e) => e.kind === 'log').map((e) => `${e.name}: ${e.message ?? ''}`);

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A port nobody listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function occupy(port: number): Promise<NetServer> {
  const srv = createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  return srv;
}

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpGet(port: number, path: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** True when a TCP connect to the port is refused, i.e. nothing listens there any more. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** Runs fn with the server's start-up delay hook set; the servers inherit this process's env. */
async function withStartDelay<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  process.env.HTTP_SERVICE_START_DELAY_MS = String(ms);
  try {
    return await fn();
  } finally {
    delete process.env.HTTP_SERVICE_START_DELAY_MS;
  }
}

// ---- tests -------------------------------------------------------------------------------------

describe.each(['v1', 'v2'] as const)('ExampleHttpService on resapi %s', (resapi) => {
  test('full lifecycle: online, health, serve, GET_URL, offline', async () => {
    const port = await freePort();
    cluster = await MockCluster.start({ resapi });
    const res = await cluster.createResource(HttpService, 'web', { properties: { Port: port, Root: root, Tags: ['blue', 'edge'] } });

    expect(await res.online()).toBe('Online');
    const [pid] = startedPids(res.events);
    expect(pid).toBeGreaterThan(0);
    expect(processExists(pid)).toBe(true);
    expect(await res.looksAlive()).toBe(true);
    expect(await res.isAlive()).toBe(true);

    const page = await httpGet(port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(PAGE);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-service-tags']).toBe('blue, edge');
    expect((await httpGet(port, '/index.html')).body).toBe(PAGE);
    expect(await httpGet(port, '/health')).toMatchObject({ status: 200, body: 'ok' });
    expect((await httpGet(port, '/missing.txt')).status).toBe(404);
    expect((await httpGet(port, '/..%2F..%2Fetc%2Fpasswd')).status).toBe(403);

    const url = await res.control(GET_URL);
    expect(url.toString('utf8')).toBe(`http://127.0.0.1:${port}/`);

    expect(await res.offline()).toBe('Offline');
    // Offline resolves only after the process exited, so both checks hold at once.
    expect(processExists(pid)).toBe(false);
    expect(await portClosed(port)).toBe(true);
    expect(await res.looksAlive()).toBe(false);
    expect(await res.isAlive()).toBe(false);
    const err = await res.control(GET_URL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).code).toBe(win32.ERROR_RESOURCE_NOT_ONLINE);

    // A graceful stop: the server saw the request and exited with code 0, no SIGKILL needed.
    const lines = logLines(res.events);
    expect(lines).toContain(`info: server pid ${pid}: listening on http://127.0.0.1:${port}/ serving ${root}`);
    expect(lines).toContain(`info: server pid ${pid} exited (code 0)`);
    expect(lines.some((l) => l.includes('killing'))).toBe(false);

    // And it comes back: a second Online on the same port works.
    expect(await res.online()).toBe('Online');
    expect((await httpGet(port, '/')).status).toBe(200);
    expect(await res.offline()).toBe('Offline');
    expect(cluster.violations).toEqual([]);
  });

  test('the monitor detects a killed server, fails the resource and restarts it', async () => {
    const port = await freePort();
    cluster = await MockCluster.start({
      resapi,
      polling: { looksAliveMs: 50, isAliveMs: 200 },
      restart: { threshold: 1, delayMs: 50 },
    });
    const res = await cluster.createResource(HttpService, 'web', { properties: { Port: port, Root: root } });
    expect(await res.online()).toBe('Online');
    const [first] = startedPids(res.events);

    process.kill(first, 'SIGKILL');
    await until(() => res.events.some((e) => e.kind === 'state' && e.name === 'Failed'), 'the monitor to fail the resource', 3000);
    await until(() => startedPids(res.events).length === 2, 'the restart to start a new server', 3000);
    expect(await res.waitForState('Online', 5000)).toBe('Online');

    const second = startedPids(res.events)[1];
    expect(second).not.toBe(first);
    expect(processExists(first)).toBe(false);
    expect((await httpGet(port, '/')).body).toBe(PAGE);
    expect(await res.isAlive()).toBe(true);

    const notes = res.events.filter((e) => e.kind === 'note').map((e) => `${e.name}: ${e.message ?? ''}`);
    expect(notes).toContain('failure: IsAlive returned FALSE');
    expect(notes.some((n) => n.startsWith('restart-scheduled'))).toBe(true);
    expect(cluster.violations).toEqual([]);
  });
});

test('missing required Root fails Online and says why', async () => {
  cluster = await MockCluster.start();
  const res = await cluster.createResource(HttpService, 'noroot', { properties: { Port: await freePort() } });
  expect(await res.online()).toBe('Failed');
  expect(res.state).toBe('Failed');
  expect(logLines(res.events).some((l) => l.startsWith('error:') && l.includes('Root'))).toBe(true);
  expect(startedPids(res.events)).toEqual([]);
  expect(cluster.violations).toEqual([]);
});

test('a Root that is not a directory fails Online without starting a server', async () => {
  cluster = await MockCluster.start();
  const res = await cluster.createResource(HttpService, 'badroot', {
    properties: { Port: await freePort(), Root: join(root, 'index.html') },
  });
  expect(await res.online()).toBe('Failed');
  const lines = logLines(res.events);
  expect(lines.some((l) => l.includes('ERROR_INVALID_PARAMETER') && l.includes('Root'))).toBe(true);
  expect(lines).toContain(`error: Online failed with error ${win32.ERROR_INVALID_PARAMETER}`);
  expect(startedPids(res.events)).toEqual([]);
  expect(cluster.violations).toEqual([]);
});

test('a server killed from outside makes looksAlive and isAlive false', async () => {
  const port = await freePort();
  cluster = await MockCluster.start({ resapi: 'v2' });  // no polling: only our explicit checks
  const res = await cluster.createResource(HttpService, 'victim', { properties: { Port: port, Root: root } });
  expect(await res.online()).toBe('Online');
  const [pid] = startedPids(res.events);
  process.kill(pid, 'SIGKILL');
  await until(() => !processExists(pid), 'the killed server to be reaped');
  expect(await res.looksAlive()).toBe(false);
  expect(await res.isAlive()).toBe(false);
  expect(res.state).toBe('Online');  // nobody polls, so the monitor has not noticed
  // POSIX reports the signal. Windows has none: process.kill is TerminateProcess with exit code 1
  // (libuv's uv_kill), and a process ended that way from outside its parent shows that code.
  const how = process.platform === 'win32' ? 'code 1' : 'signal SIGKILL';
  expect(logLines(res.events)).toContain(`info: server pid ${pid} exited (${how})`);
  expect(cluster.violations).toEqual([]);
});

test('a server that exits during start-up fails Online with its reason', async () => {
  const port = await freePort();
  const squatter = await occupy(port);
  try {
    cluster = await MockCluster.start({ resapi: 'v2' });
    const res = await cluster.createResource(HttpService, 'busy', { properties: { Port: port, Root: root } });
    expect(await res.online()).toBe('Failed');
    const lines = logLines(res.events);
    expect(lines.some((l) => l.includes('ERROR_RESOURCE_FAILED') && l.includes('exited during start-up (code 3)') && l.includes('EADDRINUSE'))).toBe(true);
    expect(lines).toContain(`error: Online failed with error ${win32.ERROR_RESOURCE_FAILED}`);
    expect(cluster.violations).toEqual([]);
  } finally {
    await new Promise<void>((r) => squatter.close(() => r()));
  }
});

test('StartTimeoutMs bounds a slow start, and the slow server is killed', async () => {
  const port = await freePort();
  cluster = await MockCluster.start({ resapi: 'v2' });
  const res = await cluster.createResource(HttpService, 'slow', { properties: { Port: port, Root: root, StartTimeoutMs: 300 } });
  const started = Date.now();
  expect(await withStartDelay(5000, () => res.online())).toBe('Failed');
  expect(Date.now() - started).toBeLessThan(2000);
  const [pid] = startedPids(res.events);
  await until(() => !processExists(pid), 'the slow server to be killed', 1000);
  const lines = logLines(res.events);
  expect(lines.some((l) => l.includes('ERROR_TIMEOUT') && l.includes('StartTimeoutMs (300 ms'))).toBe(true);
  // progress() on every probe kept the pending operation reporting.
  expect(res.events.filter((e) => e.kind === 'status' && e.name === 'OnlinePending').length).toBeGreaterThan(2);
  expect(await portClosed(port)).toBe(true);
  expect(cluster.violations).toEqual([]);
});

test('Terminate during a slow start returns quickly and leaves no process', async () => {
  const port = await freePort();
  cluster = await MockCluster.start({ resapi: 'v2' });
  const res = await cluster.createResource(HttpService, 'stuck', { properties: { Port: port, Root: root } });
  await withStartDelay(5000, async () => {
    const online = res.online();
    // Wait until the server is running and the handler is in its probe loop.
    await until(() => res.events.filter((e) => e.kind === 'status' && e.name === 'OnlinePending').length >= 2, 'start-up probes');
    const [pid] = startedPids(res.events);
    expect(processExists(pid)).toBe(true);

    expect(await res.terminate()).toBe('Offline');
    expect(await online).toBe('Offline');
    const terminateCalls = res.events.filter((e) => e.kind === 'call' && e.name === 'Terminate');
    expect(terminateCalls).toHaveLength(1);
    expect(terminateCalls[0].durationMs).toBeLessThan(250);

    await until(() => !processExists(pid), 'the terminated server to be gone', 1000);
    expect(await portClosed(port)).toBe(true);
  });
  // The abandoned Online noticed the abort and stopped probing; nothing was reported late.
  await sleep(100);
  expect(res.state).toBe('Offline');
  expect(cluster.violations).toEqual([]);
});
