// The processes under a process, as Linux's /proc shows them (proc(5): /proc/<pid>/stat fields 3
// state, 4 ppid, 22 starttime). The conformance battery uses it to see what a resource left
// running. Other systems have no /proc: `processTreeVisible()` is false there and nothing is read.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** A process, told apart from a later one with the same pid by its start time. */
export interface ProcessRef {
  pid: number;
  startTime: string;
  /** The command line, for a message. */
  command: string;
}

/** What /proc/<pid>/stat says of a process (state 'Z' or 'X': it has exited). */
export interface ProcStat {
  state: string;
  ppid: number;
  startTime: string;
}

/** undefined when there is no such process (or no /proc). */
export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces or parentheses.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0]!, ppid: Number(rest[1]), startTime: rest[19]! };
  } catch {
    return undefined;
  }
}

function command(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || `pid ${pid}`;
  } catch {
    return `pid ${pid}`;
  }
}

export function processTreeVisible(): boolean {
  return process.platform === 'linux' && existsSync('/proc/self/stat');
}

/** Every living process below `root` (children, their children, ...). Zombies have exited. */
export function descendants(root: number): ProcessRef[] {
  if (root <= 0 || !processTreeVisible()) return [];
  const children = new Map<number, number[]>();
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const s = procStat(pid);
    if (!s || s.state === 'Z' || s.state === 'X') continue;
    stats.set(pid, s);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: ProcessRef[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push({ pid, startTime: stats.get(pid)!.startTime, command: command(pid) });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Whether this very process (not a later one with its pid) still runs. */
export function stillRunning(p: ProcessRef): boolean {
  const s = procStat(p.pid);
  return s !== undefined && s.startTime === p.startTime && s.state !== 'Z' && s.state !== 'X';
}
