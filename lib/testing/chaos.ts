// Seeded chaos over many resources: random entry-point calls from several monitor threads while
// handlers hang, throw, reject, answer late or busy-loop, property SETs land in between, and the
// host is killed or writes garbage on its channel now and then. What must hold throughout (issue: chaos): no entry point over
// 300 ms, no overlapping handlers, no monitor violation, no property write lost or half-applied,
// bounded memory. Used by `npm run chaos` (scripts/chaos.mjs) and a short run in `npm test`.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { defineResourceType } from '../define.js';
import { ResourceError } from '../errors.js';
import { CLUS_CHAR, userCode } from '../clusctl.js';
import { STATE_CHANGE_REASONS } from '../resapi-flags.js';
import { RESOURCE_NOTIFICATIONS } from './mock-resource.js';
import { prop } from '../props.js';
import { ERROR_GEN_FAILURE, ERROR_INVALID_FUNCTION, ERROR_INVALID_PARAMETER } from '../win32.js';
import { procStat } from './process-tree.js';
import { MockCluster } from './mock-cluster.js';
import { prng } from './prng.js';
import type { MockResource } from './mock-resource.js';
import type { TimelineEvent, Violation } from './timeline.js';

export const CHAOS_FAULTS = ['ok', 'ok', 'ok', 'hang', 'hangIgnoringSignal', 'throw', 'reject', 'late', 'busy'] as const;
export type ChaosFault = (typeof CHAOS_FAULTS)[number];
export const CHAOS_CONTROL = userCode(42);
/** Writes its input, raw, on the host's channel (child host process only). */
export const CHAOS_GARBAGE = userCode(43);
/** Starts `sleep 1000` as the resource's child (ended by its terminate/offline/close) right after
 * answering: spawn blocks the event loop, under Wine for longer than a control's deadline. */
export const CHAOS_SPAWN = userCode(44);
/** Output: the pid of the child CHAOS_SPAWN started last (ASCII), 0 while none runs. */
export const CHAOS_CHILD = userCode(46);
/** Keeps the host's event loop busy for the input's ms (ASCII). */
export const CHAOS_BLOCK = userCode(45);
/** The fd the POSIX launcher gives the host's end of the channel (process_launcher_posix.cc). */
const HOST_CHANNEL_FD = 3;
const inChildHost = () => basename(process.argv[1] ?? '') === 'main.js' && basename(dirname(process.argv[1] ?? '')) === 'host';

/** Bytes that are not a frame, from plainly random to a header wrong in one field
 * (native/protocol/frame.h: u32 length | u16 magic 'WF' | u8 version | u8 type | u32 × 3). */
export function garbageBytes(rand: () => number): Buffer {
  const header = (length: number, magic: number, version: number, type: number) => {
    const b = Buffer.alloc(20 + Math.min(length, 16));
    b.writeUInt32LE(length >>> 0, 0);
    b.writeUInt16LE(magic, 4);
    b.writeUInt8(version, 6);
    b.writeUInt8(type, 7);
    for (let i = 8; i < b.length; i++) b[i] = Math.floor(rand() * 256);
    return b;
  };
  switch (Math.floor(rand() * 6)) {
    case 0: return Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
    case 1: return header(8, 0x1234, 1, 33);            // bad magic
    case 2: return header(8, 0x4657, 9, 33);            // unknown version
    case 3: return header(0x7fffffff, 0x4657, 1, 33);   // over the payload limit
    case 4: return header(4, 0x4657, 1, 250);           // unknown type
    default: return header(8, 0x4657, 1, 33).subarray(0, 10); // a header cut short, then whatever follows
  }
}
export { prng };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The resource type under chaos: every handler does what its `Fault` property says. */
export const ChaosType = defineResourceType({
  name: 'ChaosType',
  // The monitor sends CLUSCTL_RESOURCE_STATE_CHANGE_REASON before each Offline and Terminate.
  characteristics: CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON,
  properties: {
    Fault: prop.sz({ default: 'ok' }),
    Counter: prop.dword({ default: 0 }),
  },
  // Rejects every 7th counter value, so failed SETs are part of the run.
  validate(p) {
    if (p.Counter % 7 === 6) throw new ResourceError(ERROR_INVALID_PARAMETER, `Counter ${p.Counter} is rejected by validate`);
  },
  restartOnPropertyChange: false,
  open(res) {
    let active = 0;
    // A handler stops counting once Terminate came: the runtime abandons it then (a control
    // handler too, though it has no AbortSignal), and the next handler may start beside it by
    // design.
    const running = new Set<() => void>();
    const act = async <T>(what: string, signal: AbortSignal, value: T, fault = res.properties.Fault as ChaosFault): Promise<T> => {
      if (++active > 1) res.log.error(`OVERLAP: ${what} started while another handler of ${res.name} runs`);
      const release = () => {
        if (running.delete(release)) active--;
      };
      running.add(release);
      signal.addEventListener('abort', release, { once: true });
      try {
        switch (fault) {
          case 'hang':
            await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
            break;
          case 'hangIgnoringSignal':
            await new Promise<void>(() => {});
            break;
          case 'throw':
            throw new Error(`${what} throws`);
          case 'reject':
            return await Promise.reject(new ResourceError(ERROR_GEN_FAILURE, `${what} rejects`));
          case 'late':
            await sleep(100 + Math.floor(Math.random() * 300));
            break;
          case 'busy': {
            const until = Date.now() + 50 + Math.floor(Math.random() * 100);
            while (Date.now() < until) {
              // the event loop is blocked on purpose
            }
            break;
          }
          default:
            await sleep(Math.floor(Math.random() * 3));
        }
        return value;
      } finally {
        release();
      }
    };
    // Control handlers get no AbortSignal, so a hang there would never be released: they answer late.
    const controlFault = (): ChaosFault => {
      const f = res.properties.Fault as ChaosFault;
      return f === 'hang' || f === 'hangIgnoringSignal' ? 'late' : f;
    };
    // What a real resource starts: a process that must not outlive Terminate.
    const children = new Set<ChildProcess>();
    let latest: ChildProcess | undefined;
    let ended = 0;  // endChildren calls: a spawn asked for before the last one does not happen
    const endChildren = () => {
      ended++;
      for (const c of children) c.kill('SIGKILL');
      children.clear();
    };
    const notified = () => act('notification', new AbortController().signal, undefined, controlFault());
    return {
      terminate: () => {
        endChildren();
        for (const release of [...running]) release();
      },
      close: endChildren,
      online: ({ signal }) => act('online', signal, undefined),
      offline: async ({ signal }) => {
        await act('offline', signal, undefined);
        endChildren();
      },
      onAddDependency: notified,
      onRemoveDependency: notified,
      onAddOwner: notified,
      onClusterNameChanged: notified,
      looksAlive: ({ signal }) => act('looksAlive', signal, true),
      isAlive: ({ signal }) => act('isAlive', signal, true),
      controls: {
        [CHAOS_CONTROL]: (input) => act('control', new AbortController().signal, input, controlFault()),
        [CHAOS_SPAWN]: () => {
          const asked = ended;
          setImmediate(() => {
            if (ended !== asked) return;
            // Windows has no sleep(1): a node that waits as long stands in for it there.
            const child = process.platform === 'win32'
              ? spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1e6)'], { stdio: 'ignore', windowsHide: true })
              : spawn('sleep', ['1000'], { stdio: 'ignore' });
            child.on('error', () => undefined);
            children.add(child);
            latest = child;
          });
          return Buffer.alloc(0);
        },
        [CHAOS_CHILD]: () => Buffer.from(String((latest && children.has(latest) ? latest.pid : 0) ?? 0)),
        [CHAOS_BLOCK]: (input) => {
          const until = Date.now() + Number(input.toString());
          while (Date.now() < until) {
            // the event loop is blocked on purpose: only Terminate's deadline can end this host
          }
        },
        [CHAOS_GARBAGE]: (input) => {
          if (!inChildHost()) throw new ResourceError(ERROR_INVALID_FUNCTION, 'garbage is only written from a child host process');
          writeSync(HOST_CHANNEL_FD, input);
          return Buffer.alloc(0);
        },
      },
    };
  },
});

export interface ChaosOptions {
  seconds: number;
  seed: number;
  /** Where the handlers run: this process, or a child host process (then `module` is the
   * compiled module exporting ChaosType, i.e. dist/testing/chaos.js). */
  host?: 'inprocess' | 'process';
  module?: string;
  resources?: number;
  threads?: number;
  /** Operations in flight at once. */
  concurrency?: number;
  /** Whether a few resources start child processes and are terminated with them running
   * (terminateChildGapsMs). Default true. */
  children?: boolean;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  seconds: number;
  operations: Record<string, number>;
  calls: number;
  hostKills: number;
  /** Garbage written on the host's channel (process host only), and how often the shim
   * logged dropping a host for a corrupt frame. */
  garbageWrites: number;
  corruptFrameDrops: number;
  /** Entry-point durations (ms) by bucket upper bound. */
  histogram: { upToMs: number; count: number }[];
  maxCallMs: number;
  slowCalls: TimelineEvent[];
  violations: Violation[];
  overlaps: string[];
  propertyMismatches: string[];
  rssMb: { start: number; middle: number; end: number };
  /** Host processes and resources' children still alive after stop(). */
  orphans: number[];
  /** Terminates of a resource with a running child (process host: while its host's loop is
   * blocked): how long after Terminate returned the child was seen gone (ms; negative: before). */
  terminateChildGapsMs: number[];
  /** Process host: those over 50 ms (the shim kills the host's tree before Terminate returns).
   * In-process the terminate handler ends the child once the shared event loop is free; its gaps
   * are reported, not judged. */
  terminateSurvivors: string[];
}

/** Whether a process with this pid exists (a zombie included) and could be signalled. */
function signallable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Running (not a zombie) per /proc; on Windows (no /proc, no zombies), whether the pid can be signalled. */
function childRunning(pid: number): boolean {
  if (process.platform === 'win32') return signallable(pid);
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

const BUCKETS = [0.1, 0.5, 1, 5, 10, 50, 100, 250, 300, Infinity];

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const rand = prng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const log = options.log ?? (() => undefined);
  const processHost = options.host === 'process';
  const cluster = await MockCluster.start({
    ...(processHost ? { host: 'process' as const, module: options.module } : {}),
    threads: options.threads ?? 4,
    // The report counts every call, so the timeline keeps them all.
    timelineLimit: Infinity,
    pendingTimeoutMs: 600,
    polling: { looksAliveMs: 300, isAliveMs: 1000 },
    restart: { threshold: 2, periodMs: 5000, delayMs: 50 },
  });
  const count = options.resources ?? 200;
  const resources: MockResource<typeof ChaosType.properties>[] = [];
  // What the cluster database must hold: the last SET that succeeded, per resource.
  const expected = new Map<string, { Fault: string; Counter: number }>();
  for (let i = 0; i < count; i++) {
    const r = processHost
      ? ((await cluster.createResource(ChaosType.name, `chaos-${i}`)) as unknown as MockResource<typeof ChaosType.properties>)
      : await cluster.createResource(ChaosType, `chaos-${i}`);
    resources.push(r);
    expected.set(r.name, { Fault: 'ok', Counter: 0 });
  }
  const operations: Record<string, number> = {};
  let hostKills = 0;
  let garbageWrites = 0;
  const rss = () => process.memoryUsage().rss / 1048576;
  const rssStart = rss();
  let rssMiddle = rssStart;
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  let middleTaken = false;
  let counter = 1;
  const hostPids = new Set<number>();
  const childPids = new Set<number>();
  const terminateChildGapsMs: number[] = [];
  const terminateSurvivors: string[] = [];
  let childTerminateRunning = false;
  const reasons = STATE_CHANGE_REASONS;
  const notifications = Object.keys(RESOURCE_NOTIFICATIONS) as (keyof typeof RESOURCE_NOTIFICATIONS)[];

  // A Terminate while the resource has a child (and, with a host process, while that host's loop
  // is blocked): the child must be gone within 50 ms of Terminate's return.
  const terminateWithChild = async (res: MockResource<typeof ChaosType.properties>): Promise<void> => {
    // A host that is restarting or busy gets a few tries; then the child's pid, once it runs
    // (asked again while the spawn blocks the host's loop).
    let asked = false;
    for (let i = 0; i < 5 && !asked; i++) {
      asked = await res.control(CHAOS_SPAWN).then(() => true, () => false);
      if (!asked) await sleep(100);
    }
    let pid = 0;
    for (let i = 0; i < 20 && asked && !pid; i++) {
      pid = Number((await res.control(CHAOS_CHILD).catch(() => undefined))?.toString() ?? 0);
      if (!pid) await sleep(50);
    }
    if (!pid) return;
    childPids.add(pid);
    if (processHost) {
      void res.control(CHAOS_BLOCK, Buffer.from('400')).catch(() => undefined);
      await sleep(20);
    }
    const calls = () => res.events.filter((e) => e.kind === 'call' && e.name === 'Terminate');
    const before = calls().length;
    const t0 = performance.now();
    await res.terminate({ reason: pick(reasons) });
    const resultAt = performance.now();
    const call = calls()[before];
    let goneAt: number | undefined;
    while (goneAt === undefined && performance.now() < t0 + 2000) {
      if (!childRunning(pid)) goneAt = performance.now();
      else await new Promise((r) => setImmediate(r));
    }
    // The call began after t0, so it returned no earlier than t0 + its duration: the gap can
    // only be overestimated, also by how late this busy process gets to look. What is judged is
    // the part after Terminate's result reached this process (itself after the return).
    const gapMs = (goneAt ?? Infinity) - (t0 + (call?.durationMs ?? 0));
    const gap = (goneAt ?? Infinity) - resultAt;
    terminateChildGapsMs.push(Math.round(gapMs * 100) / 100);
    // In-process the host is this process: the handler that ends the child shares the event loop
    // the chaos handlers block on purpose (and this watcher), so the child ends when the loop is
    // free and the gap says more about the loop than about Terminate. A host process is killed
    // with its tree by the shim itself.
    if (processHost && gap > 50) terminateSurvivors.push(`${res.name}: child ${pid} still running ${gap.toFixed(1)} ms after Terminate's result arrived`);
  };
  const notePid = () => {
    const pid = processHost ? cluster.hostPid : 0;
    if (pid > 0) hostPids.add(pid);
  };

  // The first few resources start children; their handlers never hang (no SET changes their
  // Fault), so a control reaches them in time.
  const spawners = options.children === false ? [] : resources.slice(0, Math.min(4, Math.floor(resources.length / 10)));
  const others = resources.slice(spawners.length);
  const one = async (): Promise<void> => {
    let res = pick(others);
    const op = pick(['online', 'online', 'offline', 'looksAlive', 'isAlive', 'control', 'terminate', 'set', 'set', 'cancel', 'kill', 'garbage',
      'offlineWithReason', 'notify', 'terminateWithChild'] as const);
    operations[op] = (operations[op] ?? 0) + 1;
    switch (op) {
      case 'set': {
        const next = { Fault: pick(CHAOS_FAULTS), Counter: counter++ };
        try {
          await res.setProperties(next);
          expected.set(res.name, next);
        } catch (err) {
          if (!(err instanceof ResourceError)) throw err;
          // Rejected, timed out, or the host was down: nothing may have been stored, which the
          // final comparison checks.
        }
        return;
      }
      case 'kill':
        if (rand() < 0.1) {
          hostKills++;
          const pid = cluster.killHost();
          if (pid > 0) hostPids.add(pid);
        }
        return;
      case 'garbage':
        if (processHost && rand() < 0.1) {
          garbageWrites++;
          // The shim may drop the host before the handler's answer gets out: any outcome is fine,
          // as long as every invariant holds.
          await res.control(CHAOS_GARBAGE, garbageBytes(rand)).catch(() => undefined);
        }
        return;
      case 'control':
        await res.control(CHAOS_CONTROL, Buffer.from('x')).catch(() => undefined);
        return;
      case 'cancel':
        await res.cancel();
        return;
      case 'offlineWithReason':
        await res.offline({ reason: pick(reasons), destinationNode: 'N2', flags: Math.floor(rand() * 0x80) });
        return;
      case 'terminate':
        await res.terminate({ reason: pick(reasons) });
        return;
      case 'notify':
        await res.notify(pick(notifications), 'N2');
        return;
      case 'terminateWithChild':
        if (spawners.length === 0) return;
        res = pick(spawners);
        // With a host process each one costs the host (it is killed): one at a time there.
        // In-process each spawn forks this (large) process: now and then.
        if ((processHost && childTerminateRunning) || (!processHost && rand() > 0.3)) return;
        childTerminateRunning = true;
        await terminateWithChild(res).finally(() => (childTerminateRunning = false));
        return;
      default:
        await res[op]();
    }
  };

  // The random garbage below reaches a host only when its control does (a host just killed or
  // waiting out its restart backoff, a handler hung by its Fault: the write never happens), so how
  // many corrupt frames a run sees is luck. One write of a header with a bad magic first, while the
  // cluster is calm, to a resource whose handlers never hang, makes sure every run exercises the
  // path: the shim must drop the host for it.
  const drops = () => cluster.events.filter((e) => e.kind === 'log' && /lost: corrupt frame/.test(e.message ?? '')).length;
  if (processHost) {
    const target = spawners[0] ?? resources[0]!;
    const before = drops();
    for (let attempt = 0; attempt < 5 && drops() === before; attempt++) {
      garbageWrites++;
      await target.control(CHAOS_GARBAGE, garbageBytes(() => 0.2)).catch(() => undefined);
      for (let waited = 0; waited < 1000 && drops() === before; waited += 20) await sleep(20);
    }
  }

  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      await one();
      notePid();
      if (!middleTaken && Date.now() > started + (deadline - started) / 2) {
        middleTaken = true;
        rssMiddle = rss();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  log(`chaos: ${Object.values(operations).reduce((a, b) => a + b, 0)} operations in ${options.seconds} s, stopping`);

  // Leave every resource in a state where its stored properties can be read back.
  const propertyMismatches: string[] = [];
  for (const r of resources) {
    const stored = Object.fromEntries(r.storedProperties().map((p) => [p.name, p.value]));
    const want = expected.get(r.name)!;
    const got = { Fault: stored.Fault ?? 'ok', Counter: stored.Counter ?? 0 };
    if (got.Fault !== want.Fault || got.Counter !== want.Counter) {
      propertyMismatches.push(`${r.name}: stored ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
  }
  await cluster.stop();
  await sleep(200);  // a killed host's reaping is asynchronous
  const orphans = [...[...hostPids].filter(signallable), ...[...childPids].filter(childRunning)];
  const calls = cluster.events.filter((e) => e.kind === 'call');
  const histogram = BUCKETS.map((upToMs) => ({ upToMs, count: 0 }));
  for (const c of calls) histogram.find((b) => (c.durationMs ?? 0) <= b.upToMs)!.count++;
  return {
    seed: options.seed,
    seconds: options.seconds,
    operations,
    calls: calls.length,
    hostKills,
    garbageWrites,
    corruptFrameDrops: drops(),
    histogram,
    maxCallMs: Math.max(0, ...calls.map((c) => c.durationMs ?? 0)),
    slowCalls: calls.filter((c) => (c.durationMs ?? 0) > 300),
    violations: cluster.violations,
    overlaps: cluster.events.filter((e) => e.kind === 'log' && /^OVERLAP/.test(e.message ?? '')).map((e) => `${e.resource}: ${e.message}`),
    propertyMismatches,
    rssMb: { start: rssStart, middle: rssMiddle, end: rss() },
    orphans,
    terminateChildGapsMs,
    terminateSurvivors,
  };
}

/** The latency histogram as text lines. */
export function formatHistogram(report: ChaosReport): string[] {
  const total = report.calls || 1;
  return report.histogram.map((b) => {
    const label = Number.isFinite(b.upToMs) ? `<= ${b.upToMs} ms` : '> 300 ms';
    const bar = '#'.repeat(Math.round((b.count / total) * 50));
    return `${label.padStart(10)} ${String(b.count).padStart(8)} ${bar}`;
  });
}
