// The conformance battery: drives a resource type through what a cluster does to it, in the spirit
// of Pacemaker's ocf-tester (double start, stop when stopped, monitor when stopped), and reports
// each finding as PASS, WARN, FAIL (or SKIP where a check does not apply) with why. The thresholds
// are the shim's deadlines (DESIGN §3, the type's `timeouts`): a handler over its budget fails,
// one over half of it warns.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceTypeDefinition } from '../define.js';
import { ResourceError } from '../errors.js';
import { loadResourceType } from '../load-module.js';
import { DEFAULT_TIMEOUTS, type ResourceTypeTimeouts } from '../manifest.js';
import { packageRoot } from '../package-paths.js';
import type { PropertyInput, PropertySchema, PropSpec } from '../props.js';
import { ERROR_TIMEOUT, win32ErrorName } from '../win32.js';
import { ABORT_REPORT_MS, instrument, parseProbeLine, type ProbeReport } from './conformance-probe.js';
import { MockCluster, type HostProcessOptions } from './mock-cluster.js';
import type { MockResource } from './mock-resource.js';
import { descendants, processTreeVisible, stillRunning, type ProcessRef } from './process-tree.js';
import type { ResourceState } from './timeline.js';

export type ConformanceStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

export interface ConformanceFinding {
  /** The check's name, e.g. 'lifecycle', 'terminate-online', 'budget:looksAlive'. */
  check: string;
  /** The Resource API the check ran on; absent for checks run once. */
  resapi?: 'v1' | 'v2';
  status: ConformanceStatus;
  /** Why: what was done and what was seen. */
  message: string;
}

export interface ConformanceReport {
  typeName: string;
  host: 'inprocess' | 'process';
  findings: ConformanceFinding[];
  /** The findings that failed; the battery passes when there are none. */
  failures: ConformanceFinding[];
  passed: boolean;
  durationMs: number;
}

export interface ConformanceOptions {
  /** The private properties every resource starts with (required ones must be given). */
  properties?: Record<string, unknown>;
  /** Where the handlers run (default 'inprocess'); 'process' needs the type as a module path. */
  host?: 'inprocess' | 'process';
  /** host 'process': the host command (node, loader args, ...). */
  hostProcess?: HostProcessOptions;
  /** The Resource API versions to run the lifecycle checks on. Default both. */
  resapi?: readonly ('v1' | 'v2')[];
  /** Called with each finding as it is made (the CLI prints them as they come). */
  onFinding?: (f: ConformanceFinding) => void;
}

/** After Offline/Terminate/Close a resource's processes get this long to exit. */
export const PROCESS_EXIT_GRACE_MS = 1000;
/** Host loss: how long the monitor may take to see the resource failed. */
const HOST_LOSS_MS = 10000;

const RANK: Record<ConformanceStatus, number> = { SKIP: 0, PASS: 1, WARN: 2, FAIL: 3 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A handler's time against its budget: FAIL at or above it, WARN above half. */
export function budgetStatus(ms: number, budgetMs: number): 'PASS' | 'WARN' | 'FAIL' {
  return ms >= budgetMs ? 'FAIL' : ms > budgetMs / 2 ? 'WARN' : 'PASS';
}

function describe(err: unknown): string {
  if (err instanceof ResourceError) return `${win32ErrorName(err.code)}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** Writes a module for the host process that serves the type with the probe around it. */
function probeModule(modulePath: string, loaderArgs: readonly string[]): string {
  const file = join(tmpdir(), `wsfc-conformance-${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
  const dist = (p: string) => pathToFileURL(join(packageRoot(), 'dist', p)).href;
  writeFileSync(file, `// Written by wsfc-resource's conformance battery: the type of ${modulePath}, measured.
import { loadResourceType } from ${JSON.stringify(dist('load-module.js'))};
import { instrument } from ${JSON.stringify(dist('testing/conformance-probe.js'))};
export default instrument(await loadResourceType(${JSON.stringify(resolve(modulePath))}, { loaderArgs: ${JSON.stringify(loaderArgs)} }));
`);
  return file;
}

class Battery {
  private readonly findings = new Map<string, ConformanceFinding>();
  private readonly order: string[] = [];
  private readonly repeats = new Map<string, number>();
  private serial = 0;

  constructor(
    private readonly def: ResourceTypeDefinition,
    private readonly options: ConformanceOptions,
    private readonly timeouts: ResourceTypeTimeouts,
  ) {}

  /** One finding per check and Resource API: the worst observation wins, equal ones add up. */
  note(check: string, resapi: 'v1' | 'v2' | undefined, status: ConformanceStatus, message: string): void {
    const key = `${check}/${resapi ?? ''}`;
    const known = this.findings.get(key);
    if (!known) {
      this.findings.set(key, { check, ...(resapi ? { resapi } : {}), status, message });
      this.order.push(key);
    } else if (RANK[status] > RANK[known.status]) {
      known.status = status;
      known.message = message;
      this.repeats.set(key, 1);
    } else if (RANK[status] === RANK[known.status] && status !== 'PASS') {
      // The first observation says what happened; later ones of the same kind only count.
      const n = (this.repeats.get(key) ?? 1) + 1;
      this.repeats.set(key, n);
      known.message = `${known.message.replace(/ \(seen \d+ times\)$/, '')} (seen ${n} times)`;
    }
  }

  all(): ConformanceFinding[] {
    return this.order.map((k) => this.findings.get(k)!);
  }

  nextName(resapi: string): string {
    return `${resapi}-r${++this.serial}`;
  }

  get budgets() {
    return this.timeouts;
  }

  get type() {
    return this.def;
  }

  get opts() {
    return this.options;
  }
}

/** One cluster (one Resource API) and what the checks on it share. */
class Run {
  /** Processes below the host that are not the resource's (there before the checks). */
  private readonly baseline = new Set<string>();
  constructor(
    private readonly b: Battery,
    readonly cluster: MockCluster,
    readonly resapi: 'v1' | 'v2',
    private readonly typeArg: ResourceTypeDefinition | string,
    private readonly processHost: boolean,
  ) {
    for (const p of descendants(this.hostPid())) this.baseline.add(`${p.pid}/${p.startTime}`);
  }

  get type(): ResourceTypeDefinition {
    return this.b.type;
  }

  get budgets(): ResourceTypeTimeouts {
    return this.b.budgets;
  }

  get options(): ConformanceOptions {
    return this.b.opts;
  }

  hostPid(): number {
    return this.processHost ? this.cluster.hostPid : process.pid;
  }

  note(check: string, status: ConformanceStatus, message: string): void {
    this.b.note(check, this.resapi, status, message);
  }

  async create(properties: Record<string, unknown> | undefined = this.b.opts.properties): Promise<MockResource> {
    return this.cluster.createResource(this.typeArg as ResourceTypeDefinition, this.b.nextName(this.resapi), properties ? { properties: properties as PropertyInput<PropertySchema> } : {});
  }

  /** The resource's processes now: below the host and not there before the battery. */
  resourceProcesses(): ProcessRef[] {
    return descendants(this.hostPid()).filter((p) => !this.baseline.has(`${p.pid}/${p.startTime}`));
  }

  /**
   * After `what` (Offline, Terminate, Close, host loss), every process the resource had before it
   * and every one below the host now must be gone within PROCESS_EXIT_GRACE_MS. Leftovers are
   * named, then killed so that later checks start clean.
   */
  async expectNoProcesses(what: string, before: readonly ProcessRef[], check = `processes-after-${what.toLowerCase().replace(/ /g, '-')}`): Promise<void> {
    if (!processTreeVisible()) return this.note(check, 'SKIP', `this OS (${process.platform}) has no /proc to see the resource's processes`);
    const until = Date.now() + PROCESS_EXIT_GRACE_MS;
    let left: ProcessRef[];
    const seen = new Map<string, ProcessRef>();
    for (;;) {
      for (const p of [...before, ...this.resourceProcesses()]) seen.set(`${p.pid}/${p.startTime}`, p);
      left = [...seen.values()].filter(stillRunning);
      if (left.length === 0 || Date.now() > until) break;
      await sleep(25);
    }
    if (left.length === 0) return this.note(check, 'PASS', `no process of the resource runs after ${what}`);
    this.note(check, 'FAIL', `${left.length} process(es) of the resource still ran ${PROCESS_EXIT_GRACE_MS} ms after ${what}: ${left.map((p) => `pid ${p.pid} (${p.command.slice(0, 120)})`).join(', ')}`);
    this.killAll(left);
  }

  killAll(processes: readonly ProcessRef[]): void {
    for (const p of processes.filter(stillRunning)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }

  /** Probe reports of one resource, waiting up to `waitMs` for one that `want` accepts. */
  async probe(resource: string, want: (r: ProbeReport) => boolean, waitMs: number, since = 0): Promise<ProbeReport | undefined> {
    const until = Date.now() + waitMs;
    for (;;) {
      const found = this.probes(resource).slice(since).find(want);
      if (found || Date.now() > until) return found;
      await sleep(10);
    }
  }

  probes(resource?: string): ProbeReport[] {
    const out: ProbeReport[] = [];
    for (const e of this.cluster.events) {
      if (e.kind !== 'log' || (resource !== undefined && e.resource !== resource)) continue;
      const r = parseProbeLine(e.message);
      if (r) out.push(r);
    }
    return out;
  }

  /**
   * LooksAlive and IsAlive as the handlers answered them. A handler past its deadline leaves the
   * cluster the shim's cached answer; that is the budget check's finding, and here the handler's
   * own answer counts (what the probe saw), so one fault is reported once.
   */
  async health(r: MockResource): Promise<{ looks: boolean; is: boolean }> {
    const ask = async (kind: 'looksAlive' | 'isAlive'): Promise<boolean> => {
      const seen = this.probes(r.name).length;
      const cluster = kind === 'looksAlive' ? await r.looksAlive() : await r.isAlive();
      const own = await this.probe(r.name, (p) => p.handler === kind, 1000, seen);
      return typeof own?.value === 'boolean' ? own.value : cluster;
    };
    return { looks: await ask('looksAlive'), is: await ask('isAlive') };
  }

  /** Online that must reach Online; notes a FAIL under `check` otherwise. */
  async online(check: string, r: MockResource, why: string): Promise<boolean> {
    let state: ResourceState;
    try {
      state = await r.online();
    } catch (err) {
      this.note(check, 'FAIL', `${why}: Online threw ${describe(err)}`);
      return false;
    }
    if (state === 'Online') return true;
    this.note(check, 'FAIL', `${why}: Online ended ${state}${this.lastError(r)}`);
    return false;
  }

  async offline(check: string, r: MockResource, why: string): Promise<boolean> {
    const before = this.resourceProcesses();
    let state: ResourceState;
    try {
      state = await r.offline();
    } catch (err) {
      this.note(check, 'FAIL', `${why}: Offline threw ${describe(err)}`);
      return false;
    }
    await this.expectNoProcesses('Offline', before);
    if (state === 'Offline') return true;
    this.note(check, 'FAIL', `${why}: Offline ended ${state}${this.lastError(r)}`);
    return false;
  }

  /** The last error the resource logged, as a hint in a message. */
  lastError(r: MockResource): string {
    const e = [...r.events].reverse().find((x) => x.kind === 'log' && x.level !== undefined && x.level >= 2);
    return e?.message ? ` (its log: ${e.message.slice(0, 200)})` : '';
  }

  violationsSince(mark: number): string[] {
    return this.cluster.violations.filter((v) => v.at >= mark).map((v) => `${v.kind}: ${v.message}`);
  }

  get now(): number {
    const events = this.cluster.events;
    return events.length ? events[events.length - 1]!.at : 0;
  }
}

// ---- the checks ----

async function lifecycle(run: Run): Promise<void> {
  const check = 'lifecycle';
  const mark = run.now;
  const r = await run.create();
  if (!(await run.online(check, r, 'first Online'))) return void (await r.close());
  const { looks, is } = await run.health(r);
  if (!looks || !is) run.note(check, 'FAIL', `an Online resource answered LooksAlive ${looks ? 'TRUE' : 'FALSE'}, IsAlive ${is ? 'TRUE' : 'FALSE'}`);
  if (!(await run.offline(check, r, 'Offline after Online'))) return void (await r.close());
  if (await run.online(check, r, 'Online again after Offline')) await run.offline(check, r, 'second Offline');
  await r.close();
  const bad = run.violationsSince(mark);
  if (bad.length) run.note(check, 'FAIL', `contract violations: ${bad.join('; ')}`);
  run.note(check, 'PASS', `Open, Online, LooksAlive/IsAlive TRUE, Offline, Online, Offline, Close (${run.resapi.toUpperCase()})`);
}

async function onlineWhenOnline(run: Run): Promise<void> {
  const check = 'online-when-online';
  const r = await run.create();
  if (await run.online(check, r, 'first Online')) {
    const state = await r.online();
    if (state === 'Online') run.note(check, 'PASS', 'a second Online on an Online resource leaves it Online');
    else run.note(check, 'FAIL', `a second Online on an Online resource left it ${state}${run.lastError(r)}`);
    await run.offline(check, r, 'Offline after the second Online');
  }
  await r.close();
}

async function offlineWhenOffline(run: Run): Promise<void> {
  const check = 'offline-when-offline';
  const r = await run.create();
  const state = await r.offline();
  if (state === 'Offline') run.note(check, 'PASS', 'Offline on a resource that was never online leaves it Offline');
  else run.note(check, 'FAIL', `Offline on an Offline resource left it ${state}${run.lastError(r)}`);
  await r.close();
}

async function healthWhenOffline(run: Run): Promise<void> {
  const check = 'health-when-offline';
  const r = await run.create();
  let ok = true;
  for (const when of ['never online', 'after Offline'] as const) {
    if (when === 'after Offline' && !((await run.online(check, r, 'Online')) && (await run.offline(check, r, 'Offline')))) break;
    const { looks, is } = await run.health(r);
    if (looks || is) {
      ok = false;
      run.note(check, 'WARN', `an Offline resource (${when}) answered LooksAlive ${looks ? 'TRUE' : 'FALSE'}, IsAlive ${is ? 'TRUE' : 'FALSE'}; it should say it is not alive`);
    }
  }
  if (ok) run.note(check, 'PASS', 'LooksAlive and IsAlive answer FALSE on an Offline resource (never online, and after Offline)');
  await r.close();
}

/** After Terminate: the interrupted handler must settle within the Terminate budget. */
/** Returns whether the handler was still running when Terminate came. */
async function abortedHandler(run: Run, check: string, r: MockResource, kind: 'online' | 'offline', since: number): Promise<boolean> {
  const budget = run.budgets.terminateAckMs;
  const report = await run.probe(r.name, (p) => p.handler === kind, ABORT_REPORT_MS + 1000, since);
  if (!report || (report.settledAfterAbortMs === undefined && report.runningAfterAbortMs === undefined)) return false;  // it had finished before the Terminate
  if (report.runningAfterAbortMs !== undefined) {
    run.note(check, 'FAIL', `${kind}() ignores its AbortSignal: still running ${report.runningAfterAbortMs} ms after Terminate aborted it (it must stop within ${budget} ms: nothing of a resource runs after Terminate)`);
    return true;
  }
  const ms = report.settledAfterAbortMs!;
  const status = budgetStatus(ms, budget);
  if (status !== 'PASS') run.note(check, status, `${kind}() settled ${ms} ms after Terminate aborted its signal (budget ${budget} ms, warning above ${budget / 2})`);
  return true;
}

async function terminateIdle(run: Run): Promise<void> {
  const check = 'terminate-idle';
  const r = await run.create();
  const state = await r.terminate();
  if (state !== 'Offline' && state !== 'Failed') run.note(check, 'FAIL', `Terminate of an idle resource left it ${state}`);
  if (await run.online(check, r, 'Online after Terminate of an idle resource')) {
    run.note(check, 'PASS', 'Terminate of a never-online resource, then Online: Online');
    await run.offline(check, r, 'Offline');
  }
  await r.close();
}

async function terminateOnline(run: Run): Promise<void> {
  const check = 'terminate-online';
  const r = await run.create();
  const since = run.probes(r.name).length;
  const pending = r.online();
  await r.waitForState(['OnlinePending', 'Online', 'Failed'], 5000).catch(() => undefined);
  // Let the handler get going (start its process) before the cluster loses patience.
  await sleep(20);
  const during = r.state;
  const before = run.resourceProcesses();
  await r.terminate();
  await pending.catch(() => undefined);
  await abortedHandler(run, check, r, 'online', since);
  await run.expectNoProcesses('Terminate', before);
  if (await run.online(check, r, 'Online after Terminate during Online')) {
    run.note(check, 'PASS', `Terminate while ${during}, the handler stopped, then Online: Online`);
    await run.offline(check, r, 'Offline');
  }
  await r.close();
}

async function terminateOffline(run: Run): Promise<void> {
  const check = 'terminate-offline';
  const r = await run.create();
  if (await run.online(check, r, 'Online')) {
    const before = run.resourceProcesses();
    const since = run.probes(r.name).length;
    const pending = r.offline();
    await r.waitForState(['OfflinePending', 'Offline', 'Failed'], 5000).catch(() => undefined);
    const during = r.state;
    await r.terminate();
    await pending.catch(() => undefined);
    const interrupted = await abortedHandler(run, check, r, 'offline', since);
    // An Offline that finished before the Terminate came answers for what it left running.
    await run.expectNoProcesses(interrupted ? 'Terminate' : 'Offline', before);
    if (await run.online(check, r, 'Online after Terminate during Offline')) {
      run.note(check, 'PASS', `Terminate while ${during}, then Online: Online`);
      await run.offline(check, r, 'Offline');
    }
  }
  await r.close();
}

async function closeWithoutOffline(run: Run): Promise<void> {
  const check = 'close-without-offline';
  const r = await run.create();
  if (await run.online(check, r, 'Online')) {
    const before = run.resourceProcesses();
    await r.close();
    await run.expectNoProcesses('Close', before, check);
    run.note(check, 'PASS', 'Close of an Online resource (no Offline first) leaves no process behind');
  } else {
    await r.close();
  }
}

async function controls(run: Run): Promise<void> {
  const check = 'controls';
  const r = await run.create();
  const open = await run.probe(r.name, (p) => p.handler === 'open', 2000);
  const codes = open?.controls ?? [];
  const typeCodes = Object.keys(run.type.typeControls ?? {}).map(Number);
  if (codes.length === 0 && typeCodes.length === 0) {
    run.note(check, 'SKIP', 'the type declares no control codes');
    return void (await r.close());
  }
  const budget = run.budgets.controlMs;
  const ask = async (code: number, when: string, call: () => Promise<Buffer>) => {
    const t0 = performance.now();
    let answer: string;
    try {
      answer = `${(await call()).length} bytes`;
    } catch (err) {
      if (err instanceof ResourceError && err.code === ERROR_TIMEOUT) {
        return run.note(check, 'FAIL', `control 0x${code.toString(16)} (${when}) did not answer within ${budget} ms`);
      }
      answer = err instanceof ResourceError ? win32ErrorName(err.code) : describe(err);
    }
    const ms = performance.now() - t0;
    if (ms >= budget) run.note(check, 'FAIL', `control 0x${code.toString(16)} (${when}) took ${ms.toFixed(0)} ms (budget ${budget})`);
    else run.note(check, 'PASS', `control 0x${code.toString(16)} answers online and offline (${when}: ${answer})`);
  };
  if (await run.online(check, r, 'Online')) {
    for (const code of codes) await ask(code, 'online', () => r.control(code));
    await run.offline(check, r, 'Offline');
  }
  for (const code of codes) await ask(code, 'offline', () => r.control(code));
  for (const code of typeCodes) await ask(code, 'resource type', () => run.cluster.controlType(run.type.name, code));
  await r.close();
}

/** The format's own range, for "one beyond the bound" (none beyond the format's limit). */
const FORMAT_LIMITS: Partial<Record<string, readonly [number | bigint, number | bigint]>> = {
  dword: [0, 0xffffffff], long: [-0x80000000, 0x7fffffff], word: [0, 0xffff],
  ulargeInteger: [0n, 0xffffffffffffffffn], largeInteger: [-0x8000000000000000n, 0x7fffffffffffffffn], filetime: [0n, 0xffffffffffffffffn],
};

/** A numeric bound and the value one beyond it, when the format can hold that value. */
function around(spec: PropSpec, bound: 'min' | 'max'): { inside: number | bigint; outside?: number | bigint } | undefined {
  const v = spec[bound];
  const limits = FORMAT_LIMITS[spec.format];
  if (v === undefined || !limits) return undefined;
  const outside = typeof v === 'bigint' ? (bound === 'min' ? v - 1n : v + 1n) : bound === 'min' ? v - 1 : v + 1;
  return { inside: v, ...(outside >= limits[0] && outside <= limits[1] ? { outside } : {}) };
}

async function propertySets(run: Run): Promise<void> {
  const schema = run.type.properties;
  const r = await run.create();
  const stored = () => JSON.stringify(r.storedProperties(), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  const set = async (values: Record<string, unknown>): Promise<{ ok: boolean; code?: number; ms: number }> => {
    const t0 = performance.now();
    try {
      await r.setProperties(values as never);
      return { ok: true, ms: performance.now() - t0 };
    } catch (err) {
      if (err instanceof ResourceError) return { ok: false, code: err.code, ms: performance.now() - t0 };
      throw err;
    }
  };
  const setMs: number[] = [];
  let refused = 0;
  // The starting values, SET again: valid by definition, so the validate hook must accept them.
  const starting = Object.fromEntries(Object.entries(schema)
    .filter(([, spec]) => !spec.readOnly)
    .map(([name, spec]) => [name, run.options.properties?.[name] ?? spec.default])
    .filter(([, v]) => v !== undefined));
  if (Object.keys(starting).length > 0) {
    const again = await set(starting);
    setMs.push(again.ms);
    if (!again.ok) run.note('validate', 'FAIL', `a SET of the resource's starting values was refused (${win32ErrorName(again.code!)})`);
  }
  for (const bound of ['min', 'max'] as const) {
    const check = `set-${bound}`;
    let any = false;
    for (const [name, spec] of Object.entries(schema)) {
      if (spec.readOnly) continue;
      const b = around(spec, bound);
      if (!b) continue;
      any = true;
      const atBound = await set({ [name]: b.inside });
      setMs.push(atBound.ms);
      if (!atBound.ok && run.type.validate === undefined) run.note(check, 'FAIL', `SET ${name}=${String(b.inside)} (its ${bound}) was refused with ${win32ErrorName(atBound.code!)}`);
      else if (!atBound.ok) run.note(check, 'WARN', `SET ${name}=${String(b.inside)} (its ${bound}) was refused by the validate hook (${win32ErrorName(atBound.code!)})`);
      if (b.outside === undefined) continue;
      const before = stored();
      const beyond = await set({ [name]: b.outside });
      setMs.push(beyond.ms);
      if (beyond.ok) run.note(check, 'FAIL', `SET ${name}=${String(b.outside)} (beyond its ${bound} ${String(b.inside)}) was accepted`);
      else if (stored() !== before) run.note(check, 'FAIL', `the refused SET ${name}=${String(b.outside)} changed the stored properties`);
      else refused++;
    }
    if (any) run.note(check, 'PASS', `every ${bound} is accepted and one beyond it is refused with nothing stored`);
    else run.note(check, 'SKIP', `no property declares a ${bound}`);
  }

  const readOnly = Object.entries(schema).filter(([, s]) => s.readOnly);
  if (readOnly.length === 0) run.note('set-read-only', 'SKIP', 'no property is read-only');
  for (const [name, spec] of readOnly) {
    const value = spec.default ?? sample(spec);
    if (value === undefined) continue;
    const before = stored();
    const res = await set({ [name]: value });
    setMs.push(res.ms);
    if (res.ok) run.note('set-read-only', 'FAIL', `SET of the read-only ${name} was accepted`);
    else if (stored() !== before) run.note('set-read-only', 'FAIL', `the refused SET of the read-only ${name} changed the stored properties`);
    else run.note('set-read-only', 'PASS', `SET of a read-only property is refused (${win32ErrorName(res.code!)}) and stores nothing`);
  }
  await r.close();

  const required = Object.entries(schema).filter(([, s]) => s.required && s.default === undefined).map(([n]) => n);
  if (required.length === 0) run.note('required', 'SKIP', 'no property is required');
  else {
    const given = Object.fromEntries(Object.entries(run.options.properties ?? {}).filter(([k]) => !required.includes(k)));
    const bare = await run.create(given);
    const state = await bare.online();
    if (state === 'Online') {
      run.note('required', 'FAIL', `Online without ${required.join(', ')} (required) came Online`);
      await bare.offline();
    } else if (bare.events.some((e) => e.kind === 'log' && required.some((n) => e.message?.includes(n)))) {
      run.note('required', 'PASS', `Online without ${required.join(', ')} fails (${state}) and the log names what is missing`);
    } else {
      run.note('required', 'WARN', `Online without ${required.join(', ')} fails (${state}) but no log line names the property`);
    }
    await bare.close();
  }

  const check = 'validate';
  if (!run.type.validate) return run.note(check, 'SKIP', 'the type has no validate hook');
  const budget = run.budgets.controlMs;
  const worst = Math.max(0, ...setMs);
  const status = budgetStatus(worst, budget);
  run.note(check, status, `the validate hook answered ${setMs.length} SETs, the slowest SET in ${worst.toFixed(1)} ms (budget ${budget}, warning above ${budget / 2}); the ${refused} refused SETs stored nothing`);
}

/** A schema-valid value for a property without a default, for a read-only SET. */
function sample(spec: PropSpec): unknown {
  switch (spec.format) {
    case 'dword': case 'long': case 'word': return spec.min ?? 1;
    case 'ulargeInteger': case 'largeInteger': case 'filetime': return spec.min ?? 1n;
    case 'sz': case 'expandSz': return 'x';
    case 'multiSz': return ['x'];
    case 'binary': return Buffer.from([1]);
  }
  return undefined;
}

async function hostLoss(run: Run, processHost: boolean): Promise<void> {
  const check = 'host-loss';
  const r = await run.create();
  if (!(await run.online(check, r, 'Online'))) return void (await r.close());
  const before = run.resourceProcesses();
  run.cluster.killHost();
  try {
    await r.waitForState('Failed', HOST_LOSS_MS);
  } catch {
    run.note(check, 'FAIL', `the resource was not reported failed within ${HOST_LOSS_MS} ms of losing its host (state ${r.state})`);
  }
  if (processHost) await run.expectNoProcesses('host loss', before);
  else {
    // The host here is this process, which lives on: its processes would have outlived a real
    // host's death only if they do not watch for it, which --host process shows. Gone they go.
    run.note('processes-after-host-loss', 'SKIP', 'in-process the host does not die; --host process shows what a host crash leaves running');
    run.killAll(before);
  }
  const alive = await r.isAlive();
  if (alive) run.note(check, 'FAIL', 'IsAlive answered TRUE after the host was lost');
  if (await run.online(check, r, 'Online after host loss (the host restarts)')) {
    run.note(check, 'PASS', 'host lost: the resource failed, IsAlive FALSE, the next Online restarted the host and came Online');
    await run.offline(check, r, 'Offline');
  }
  await r.close();
}

/** Each handler's slowest call against its budget, from the probe's measurements. */
function budgets(b: Battery, reports: ProbeReport[]): void {
  const t = b.budgets;
  const limits: Record<string, [number, string]> = {
    looksAlive: [t.looksAliveMs, 'the LooksAlive deadline'],
    isAlive: [t.isAliveMs, 'the IsAlive deadline'],
    terminate: [t.terminateAckMs, "Terminate's acknowledgement deadline"],
    close: [t.terminateAckMs, "Terminate's acknowledgement deadline (Close terminates)"],
    online: [t.pendingTimeoutMs, 'PendingTimeout'],
    offline: [t.pendingTimeoutMs, 'PendingTimeout'],
  };
  const worst = new Map<string, { ms: number; n: number }>();
  for (const r of reports) {
    if (r.ms === undefined || r.settledAfterAbortMs !== undefined) continue;  // an aborted run is judged by its abort
    const key = r.handler.startsWith('control:') ? 'control' : r.handler;
    const w = worst.get(key) ?? { ms: 0, n: 0 };
    worst.set(key, { ms: Math.max(w.ms, r.ms), n: w.n + 1 });
  }
  limits.control = [t.controlMs, 'the control-code deadline'];
  for (const [handler, [budget, what]] of Object.entries(limits)) {
    const w = worst.get(handler);
    if (!w) continue;
    const status = budgetStatus(w.ms, budget);
    const verdict = status === 'FAIL' ? `over its budget: it blocks past ${what}` : status === 'WARN' ? 'above half its budget' : 'within its budget';
    b.note(`budget:${handler}`, undefined, status, `${handler}(): slowest of ${w.n} calls ${w.ms} ms, ${verdict} (${budget} ms, ${what}; warning above ${budget / 2} ms)`);
  }
}

/**
 * Runs the battery on a resource type: a definition (in-process) or a module path (either host).
 * The report's `passed` is false when any finding is FAIL.
 */
export async function runConformance(type: ResourceTypeDefinition | string, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const t0 = performance.now();
  const host = options.host ?? 'inprocess';
  if (host === 'process' && typeof type !== 'string') throw new TypeError("runConformance: host 'process' needs the type's module path, not its definition");
  const def = typeof type === 'string' ? await loadResourceType(type, { loaderArgs: options.hostProcess?.args ?? [] }) : type;
  const battery = new Battery(def, options, { ...DEFAULT_TIMEOUTS, ...def.timeouts });
  const emit = (f: ConformanceFinding) => options.onFinding?.(f);
  const report = (): ConformanceReport => {
    const findings = battery.all();
    const failures = findings.filter((f) => f.status === 'FAIL');
    return { typeName: def.name, host, findings, failures, passed: failures.length === 0, durationMs: Math.round(performance.now() - t0) };
  };

  const missing = Object.entries(def.properties).filter(([n, s]) => s.required && s.default === undefined && options.properties?.[n] === undefined).map(([n]) => n);
  if (missing.length) {
    battery.note('setup', undefined, 'FAIL', `required properties without a value: ${missing.join(', ')}; give them (--set ${missing[0]}=...) so the type can come online`);
    battery.all().forEach(emit);
    return report();
  }

  const probeFile = host === 'process' ? probeModule(type as string, options.hostProcess?.args ?? []) : undefined;
  const served = host === 'process' ? undefined : instrument(def);
  const reports: ProbeReport[] = [];
  const emitted = new Set<ConformanceFinding>();
  // A finding is final once its Resource API's checks are done (later observations may still make
  // a PASS a FAIL before that), so findings go out per Resource API.
  const flush = () => {
    for (const f of battery.all()) {
      if (!emitted.has(f)) emit(f);
      emitted.add(f);
    }
  };
  try {
    for (const resapi of options.resapi ?? (['v1', 'v2'] as const)) {
      const cluster = await MockCluster.start({
        resapi,
        ...(probeFile ? { host: 'process' as const, module: probeFile, hostProcess: options.hostProcess ?? {} } : {}),
      });
      const run = new Run(battery, cluster, resapi, served ?? def.name, host === 'process');
      try {
        const checks = [lifecycle, onlineWhenOnline, offlineWhenOffline, healthWhenOffline, terminateIdle, terminateOnline, terminateOffline, closeWithoutOffline];
        for (const c of checks) {
          await c(run);
        }
        if (resapi === (options.resapi ?? ['v1', 'v2']).at(-1)) {
          for (const c of [controls, propertySets, (x: Run) => hostLoss(x, host === 'process')]) {
            await c(run);
          }
        }
      } finally {
        await cluster.stop();
        reports.push(...run.probes());
      }
      flush();
    }
    budgets(battery, reports);
    flush();
  } finally {
    if (probeFile) rmSync(probeFile, { force: true });
  }
  return report();
}
