// The channel between the shim and its host exists only as an inherited socketpair: nothing is
// listening, nothing has a name (no path, no abstract address, no port) another process could
// connect to, and neither end leaks into processes started later — by the test process (the
// shim's side) or by the host's own handlers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { MockCluster } from '../../lib/testing/index.js';
import { OPEN_FDS } from '../fixtures/faulty-host.mjs';
import { closeOnExec, inetListeners, openFds, socketInodes, unixSockets } from '../support/procfs.js';

const module = fileURLToPath(new URL('../fixtures/faulty-host.mjs', import.meta.url));
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

test('there is no endpoint to connect to, and the channel is inherited by the host only', async () => {
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

test('the host process has exactly stdin, stdout, stderr and the channel from the launcher', async () => {
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
