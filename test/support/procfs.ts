// What Linux's /proc says about processes and sockets, for the host-process tests: is a process
// still there, which processes are children of this one, and which sockets a process holds.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { procStat as stat } from '../../lib/testing/process-tree.js';

/** True while the process exists and has not exited (a zombie has exited: it only awaits its reaper).
 * Windows has no /proc and no zombies: a process that exited can no longer be signalled. */
export function running(pid: number): boolean {
  if (process.platform === 'win32') return exists(pid);
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** True if the process exists in any state, zombie included (kill(pid, 0) would succeed). */
export function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process whose parent is pid, with its state (a 'Z' here is a child nobody reaped). Linux only. */
export function childrenOf(pid: number): { pid: number; state: string }[] {
  // Windows node under Wine would read the Linux /proc (drive Z:) and compare Linux ppids with a
  // Windows pid: refuse rather than answer wrongly.
  if (process.platform === 'win32') throw new Error('childrenOf reads /proc: not on Windows');
  const out: { pid: number; state: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s?.ppid === pid) out.push({ pid: Number(entry), state: s.state });
  }
  return out;
}

/** fd number -> readlink target ("socket:[123]", "pipe:[4]", a path) of a process's open fds. */
export function openFds(pid: number | 'self'): Map<number, string> {
  const fds = new Map<number, string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.set(Number(fd), readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed while we looked
    }
  }
  return fds;
}

/** Whether an open fd of a process is close-on-exec (O_CLOEXEC in /proc/<pid>/fdinfo/<fd>). */
export function closeOnExec(pid: number | 'self', fd: number): boolean {
  const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
  if (!flags) throw new Error(`no flags in /proc/${pid}/fdinfo/${fd}`);
  return (parseInt(flags[1]!, 8) & 0o2000000) !== 0;
}

/** The socket inodes a process holds. */
export function socketInodes(pid: number | 'self'): Set<number> {
  const out = new Set<number>();
  for (const target of openFds(pid).values()) {
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

export interface UnixSocket {
  inode: number;
  listening: boolean;  // __SO_ACCEPTCON
  state: number;       // 3 = connected
  path: string;        // '' for an unnamed socket; '@…' for the abstract namespace
}

/** Every AF_UNIX socket of this network namespace, by inode (/proc/net/unix). */
export function unixSockets(): Map<number, UnixSocket> {
  const out = new Map<number, UnixSocket>();
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const inode = Number(f[6]);
    out.set(inode, { inode, listening: (parseInt(f[3]!, 16) & 0x10000) !== 0, state: parseInt(f[5]!, 16), path: f.slice(7).join(' ') });
  }
  return out;
}

/** Inodes of TCP/UDP sockets (v4 and v6) in the LISTEN state, or bound for UDP. */
export function inetListeners(): Set<number> {
  const out = new Set<number>();
  for (const file of ['tcp', 'tcp6', 'udp', 'udp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      if (file.startsWith('udp') || f[3] === '0A') out.add(Number(f[9]));
    }
  }
  return out;
}
