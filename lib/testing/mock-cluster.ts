// MockCluster (DESIGN §4): a native mock monitor driving the real shim, whose host is either this
// process ('inprocess': spies and closures work) or a child host process the shim starts through
// its real launcher ('process': the topology of RHS, for crash and kill tests) — the same frames,
// threads and deadlines as on Windows, minus rhs.exe.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadResourceType } from '../load-module.js';
import { hostMainPath } from '../package-paths.js';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ResourceTypeDefinition } from '../define.js';
import { asResourceError, describeError, ResourceError } from '../errors.js';
import { HostRuntime } from '../host/runtime.js';
import { native, openHostEndpoint, type MonitorOptions, type NativeHostEndpoint, type NativeMonitor, type ShimDeadlines } from '../native.js';
import { compiledManifestDifference, manifestOf } from '../manifest.js';
import { encodePropertyList, type PropertyValue } from '../proplist.js';
import { resolveProperties, toPropertyList, type PropertyInput, type PropertySchema, type PropertyValues } from '../props.js';
import { ERROR_INVALID_PARAMETER, ERROR_MORE_DATA, ERROR_SUCCESS, win32ErrorName } from '../win32.js';
import { clusctl } from '../clusctl.js';
import { MockResource, wideStringInput } from './mock-resource.js';
import { BoundedTimeline, DEFAULT_TIMELINE_LIMIT, type TimelineEvent, type Violation } from './timeline.js';

export interface MockClusterOptions {
  /** Which Resource API the monitor asks for: V1 `Startup` or V2 `StartupEx` (default). */
  resapi?: 'v1' | 'v2';
  /** Where handlers run: 'inprocess' (default: this process) or 'process' (a child host process
   * the shim starts, as on a cluster; needs `module`). */
  host?: 'inprocess' | 'process';
  /** host 'process': the resource module whose default export the host serves (.js; or .ts when
   * the host's node strips types or `hostProcess.args` names a loader). It is also imported here,
   * for its manifest and property schema. */
  module?: string;
  /** host 'process': the host command and how the shim watches it (type configuration `host`). */
  hostProcess?: HostProcessOptions;
  /** Poll LooksAlive/IsAlive on online resources like RHS (off: only explicit calls). */
  polling?: { looksAliveMs?: number; isAliveMs?: number };
  /** Gap between status reports after which a pending Online/Offline is terminated. Default 180000. */
  pendingTimeoutMs?: number;
  /** Restart failed resources like RHS (off: a failed resource stays failed). */
  restart?: { threshold?: number; periodMs?: number; delayMs?: number };
  /** The shim's per-call deadlines (DESIGN §3 defaults). In-process only: a host process gets
   * them from the definition's `timeouts`, which its manifest must match. */
  deadlines?: ShimDeadlines;
  /** Entry points slower than this are violations. Default 300. */
  callLimitMs?: number;
  /** RHS never overlaps non-Terminate calls on one resource; false lets the monitor do it anyway
   * (each overlap is then recorded as a violation), to stress the shim's own serialisation. */
  serializeCalls?: boolean;
  /** Monitor threads making the calls. Default 4. */
  threads?: number;
  /** Called for every event as it happens (on the JS thread). */
  onEvent?: (e: TimelineEvent) => void;
  /** How many events `events` keeps: the most recent ones (default 10,000; `Infinity` keeps all).
   * `droppedEvents` counts the others; `violations` are kept in full regardless. */
  timelineLimit?: number;
  /**
   * A JSON file that persists the mock cluster database (each resource's private properties):
   * read when a resource of a known name is created without `properties`, written by stop() and
   * saveProperties().
   */
  propertiesFile?: string;
}

export interface HostProcessOptions {
  /** The node executable. Default: the one running this process. */
  node?: string;
  /** node options before the host script (e.g. ['--enable-source-maps']). */
  args?: string[];
  /** Added to the host's environment. */
  env?: Record<string, string>;
  /** The host's stdout/stderr. Default: a new file in the temporary directory (`hostLogFile`),
   * removed again by `stop()`; name one to keep it. */
  logFile?: string;
  /** The log file's bound in bytes (at least 64 KiB; default 16 MiB): past it the file becomes
   * `<logFile>.1` and starts anew, as on a cluster node. */
  logMaxBytes?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  startTimeoutMs?: number;
  restartBackoffMinMs?: number;
  restartBackoffMaxMs?: number;
  /** How long a host that closed its channel may take to exit before SIGKILL. Default 100. */
  exitGraceMs?: number;
  /** Open the host to a debugger on 127.0.0.1 (node --inspect): a port, or true for 9229. Off by
   * default. The type configuration's `host.inspect`; it turns the heartbeat timeout off unless
   * `heartbeatTimeoutMs` is given, so a host paused at a breakpoint is not killed. */
  inspect?: number | boolean;
}

/** The debugger port `inspect` asks for, or undefined for none. */
export function inspectPort(inspect: number | boolean | undefined): number | undefined {
  if (inspect === undefined || inspect === false) return undefined;
  const port = inspect === true ? 9229 : inspect;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new RangeError(`inspect: a port from 1024 to 65535 (or true for 9229), got ${String(inspect)}`);
  return port;
}

/** The property schema of a resource type definition (`typeof MyType`). */
export type SchemaOf<D> = D extends ResourceTypeDefinition<infer S> ? S : PropertySchema;

export interface CreateResourceOptions<S extends PropertySchema> {
  /** Initial private properties, stored in the mock cluster database before Open. */
  properties?: PropertyInput<S>;
  /** OpenV2 flags (CLUS_RESDLL_OPEN; `res.openFlags` in the handlers); ignored on V1. */
  openFlags?: number;
}

/** The cluster notifications a resource type can be sent (`cluster.notifyType`). */
export const TYPE_NOTIFICATIONS = {
  startingPhase1: clusctl.RESOURCE_TYPE_STARTING_PHASE1,
  startingPhase2: clusctl.RESOURCE_TYPE_STARTING_PHASE2,
  monitorShuttingDown: clusctl.RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN,
  installNode: clusctl.RESOURCE_TYPE_INSTALL_NODE,
  evictNode: clusctl.RESOURCE_TYPE_EVICT_NODE,
} as const;
export type TypeNotification = keyof typeof TYPE_NOTIFICATIONS;

interface TypeEntry {
  def: ResourceTypeDefinition;
  /** In-process hosts only: this process's end of the channel and the runtime behind it. */
  inProcess?: { endpoint: NativeHostEndpoint; runtime: HostRuntime };
}

/** host 'process': the one type the cluster serves, registered at start. */
interface ProcessHost {
  def: ResourceTypeDefinition;
  logFile: string;
  /** The log file is ours (not named by the caller): stop() removes it. */
  ownLogFile: boolean;
}

const READY_LINE = /^host for resource type (.+) is ready$/;

export class MockCluster implements AsyncDisposable {
  private readonly timeline: BoundedTimeline;
  private readonly violationList: Violation[] = [];
  /** Types whose host the shim reported ready (its log line may since have left the timeline). */
  private readonly readyTypes = new Set<string>();
  private readonly types = new Map<string, TypeEntry>();
  private readonly resources: MockResource[] = [];
  private stopping: Promise<void> | undefined;
  private processHost: ProcessHost | undefined;

  private constructor(
    private readonly monitor: NativeMonitor,
    private readonly options: MockClusterOptions,
    private readonly resapiVersion: number,
  ) {
    this.timeline = new BoundedTimeline(options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT);
  }

  static async start(options: MockClusterOptions = {}): Promise<MockCluster> {
    // Checked before the monitor starts, so a bad limit leaves nothing running.
    new BoundedTimeline(options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT);
    let processDef: ResourceTypeDefinition | undefined;
    if (options.host === 'process') {
      if (!options.module) throw new Error("MockCluster: host 'process' needs `module`, the compiled resource module the host process loads");
      if (options.deadlines) throw new Error("MockCluster: host 'process' takes its deadlines from the definition's `timeouts`, not from `deadlines`");
      processDef = await loadResourceType(options.module, { loaderArgs: options.hostProcess?.args ?? [] });
    } else if (options.host !== undefined && options.host !== 'inprocess') {
      throw new Error(`MockCluster: host must be 'inprocess' or 'process', got ${String(options.host)}`);
    }
    const resapiVersion = options.resapi === 'v1' ? 0x100 : 0x200;
    const monitorOptions: MonitorOptions = {
      resapiVersion,
      polling: options.polling !== undefined,
      looksAliveMs: options.polling?.looksAliveMs ?? 5000,
      isAliveMs: options.polling?.isAliveMs ?? 60000,
      pendingTimeoutMs: options.pendingTimeoutMs ?? 180000,
      restart: options.restart !== undefined,
      restartThreshold: options.restart?.threshold ?? 3,
      restartPeriodMs: options.restart?.periodMs ?? 900000,
      restartDelayMs: options.restart?.delayMs ?? 500,
      callLimitMs: options.callLimitMs ?? 300,
      serializeCalls: options.serializeCalls ?? true,
      threads: options.threads ?? 4,
    };
    let cluster: MockCluster | undefined;
    const pending: TimelineEvent[] = [];
    const monitor = new (native().Monitor)(monitorOptions, (e) => {
      if (cluster) cluster.record(e);
      else pending.push(e);
    });
    cluster = new MockCluster(monitor, options, resapiVersion);
    for (const e of pending) cluster.record(e);
    if (processDef) {
      try {
        await cluster.startProcessType(processDef, resolve(options.module!), options.hostProcess ?? {});
      } catch (err) {
        await cluster.stop();
        throw err;
      }
    }
    return cluster;
  }

  /** Registers the module's type with a type configuration, as `<library>.json` would hold it,
   * and calls Startup, which launches the host process. */
  private async startProcessType(def: ResourceTypeDefinition, modulePath: string, hp: HostProcessOptions): Promise<void> {
    const logFile = hp.logFile ?? join(tmpdir(), `wsfc-resource-host-${process.pid}-${randomBytes(4).toString('hex')}.log`);
    const host: Record<string, unknown> = {
      node: hp.node ?? process.execPath,
      main: hostMainPath(),
      module: modulePath,
      logFile: resolve(logFile),
    };
    const port = inspectPort(hp.inspect);
    if (port !== undefined) host.inspect = port;
    for (const key of ['args', 'env', 'logMaxBytes', 'heartbeatIntervalMs', 'heartbeatTimeoutMs', 'startTimeoutMs', 'restartBackoffMinMs', 'restartBackoffMaxMs', 'exitGraceMs'] as const) {
      if (hp[key] !== undefined) host[key] = hp[key];
    }
    // propertyStore 'mock': the monitor hands Open mock property keys, on Windows too (where the
    // default is the cluster database, which mock mode never touches).
    native().registerProcessType(JSON.stringify({ version: 1, manifest: manifestOf(def), host, propertyStore: 'mock' }));
    this.processHost = { def, logFile: resolve(logFile), ownLogFile: hp.logFile === undefined };
    this.types.set(def.name, { def });
    const r = await this.monitor.startType(def.name);
    if (r.status !== ERROR_SUCCESS) {
      throw new ResourceError(r.status, `Startup of resource type '${def.name}' failed: ${win32ErrorName(r.status)}`);
    }
  }

  /** host 'process': the pid of the host process now running, 0 while none is. */
  get hostPid(): number {
    return this.processHost ? native().hostPid(this.processHost.def.name) : 0;
  }

  /** host 'process': where the host's stdout and stderr go. */
  get hostLogFile(): string | undefined {
    return this.processHost?.logFile;
  }

  private record(e: TimelineEvent): void {
    this.timeline.push(e);
    if (e.kind === 'violation') this.violationList.push({ at: e.at, resource: e.resource, kind: e.name, message: e.message ?? '' });
    const ready = e.kind === 'log' ? READY_LINE.exec(e.message ?? '') : null;
    if (ready) this.readyTypes.add(ready[1]!);
    try {
      this.options.onEvent?.(e);
    } catch {
      // a listener's bug must not break the timeline
    }
  }

  /** The most recent events (up to `timelineLimit`), all resources, oldest first. */
  get events(): readonly TimelineEvent[] {
    return this.timeline.toArray();
  }

  /** How many older events `events` no longer holds (see `timelineLimit`). */
  get droppedEvents(): number {
    return this.timeline.dropped;
  }

  /** Every contract breach the monitor recorded (never dropped). */
  get violations(): Violation[] {
    return this.violationList.slice();
  }

  get resapi(): 'v1' | 'v2' {
    return this.resapiVersion === 0x100 ? 'v1' : 'v2';
  }

  private async ensureType(def: ResourceTypeDefinition): Promise<TypeEntry> {
    const known = this.types.get(def.name);
    if (known) {
      // A host process serves the module's definition; an equal import of it is the same type.
      if (known.def !== def && !this.processHost) throw new Error(`MockCluster: another definition of resource type '${def.name}' is already in this cluster`);
      return known;
    }
    if (this.processHost) {
      throw new Error(`MockCluster: this cluster's host process serves '${this.processHost.def.name}' only, not '${def.name}'`);
    }
    const binding = native();
    let runtime: HostRuntime | undefined;
    const endpoint = openHostEndpoint((frame) => runtime?.handle(frame), binding);
    runtime = new HostRuntime(def, endpoint);
    binding.registerInProcessType(def.name, endpoint, this.options.deadlines, JSON.stringify(manifestOf(def)));
    const entry: TypeEntry = { def, inProcess: { endpoint, runtime } };
    this.types.set(def.name, entry);
    const r = await this.monitor.startType(def.name);
    if (r.status !== ERROR_SUCCESS) {
      throw new ResourceError(r.status, `Startup of resource type '${def.name}' failed: ${win32ErrorName(r.status)}`);
    }
    // Startup launches the host asynchronously (as on Windows); wait until the shim has the host
    // ready (its handshake done), so a test that kills it right away kills a running one and a
    // first SET finds its validate hook.
    await runtime.whenConnected(10000);
    await this.hostReady(def.name, 10000);
    return entry;
  }

  private async hostReady(typeName: string, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.readyTypes.has(typeName)) {
      if (Date.now() > until) throw new Error(`MockCluster: the shim did not report the host of '${typeName}' ready within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  /**
   * Creates (Open) a resource of the type; its initial properties go to the mock cluster database.
   * By definition, the properties are typed from its schema; by type name (a type this cluster
   * already knows, or a host process's), name the definition's type to get the same:
   * `createResource<typeof MyType>('MyType', 'r1', { properties: { Port: 80 } })`.
   */
  createResource<S extends PropertySchema>(type: ResourceTypeDefinition<S>, name: string, options?: CreateResourceOptions<S>): Promise<MockResource<S>>;
  createResource<D extends ResourceTypeDefinition<PropertySchema> = ResourceTypeDefinition>(
    type: string,
    name: string,
    options?: CreateResourceOptions<SchemaOf<D>>,
  ): Promise<MockResource<SchemaOf<D>>>;
  createResource<S extends PropertySchema>(type: ResourceTypeDefinition<S> | string, name: string, options?: CreateResourceOptions<S>): Promise<MockResource<S>>;
  async createResource<S extends PropertySchema>(
    type: ResourceTypeDefinition<S> | string,
    name: string,
    options: CreateResourceOptions<S> = {},
  ): Promise<MockResource<S>> {
    if (this.stopping) throw new Error('MockCluster: stopped');
    let def = typeof type === 'string' ? this.types.get(type)?.def : (type as unknown as ResourceTypeDefinition);
    if (!def) throw new Error(`MockCluster: resource type '${String(type)}' is not known here; pass its definition the first time`);
    if (this.processHost && def !== this.processHost.def && def.name === this.processHost.def.name) {
      // The host process runs the compiled module, not this definition: tests must not pass on stale code.
      const diff = compiledManifestDifference(this.processHost.def, def);
      if (diff) throw new Error(`MockCluster: the host process runs ${this.options.module}, which is not the definition passed (${diff}); rebuild the module (tsc) after changing its source`);
      def = this.processHost.def;
    }
    if (this.resources.some((r) => r.name === name)) throw new Error(`MockCluster: a resource named '${name}' already exists`);
    let list: Buffer;
    if (options.properties) {
      const values = toPropertyList(def.properties, options.properties as PropertyInput<PropertySchema>);
      await this.validateInitial(def, name, values);
      list = encodePropertyList(values);
    } else {
      list = this.persisted()[name] ?? Buffer.alloc(0);
    }
    await this.ensureType(def);
    const r = await this.monitor.open(def.name, name, list, options.openFlags ?? 0);
    if (r.status !== ERROR_SUCCESS) throw new ResourceError(r.status, `Open of '${name}' failed: ${win32ErrorName(r.status)}`);
    const res = new MockResource<S>(this.monitor, r.resource, name, def.name, () => this.timeline.toArray(), def.properties as S);
    this.resources.push(res as unknown as MockResource);
    return res;
  }

  /**
   * Initial properties get what a SET would: the schema check (toPropertyList) and the type's
   * validate hook, whose rejection throws here as the cluster would refuse the values.
   */
  private async validateInitial(def: ResourceTypeDefinition, name: string, values: PropertyValue[]): Promise<void> {
    if (!def.validate) return;
    try {
      await def.validate(resolveProperties(def.properties, values).values as PropertyValues<PropertySchema>);
    } catch (err) {
      const code = asResourceError(err)?.code ?? ERROR_INVALID_PARAMETER;
      throw new ResourceError(code, `MockCluster: validate rejected the initial properties of '${name}': ${describeError(err)}`);
    }
  }

  /** A resource-type control code through ResourceTypeControl. */
  async controlType(type: string | ResourceTypeDefinition, code: number, input: Buffer = Buffer.alloc(0), outputSize = 64 * 1024): Promise<Buffer> {
    const name = typeof type === 'string' ? type : type.name;
    if (!this.types.has(name)) throw new Error(`MockCluster: resource type '${name}' is not known here`);
    let r = await this.monitor.typeControl(name, code >>> 0, input, outputSize);
    if (r.status === ERROR_MORE_DATA && r.resource > outputSize) r = await this.monitor.typeControl(name, code >>> 0, input, r.resource);
    if (r.status !== ERROR_SUCCESS) throw new ResourceError(r.status, `type control 0x${(code >>> 0).toString(16)} failed with ${r.status}`);
    return r.output;
  }

  /**
   * Sends a resource-type notification (TYPE_NOTIFICATIONS) through ResourceTypeControl. input:
   * a Buffer as is, a string as UTF-16 with its NUL, a number as a DWORD (monitorShuttingDown's
   * RESTYPE_MONITOR_SHUTTING_DOWN_* flags). Resolves with the Win32 code (ERROR_INVALID_FUNCTION:
   * no hook, default processing).
   */
  async notifyType(type: string | ResourceTypeDefinition, kind: TypeNotification, input: string | number | Buffer = Buffer.alloc(0)): Promise<number> {
    const name = typeof type === 'string' ? type : type.name;
    if (!this.types.has(name)) throw new Error(`MockCluster: resource type '${name}' is not known here`);
    const code = TYPE_NOTIFICATIONS[kind];
    if (code === undefined) throw new TypeError(`unknown notification ${JSON.stringify(kind)}; expected one of ${Object.keys(TYPE_NOTIFICATIONS).join(', ')}`);
    let buf: Buffer;
    if (typeof input === 'number') {
      buf = Buffer.alloc(4);
      buf.writeUInt32LE(input >>> 0, 0);
    } else {
      buf = typeof input === 'string' ? wideStringInput(input) : input;
    }
    return (await this.monitor.typeControl(name, code, buf, 0)).status;
  }

  /**
   * Makes the host go away as if it crashed: the shim fails pending operations and online
   * resources, health checks answer FALSE, and the next Online starts the host again. A host
   * process gets SIGKILL (returns its pid, 0 if none was running) and the shim then kills its
   * process group; in-process, the host's channel is dropped, each open instance's terminate
   * handler runs (as the lost host's job would have ended what it started) and its state is
   * forgotten, so a later Online meets fresh instances only (returns 0).
   */
  killHost(type?: string | ResourceTypeDefinition): number {
    if (this.processHost) {
      const pid = this.hostPid;
      if (pid > 0) process.kill(pid, 'SIGKILL');
      return pid;
    }
    const names = type === undefined ? [...this.types.keys()] : [typeof type === 'string' ? type : type.name];
    for (const name of names) {
      const t = this.types.get(name);
      if (!t?.inProcess) throw new Error(`MockCluster: resource type '${name}' is not known here`);
      t.inProcess.endpoint.disconnect();
      t.inProcess.runtime.handle({ type: 'closed', reason: 'killed by the test' });
    }
    return 0;
  }

  private persisted(): Record<string, Buffer> {
    const file = this.options.propertiesFile;
    if (!file || !existsSync(file)) return {};
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; resources?: Record<string, string> };
    if (parsed.version !== 1 || typeof parsed.resources !== 'object') throw new Error(`${file}: not a mock cluster property store (version 1)`);
    return Object.fromEntries(Object.entries(parsed.resources).map(([k, hex]) => [k, Buffer.from(hex, 'hex')]));
  }

  /**
   * Writes every resource's stored private properties (the exact property-list bytes, as hex) to
   * `file` (default: the propertiesFile option). Written to a temporary file and renamed, so a
   * crash never leaves half a store.
   */
  saveProperties(file = this.options.propertiesFile): void {
    if (!file) throw new Error('MockCluster.saveProperties: no file given and no propertiesFile option');
    const resources: Record<string, string> = { ...Object.fromEntries(Object.entries(this.persisted()).map(([k, b]) => [k, b.toString('hex')])) };
    for (const r of this.resources) resources[r.name] = this.monitor.storedProperties(r.id).toString('hex');
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, resources }, null, 2)}\n`);
    renameSync(tmp, file);
  }

  /** `await using cluster = await MockCluster.start()`: stop() when the scope ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Closes every resource, stops the monitor, and unloads the shim's types (joins all threads). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.options.propertiesFile) this.saveProperties();
      // RHS closes resources from several threads; so does the monitor here.
      await Promise.all(this.resources.filter((r) => r.state !== 'Closed').map((r) => r.close()));
      await this.monitor.stop();
      const binding = native();
      for (const [name, t] of this.types) {
        binding.releaseType(name);  // a host process is killed and reaped here
        t.inProcess?.endpoint.close();
      }
      this.types.clear();
      if (this.processHost?.ownLogFile) for (const f of [this.processHost.logFile, `${this.processHost.logFile}.1`]) rmSync(f, { force: true });
    })();
    return this.stopping;
  }
}
