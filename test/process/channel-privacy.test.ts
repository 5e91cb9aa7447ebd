// The channel between the shim and its host exists only as an inherited socketpair: nothing is
// listening, nothing has a name (no path, no abstract address, no port) another process could
// connect to, and neither end leaks into processes started later — by the test process (the
// shim's side) or by the host's own handlers.
//
// Under Windows node the channel is two anonymous pipes whose host ends the launcher hands over
// in PROC_THREAD_ATTRIBUTE_HANDLE_LIST (native/shim/host/process_launcher_win.cc): the same facts
// are asserted with Windows' means (the handle table, HANDLE_FLAG_INHERIT, the pipe's name) in
// place of /proc, close-on-exec and the socket's address; the POSIX tests are skipped there.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { MockCluster, type MockResource } from '../../lib/testing/index.js';
import { OPEN_FDS, OPEN_HANDLES } from '../fixtures/faulty-host.mjs';
import { closeOnExec, inetListeners, openFds, socketInodes, unixSockets } from '../support/procfs.js';
import { hostStartMs } from '../support/host-node.js';
import { until } from '../support/timeline.js';
import { channelTap, handlesOfNewChild, type WinHandle } from '../support/win-handles.js';

const module = fileURLToPath(new URL('../fixtures/faulty-host.mjs', import.meta.url));
const windows = process.platform === 'win32';
let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** The socket inodes a freshly spawned child of this process holds. */
function socketsOfNewChild(): Set<number> {
  const r = spawnSync('/bin/sh', ['-c', 'cd /proc/self/fd && for f in *; do readlink $f; done'], { encoding: 'utf8' });
  return new Set([...r.stdout.matchAll(/socket:\[(\d+)\]/g)].map((m) => Number(m[1])));
}

test.skipIf(windows)('there is no endpoint to connect to, and the channel is inherited by the host only', async () => {
  const before = socketInodes('self');
  cluster = await MockCluster.start({ host: 'process', module });
  const res = await cluster.createResource('FaultyHost', 'r');
  expect(await res.online()).toBe('Online');
  const pid = cluster.hostPid;

  // The host's end: fd 3, an unnamed, connected, non-listening AF_UNIX socket.
  const hostFds = openFds(pid);
  const channel = /^socket:\[(\d+)\]$/.exec(hostFds.get(3) ?? '');
  expect(channel, `fd 3 of the host is ${hostFds.get(3)}`).not.toBeNull();
  const hostEnd = Number(channel![1]);
  const unix = unixSockets();
  expect(unix.get(hostEnd)).toMatchObject({ listening: false, state: 3, path: '' });

  // The shim's end: the sockets this process gained — unnamed and connected as well.
  const shimEnds = [...socketInodes('self')].filter((i) => !before.has(i));
  expect(shimEnds.length).toBeGreaterThanOrEqual(1);
  for (const inode of shimEnds) expect(unix.get(inode)).toMatchObject({ listening: false, path: '' });

  // Nothing either process holds is a listening or named socket of any family.
  const listeners = inetListeners();
  for (const inode of [...socketInodes(pid), ...shimEnds]) {
    expect(listeners.has(inode)).toBe(false);
    const u = unix.get(inode);
    if (u) expect(u).toMatchObject({ listening: false, path: '' });
  }

  // Both ends are close-on-exec: the shim's from creation (so no process started in the shim's
  // process by anyone, at any time, inherits it), the host's once adopted (attachInherited marks it; node
  // also marks inherited descriptors at startup). This checks the property itself: a child spawned
  // through node's child_process could not tell (libuv closes non-stdio descriptors in the
  // children it spawns), whereas RHS, another DLL or a native library would leak it.
  expect(closeOnExec(pid, 3)).toBe(true);
  const mine = [...openFds('self')].filter(([, t]) => shimEnds.some((i) => t === `socket:[${i}]`));
  expect(mine.length).toBe(shimEnds.length);
  for (const [fd] of mine) expect(closeOnExec('self', fd)).toBe(true);

  // And in practice: a process the test (the shim's process) starts now does not have the shim's
  // end, and one the host's handlers start does not have the host's.
  const inherited = socketsOfNewChild();
  for (const inode of shimEnds) expect(inherited.has(inode)).toBe(false);
  const fds = JSON.parse((await res.control(OPEN_FDS)).toString()) as { host: string[]; child: string[] };
  expect(fds.host).toContain(`3 -> socket:[${hostEnd}]`);
  expect(fds.child.join('\n')).not.toContain(`socket:[${hostEnd}]`);
  expect(process.env.WSFC_CHANNEL_FD).toBeUndefined();
  expect(cluster.violations).toEqual([]);
});

test.skipIf(windows)('the host process has exactly stdin, stdout, stderr and the channel from the launcher', async () => {
  cluster = await MockCluster.start({ host: 'process', module });
  const res = await cluster.createResource('FaultyHost', 'r');
  expect(await res.online()).toBe('Online');
  const fds = JSON.parse((await res.control(OPEN_FDS)).toString()) as { host: string[] };
  const byFd = new Map(fds.host.map((l) => [Number(l.split(' -> ')[0]), l.split(' -> ')[1]!] as const));
  expect(byFd.get(0)).toBe('/dev/null');
  expect(byFd.get(1)).toMatch(/^pipe:\[\d+\]$/);
  expect(byFd.get(2)).toMatch(/^pipe:\[\d+\]$/);
  expect(byFd.get(3)).toMatch(/^socket:\[\d+\]$/);
  // Anything else is node's own (epoll, eventfd, its pipes, the module files it reads): none of it
  // is a socket, so nothing of the test process leaked in.
  const sockets = [...byFd.entries()].filter(([, t]) => t.startsWith('socket:'));
  expect(sockets.map(([fd]) => fd)).toEqual([3]);
});

// Windows. The host keeps the channel's handle values (faulty-host-preload.mjs), since the host
// runtime removes WSFC_CHANNEL_FD before the module loads.
const preload = pathToFileURL(fileURLToPath(new URL('../fixtures/faulty-host-preload.mjs', import.meta.url))).href;
const handlesFile = join(tmpdir(), `wsfc-channel-privacy-${process.pid}.json`);
const hostProcess = { env: { NODE_OPTIONS: `--import="${preload}"`, FAULTY_HOST_HANDLES_FILE: handlesFile } };
interface HostHandles {
  channel: number[];
  std: number[];
  host: WinHandle[];
  child: WinHandle[];
}
/** The host's handles and those of a child its handler started (OPEN_HANDLES answers in a file). */
async function hostHandles(res: MockResource): Promise<HostHandles> {
  rmSync(handlesFile, { force: true });
  await res.control(OPEN_HANDLES);
  await until(() => existsSync(handlesFile), 'the host handler\'s handle lists', 10000 + 4 * hostStartMs());
  const out = JSON.parse(readFileSync(handlesFile, 'utf8')) as HostHandles;
  rmSync(handlesFile, { force: true });
  expect(Array.isArray(out.child), JSON.stringify(out.child)).toBe(true);
  return out;
}
const pipeNames = (handles: WinHandle[]) => new Set(handles.filter((h) => h.type === 'Pipe').map((h) => h.name));

test.runIf(windows)('Windows: there is no endpoint to connect to, and the channel is inherited by the host only', async () => {
  const tap = channelTap();
  const key = (h: WinHandle) => `${h.handle} ${h.type} ${h.name}`;
  const before = new Set(tap.handles().map(key));
  cluster = await MockCluster.start({ host: 'process', module, hostProcess });
  const res = await cluster.createResource('FaultyHost', 'r');
  expect(await res.online()).toBe('Online');
  const host = await hostHandles(res);

  // The host's ends: the two handles WSFC_CHANNEL_FD named, two pipes (one each way), no longer
  // inheritable once the host runtime adopted them (inherited_channel_win.cc).
  expect(host.channel).toHaveLength(2);
  const hostEnds = host.channel.map((v) => host.host.find((h) => h.handle === v));
  for (const end of hostEnds) expect(end).toMatchObject({ type: 'Pipe', inherit: false, name: expect.stringMatching(/^\\Device\\NamedPipe\\./) });
  const channel = new Set(hostEnds.map((end) => end!.name));
  expect(channel.size).toBe(2);

  // The shim's ends: the pipes of those names this process gained with the launch. Every pipe the
  // launch left in this process (the channel's ends, the readers of the host's stdout and stderr)
  // is not inheritable: no process started in the shim's process by anyone inherits it.
  const gained = tap.handles().filter((h) => h.type === 'Pipe' && !before.has(key(h)));
  expect(gained.filter((h) => channel.has(h.name))).toHaveLength(2);
  for (const h of gained) expect(h, `pipe handle ${h.handle} of the shim's process`).toMatchObject({ inherit: false });

  // No endpoint: an anonymous pipe's name has one instance, taken by the host's end, so opening
  // the name from any process (this one here) finds it busy.
  for (const name of channel) expect(tap.connect(name), name).toBe(231 /* ERROR_PIPE_BUSY */);

  // And in practice: a process the test (the shim's process) starts now, and one the host's
  // handlers start, hold no end of either channel pipe (node's spawn passes every inheritable handle).
  // Each child's own table is seen, its stdout pipe at least (the one it answers on).
  const mineChild = pipeNames(handlesOfNewChild());
  expect(mineChild.size).toBeGreaterThan(0);
  expect([...mineChild].filter((n) => channel.has(n))).toEqual([]);
  expect(pipeNames(host.child).size).toBeGreaterThan(0);
  expect([...pipeNames(host.child)].filter((n) => channel.has(n))).toEqual([]);
  expect(process.env.WSFC_CHANNEL_FD).toBeUndefined();
  expect(cluster.violations).toEqual([]);
});

test.runIf(windows)('Windows: the host process has exactly stdin, stdout, stderr and the channel from the launcher', async () => {
  const tap = channelTap();
  cluster = await MockCluster.start({ host: 'process', module, hostProcess });
  const res = await cluster.createResource('FaultyHost', 'r');
  expect(await res.online()).toBe('Online');
  const host = await hostHandles(res);
  const byHandle = new Map(host.host.map((h) => [h.handle, h] as const));
  const [stdin, stdout, stderr] = host.std.map((v) => byHandle.get(v));
  expect(stdin?.type).not.toBe('Pipe');  // NUL
  expect(stdout?.type).toBe('Pipe');
  expect(stderr?.type).toBe('Pipe');
  // Of the pipes this process (the shim's) holds, the host has exactly those four: its stdout and
  // stderr, and the channel's two. Nothing else of the test process (vitest's pipes, the stdio of
  // this worker) leaked in; what else the host holds is node's own.
  const mine = pipeNames(tap.handles());
  const shared = [...pipeNames(host.host)].filter((n) => mine.has(n)).sort();
  const launched = [stdout!, stderr!, ...host.channel.map((v) => byHandle.get(v)!)].map((h) => h.name).sort();
  expect(shared).toEqual(launched);
  expect(new Set(launched).size).toBe(4);
});
