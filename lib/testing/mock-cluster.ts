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
import type { MonitorOptions, NativeMonitor, ShimDeadlines } from '../native.js';
import { compiledManifestDifference, manifestOf } from '../manifest.js';
import { encodePropertyList, type PropertyValue } from '../proplist.js';
import { resolveProperties, toPropertyList, type PropertyInput, type PropertySchema, type PropertyValues } from '../props.js';
import { ERROR_INVALID_PARAMETER, ERROR_MORE_DATA, ERROR_SUCCESS, win32ErrorName } from '../win32.js';
import { clusctl } from '../clusctl.js';
import { MockResource, wideStringInput, type ResourcePlacement } from './mock-resource.js';
import { BoundedTimeline, DEFAULT_TIMELINE_LIMIT, type ResourceState, type TimelineEvent, type Violation } from './timeline.js';
import { ClusterNode } from './cluster-node.js';
import { DEFAULT_FAILOVER_PERIOD_MS, DEFAULT_GROUP, MockGroup, type GroupOptions, type GroupState } from './cluster-group.js';

export interface MockClusterOptions {
  /** The cluster's nodes, each its own RHS: its own copy of the shim, monitor and hosts (one host
   * process per node with host 'process'). The property store is the cluster's. Default: one
   * node, 'Node1'. Naming them also puts each event's node on the timeline (`e.node`). */
  nodes?: string[];
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
  /** Restart failed resources like RHS (off: a failed resource stays failed). With `nodes`, the
   * cluster applies it (in dependency order, then failover: see createGroup). */
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
  /** Its group (createGroup); default 'Cluster Group', whose owners are every node. */
  group?: string;
  /** Resources of its group it depends on: they come online before it and go offline after it,
   * and a failure of one of them takes it down first. */
  dependsOn?: string[];
  /** RestartAction: 'restartNotify' (default: restart by the `restart` policy, and once that is
   * exhausted fail the group over) or 'restartNoNotify' (restart, never fail the group over). */
  restartAction?: 'restartNotify' | 'restartNoNotify';
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

/** host 'process': the one type the cluster serves, registered at start. */
interface ProcessHost {
  def: ResourceTypeDefinition;
  modulePath: string;
  options: HostProcessOptions;
  /** The first node's log file; another node's is it with '.<node>' appended. */
  logFile: string;
  /** The log files are ours (not named by the caller): stop() removes them. */
  ownLogFile: boolean;
}

/** What the cluster knows about a resource besides its MockResource. */
interface ResourceRecord {
  def: ResourceTypeDefinition;
  openFlags: number;
  restartAction: 'restartNotify' | 'restartNoNotify';
  /** The cluster database's copy of its private properties while it is open on no node. */
  stored: Buffer;
  /** Its dependents it terminated after it failed, brought back once a restart has it online. */
  takenDown: MockResource[];
  /** An Online of a restart by the monitor is under way. */
  restarting: boolean;
  /** Cluster restarts (named nodes): when this instance was restarted on its current node. */
  restarts: number[];
}

const ONLINE_OR_PENDING: ReadonlySet<string> = new Set(['Online', 'OnlinePending', 'OfflinePending']);

export class MockCluster implements AsyncDisposable {
  private readonly timeline: BoundedTimeline;
  private readonly violationList: Violation[] = [];
  /** The definitions of the cluster's types (each node starts them as it needs them). */
  private readonly types = new Map<string, ResourceTypeDefinition>();
  private readonly resources: MockResource[] = [];
  private readonly records = new Map<MockResource, ResourceRecord>();
  private readonly groupMap = new Map<string, MockGroup>();
  private readonly nodeMap = new Map<string, ClusterNode>();
  /** Per resource name (as opened), per node: its last reported state there (cluster checks). */
  private readonly statesByNode = new Map<string, Map<string, string>>();
  /** Each group's operations run one after another (the cluster's per-group queue). */
  private readonly groupTails = new Map<string, Promise<unknown>>();
  private readonly t0 = performance.now();
  /** Resources the cluster is terminating now (a dependent on its way down is no breach). */
  private readonly terminating = new Set<MockResource>();
  private stopping: Promise<void> | undefined;
  private processHost: ProcessHost | undefined;

  private constructor(
    private readonly options: MockClusterOptions,
    private readonly resapiVersion: number,
    /** The node names, in order. */
    readonly nodes: readonly string[],
  ) {
    this.timeline = new BoundedTimeline(options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT);
  }

  static async start(options: MockClusterOptions = {}): Promise<MockCluster> {
    // Checked before the monitor starts, so a bad limit leaves nothing running.
    new BoundedTimeline(options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT);
    const nodes = options.nodes ?? ['Node1'];
    if (!Array.isArray(nodes) || nodes.length === 0 || nodes.some((n) => typeof n !== 'string' || n === '') || new Set(nodes.map((n) => n.toLowerCase())).size !== nodes.length) {
      throw new Error(`MockCluster: nodes must be distinct non-empty names (node names are case-insensitive), got ${JSON.stringify(nodes)}`);
    }
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
      // With named nodes the cluster restarts failed resources itself (clusterRestart), in
      // dependency order and one group operation at a time, as the cluster's RCM decides them.
      restart: options.restart !== undefined && options.nodes === undefined,
      restartThreshold: options.restart?.threshold ?? 3,
      restartPeriodMs: options.restart?.periodMs ?? 900000,
      restartDelayMs: options.restart?.delayMs ?? 500,
      callLimitMs: options.callLimitMs ?? 300,
      serializeCalls: options.serializeCalls ?? true,
      threads: options.threads ?? 4,
    };
    const cluster = new MockCluster(options, resapiVersion, nodes);
    if (processDef) {
      const hp = options.hostProcess ?? {};
      const logFile = hp.logFile ?? join(tmpdir(), `wsfc-resource-host-${process.pid}-${randomBytes(4).toString('hex')}.log`);
      cluster.processHost = { def: processDef, modulePath: resolve(options.module!), options: hp, logFile: resolve(logFile), ownLogFile: hp.logFile === undefined };
      cluster.types.set(processDef.name, processDef);
    }
    try {
      for (const name of nodes) {
        const node = await ClusterNode.start({
          name,
          monitor: monitorOptions,
          ...(options.deadlines ? { deadlines: options.deadlines } : {}),
          ...(processDef ? { processType: { def: processDef, configJson: cluster.processTypeConfig(name) } } : {}),
          onEvent: cluster.eventRecorder(name),
          ...(options.nodes ? { clockOrigin: cluster.t0 } : {}),
        });
        cluster.nodeMap.set(name, node);
      }
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Tags a node's events with its name (when the nodes were named) and the cluster's clock. */
  private eventRecorder(node: string): (e: TimelineEvent, live: boolean) => void {
    if (!this.options.nodes) return (e, live) => this.record(e, node, live);
    return (e, live) => this.record({ ...e, node }, node, live);
  }

  private logFileOf(node: string): string {
    const ph = this.processHost!;
    return node === this.nodes[0] ? ph.logFile : `${ph.logFile}.${node}`;
  }

  /** The type configuration `<library>.json` would hold, for one node's copy of the DLL. */
  private processTypeConfig(node: string): string {
    const { def, modulePath, options: hp } = this.processHost!;
    const host: Record<string, unknown> = {
      node: hp.node ?? process.execPath,
      main: hostMainPath(),
      module: modulePath,
      logFile: this.logFileOf(node),
    };
    const port = inspectPort(hp.inspect);
    if (port !== undefined) host.inspect = port + this.nodes.indexOf(node);
    for (const key of ['args', 'env', 'logMaxBytes', 'heartbeatIntervalMs', 'heartbeatTimeoutMs', 'startTimeoutMs', 'restartBackoffMinMs', 'restartBackoffMaxMs', 'exitGraceMs'] as const) {
      if (hp[key] !== undefined) host[key] = hp[key];
    }
    // res.node in the host process: this node's name.
    host.env = { ...(hp.env ?? {}), MOCKCLUSTER_NODE_NAME: node };
    // propertyStore 'mock': the monitor hands Open mock property keys, on Windows too (where the
    // default is the cluster database, which mock mode never touches).
    return JSON.stringify({ version: 1, manifest: manifestOf(def), host, propertyStore: 'mock' });
  }

  /** host 'process': the pid of the first node's host process now running, 0 while none is. */
  get hostPid(): number {
    return this.hostPidOn(this.nodes[0]!);
  }

  /** host 'process': the pid of that node's host process, 0 while none runs (or the node is down). */
  hostPidOn(node: string): number {
    return this.processHost ? this.node(node).hostPid(this.processHost.def.name) : 0;
  }

  /** host 'process': where the first node's host writes its stdout and stderr (another node's:
   * this with `.<node>` appended). */
  get hostLogFile(): string | undefined {
    return this.processHost?.logFile;
  }

  private node(name: string): ClusterNode {
    const n = this.nodeMap.get(name);
    if (!n) throw new Error(`MockCluster: no node named '${name}' (nodes: ${this.nodes.join(', ')})`);
    return n;
  }

  /** Whether the node is up (not failed by failNode, or restored since). */
  isNodeUp(name: string): boolean {
    return this.node(name).up;
  }

  private record(e: TimelineEvent, node: string, live = true): void {
    this.timeline.push(e);
    if (e.kind === 'violation') {
      this.violationList.push({ at: e.at, resource: e.resource, kind: e.name, message: e.message ?? '', ...(e.node !== undefined ? { node: e.node } : {}) });
    }
    try {
      this.options.onEvent?.(e);
    } catch {
      // a listener's bug must not break the timeline
    }
    if (live && e.resource && (e.kind === 'state' || e.kind === 'note')) {
      try {
        this.observe(e, node);
      } catch (err) {
        // A bookkeeping bug must not become an exception on the monitor's delivery path.
        this.clusterEvent('note', e.resource, 'cluster-error', describeError(err), node);
      }
    }
  }

  /** A cluster-level event: what the mock's own bookkeeping did or found (kind 'note' or 'violation'). */
  private clusterEvent(kind: 'note' | 'violation', resource: string, name: string, message: string, node?: string): void {
    const e: TimelineEvent = { at: performance.now() - this.t0, resource, kind, name, result: 0, message, ...(node !== undefined ? { node } : {}) };
    this.record(e, node ?? '');
  }

  /** The most recent events (up to `timelineLimit`), all resources, oldest first. */
  get events(): readonly TimelineEvent[] {
    return this.timeline.toArray();
  }

  /** How many older events `events` no longer holds (see `timelineLimit`). */
  get droppedEvents(): number {
    return this.timeline.dropped;
  }

  /** Every contract breach the monitors recorded and every cluster-level one (never dropped). */
  get violations(): Violation[] {
    return this.violationList.slice();
  }

  get resapi(): 'v1' | 'v2' {
    return this.resapiVersion === 0x100 ? 'v1' : 'v2';
  }

  // ---- groups ----

  /**
   * A group: what moves and fails over as one. Its owner is the first preferred owner that is
   * up; its resources are opened there.
   */
  createGroup(name: string, options: GroupOptions = {}): MockGroup {
    if (this.stopping) throw new Error('MockCluster: stopped');
    if (typeof name !== 'string' || name === '') throw new TypeError('createGroup(name): name must be a non-empty string');
    if (this.groupMap.has(name)) throw new Error(`MockCluster: a group named '${name}' already exists`);
    for (const key of ['preferredOwners', 'possibleOwners'] as const) {
      for (const n of options[key] ?? []) this.node(n);
    }
    const possible = options.possibleOwners ?? [...this.nodes];
    const preferred = [...(options.preferredOwners ?? []), ...this.nodes.filter((n) => !(options.preferredOwners ?? []).includes(n))].filter((n) => possible.includes(n));
    if (possible.length === 0) throw new Error(`MockCluster: group '${name}' has no possible owner`);
    const threshold = options.failoverThreshold ?? Math.max(1, this.nodes.length - 1);
    const period = options.failoverPeriodMs ?? DEFAULT_FAILOVER_PERIOD_MS;
    if (!Number.isInteger(threshold) || threshold < 0) throw new RangeError(`failoverThreshold must be a non-negative integer, got ${threshold}`);
    if (!(period > 0)) throw new RangeError(`failoverPeriodMs must be positive, got ${period}`);
    const g = new MockGroup(name, preferred, possible, threshold, period, preferred.find((n) => this.node(n).up));
    this.groupMap.set(name, g);
    return g;
  }

  /** The group of that name (the default 'Cluster Group' once a resource was created without one). */
  group(name: string): MockGroup {
    const g = this.groupMap.get(name);
    if (!g) throw new Error(`MockCluster: no group named '${name}'`);
    return g;
  }

  get groups(): readonly MockGroup[] {
    return [...this.groupMap.values()];
  }

  /** Runs fn after the group's earlier operations, as the cluster handles one group at a time. */
  private inGroup<T>(g: MockGroup, fn: () => Promise<T>): Promise<T> {
    const run = (this.groupTails.get(g.name) ?? Promise.resolve()).then(fn);
    this.groupTails.set(g.name, run.catch(() => undefined));
    return run;
  }

  /** Onlines the group on its owner: each resource once its dependencies are online. Resolves
   * with the group's state (a resource that failed leaves its dependents offline). */
  onlineGroup(name: string): Promise<GroupState> {
    const g = this.group(name);
    return this.inGroup(g, async () => {
      g.wantOnline = true;
      g.failedForGood = false;
      g.failovers.length = 0;
      if (g.ownerNode === undefined || !this.node(g.ownerNode).up) {
        const to = g.preferredOwners.find((n) => this.node(n).up);
        if (!to) throw new Error(`MockCluster: no possible owner of group '${name}' is up`);
        await this.placeGroup(g, to);
      }
      await this.bringOnline(g);
      return g.state;
    });
  }

  /** Takes the group offline on its owner: dependents before what they depend on. */
  offlineGroup(name: string): Promise<GroupState> {
    const g = this.group(name);
    return this.inGroup(g, async () => {
      g.wantOnline = false;
      await this.takeOffline(g, {});
      return g.state;
    });
  }

  /**
   * Moves the group to `node`: offline on its owner (dependents first) with reason 'move' and
   * OfflineV2's destination node, Close there, Open on `node`, and online again there if it was.
   */
  moveGroup(name: string, node: string): Promise<GroupState> {
    const g = this.group(name);
    const target = this.node(node);
    if (!g.possibleOwners.includes(node)) return Promise.reject(new Error(`MockCluster: '${node}' is not a possible owner of group '${name}'`));
    return this.inGroup(g, async () => {
      if (!target.up) throw new Error(`MockCluster: node '${node}' is down`);
      if (g.ownerNode === node) return g.state;
      const wasOnline = g.wantOnline || g.members.some((r) => ONLINE_OR_PENDING.has(r.state));
      this.clusterEvent('note', name, 'group-move', `from ${g.ownerNode ?? '(no node)'} to ${node}`, g.ownerNode);
      await this.takeOffline(g, { reason: 'move', destinationNode: node });
      await this.placeGroup(g, node);
      if (wasOnline) await this.bringOnline(g);
      return g.state;
    });
  }

  /**
   * A node crash: its RHS dies (no Offline, Terminate or Close reaches its copy of the DLL), its
   * hosts lose their channel (a host process exits), and each group it owned is opened on the
   * next preferred owner that is up, and brought online there if it was to be online.
   */
  async failNode(name: string): Promise<void> {
    const node = this.node(name);
    if (!node.up) throw new Error(`MockCluster: node '${name}' is down already`);
    const lost = this.resources.filter((r) => r.node === name);
    // The cluster database outlives the node: what each resource had stored there.
    for (const r of lost) this.records.get(r)!.stored = this.storedOf(r);
    for (const r of lost) r.rebind(undefined);
    this.clusterEvent('note', '', 'node-down', `node ${name} failed`, name);
    await node.crash();
    for (const states of this.statesByNode.values()) states.delete(name);
    const orphaned = this.groups.filter((g) => g.ownerNode === name);
    await Promise.all(orphaned.map((g) => this.inGroup(g, async () => {
      if (g.ownerNode !== name) return;
      const to = this.nextOwner(g, name);
      g.setOwner(undefined);
      if (!to) {
        this.clusterEvent('note', g.name, 'group-stranded', `no possible owner of ${g.name} is up`);
        return;
      }
      this.clusterEvent('note', g.name, 'group-failover', `node ${name} failed; to ${to}`, to);
      await this.placeGroup(g, to);
      if (g.wantOnline && !g.failedForGood) await this.bringOnline(g);
    })));
  }

  /** The node comes back with a fresh RHS. Groups that had no node to go to come online on it
   * (nothing fails back: a group stays where it is). */
  async restoreNode(name: string): Promise<void> {
    const node = this.node(name);
    if (node.up) throw new Error(`MockCluster: node '${name}' is up`);
    for (const states of this.statesByNode.values()) states.delete(name);
    await node.restore();
    if (!node.up) throw new Error(`MockCluster: node '${name}' is being restored already`);
    this.clusterEvent('note', '', 'node-up', `node ${name} restored`, name);
    const stranded = this.groups.filter((g) => g.ownerNode === undefined && g.possibleOwners.includes(name));
    await Promise.all(stranded.map((g) => this.inGroup(g, async () => {
      if (g.ownerNode !== undefined || !node.up) return;
      await this.placeGroup(g, name);
      if (g.wantOnline && !g.failedForGood) await this.bringOnline(g);
    })));
  }

  /** The next preferred owner after `from` (wrapping around) that is up, other than `from`. */
  private nextOwner(g: MockGroup, from: string | undefined): string | undefined {
    const order = g.preferredOwners;
    const start = from === undefined ? -1 : order.indexOf(from);
    for (let i = 1; i <= order.length; i++) {
      const n = order[(start + i + order.length) % order.length]!;
      if (n !== from && this.node(n).up) return n;
    }
    return undefined;
  }

  /** Opens every resource of the group on `node` (closing it where it was open), and makes
   * `node` its owner. */
  private async placeGroup(g: MockGroup, node: string): Promise<void> {
    if (!g.possibleOwners.includes(node)) {
      this.clusterEvent('violation', g.name, 'not-a-possible-owner', `group ${g.name} placed on ${node}, which is not among its possible owners`, node);
    }
    for (const r of g.members) {
      if (r.node !== undefined && r.node !== node) await this.closeInstance(r);
    }
    g.setOwner(node);
    for (const r of g.members) {
      if (r.node === undefined) await this.openInstance(r, node);
    }
  }

  /** Close on its node (what RHS does with a resource whose group leaves the node). */
  private async closeInstance(r: MockResource): Promise<void> {
    const rec = this.records.get(r)!;
    const node = r.node;
    rec.stored = this.storedOf(r);
    if (node !== undefined && this.node(node).up && r.state !== 'Closed') await r.close();
    r.rebind(undefined);
  }

  private async openInstance(r: MockResource, nodeName: string): Promise<void> {
    const rec = this.records.get(r)!;
    const node = this.node(nodeName);
    if (!this.processHost) await node.ensureType(rec.def);
    const o = await node.monitor.open(rec.def.name, r.name, rec.stored, rec.openFlags);
    if (o.status !== ERROR_SUCCESS) throw new ResourceError(o.status, `Open of '${r.name}' on ${nodeName} failed: ${win32ErrorName(o.status)}`);
    r.rebind({ monitor: node.monitor, id: o.resource, node: nodeName });
    rec.restarts = [];  // a new node counts its restarts afresh
  }

  /** The cluster database's current copy of the resource's private properties. */
  private storedOf(r: MockResource): Buffer {
    const rec = this.records.get(r)!;
    const node = r.node;
    if (node === undefined) return rec.stored;
    try {
      return r.place.monitor.storedProperties(r.place.id);
    } catch {
      return rec.stored;
    }
  }

  /** Onlines the group's resources on its owner in dependency order; stops at one that does
   * not come online (its dependents stay offline), or when the owner goes down. */
  private async bringOnline(g: MockGroup): Promise<void> {
    const owner = g.ownerNode;
    if (owner === undefined || !g.possibleOwners.includes(owner)) {
      if (owner !== undefined) this.clusterEvent('violation', g.name, 'not-a-possible-owner', `group ${g.name} brought online on ${owner}`, owner);
      return;
    }
    // Whatever an earlier operation left open elsewhere or nowhere (its node died meanwhile).
    if (g.members.some((r) => r.node !== owner)) {
      try {
        await this.placeGroup(g, owner);
      } catch {
        return;
      }
    }
    for (const r of g.onlineOrder()) {
      if (r.node !== owner || !this.node(owner).up) return;
      const state = r.state;
      if (state === 'Online' || state === 'OnlinePending') continue;
      const deps = r.dependsOn.map((d) => g.members.find((m) => m.createdAs === d)!);
      const notOnline = deps.filter((d) => d.state !== 'Online');
      if (notOnline.length > 0) {
        // A dependency that did not come online: its dependents stay offline (not a breach).
        return;
      }
      const rec = this.records.get(r)!;
      rec.takenDown = [];
      let result: ResourceState;
      try {
        result = await r.online();
      } catch {
        return;  // its node went down meanwhile
      }
      if (result !== 'Online') return;
    }
  }

  /** Offlines the group's online resources on its owner, dependents first. */
  private async takeOffline(g: MockGroup, details: { reason?: 'move' | 'failover'; destinationNode?: string }): Promise<void> {
    for (const r of g.onlineOrder().reverse()) {
      if (r.node === undefined || !this.node(r.node).up) continue;
      // A failed one too: its Offline calls off the restart the monitor has pending for it.
      if (!ONLINE_OR_PENDING.has(r.state) && r.state !== 'Failed') continue;
      // A dependent the monitor restarted after this loop passed it goes down first.
      for (const d of g.dependentsOf(r.createdAs).reverse()) {
        if (d.node === r.node && (ONLINE_OR_PENDING.has(d.state) || d.state === 'Failed')) await this.terminateByCluster(d, details.reason ?? 'unknown');
      }
      try {
        await r.offline(details);
      } catch {
        // its node went down meanwhile
      }
    }
  }

  /**
   * What the cluster does about a node's report: a resource that failed takes down its online
   * dependents (Terminate), a restart that brought it back brings them back, and a resource
   * whose restarts ran out fails its group over (restartNotify). Also the check that no
   * resource is online or pending on two nodes at once.
   */
  private observe(e: TimelineEvent, node: string): void {
    const r = this.resources.find((x) => x.node === node && x.name === e.resource);
    let previous: string | undefined;
    if (e.kind === 'state') {
      let states = this.statesByNode.get(e.resource);
      if (!states) this.statesByNode.set(e.resource, (states = new Map()));
      previous = states.get(node);
      states.set(node, e.name);
      if (ONLINE_OR_PENDING.has(e.name)) {
        const elsewhere = [...states].filter(([n, s]) => n !== node && ONLINE_OR_PENDING.has(s) && this.nodeMap.get(n)?.up);
        if (elsewhere.length > 0) {
          this.clusterEvent('violation', e.resource, 'online-on-two-nodes', `${e.name} on ${node} while ${elsewhere.map(([n, s]) => `${s} on ${n}`).join(', ')}`, node);
        }
      }
    }
    if (!r) return;
    const rec = this.records.get(r)!;
    const g = this.groupMap.get(r.group)!;
    if (e.kind === 'state' && !(e.name === 'OnlinePending' && e.message === 'restart')) this.checkDependencies(r, g, e.name, previous, node);
    if (e.kind === 'state' && e.name === 'OnlinePending') {
      rec.restarting = e.message === 'restart';
      // The monitor restarts a failed resource by itself; the cluster restarts one only once what
      // it depends on is online: until then it stays down, and comes back with its dependency.
      const waitingFor = rec.restarting ? r.dependsOn.map((d) => g.members.find((m) => m.createdAs === d)!).find((d) => this.statesByNode.get(d.name)?.get(node) !== 'Online') : undefined;
      if (waitingFor) {
        rec.restarting = false;
        this.records.get(waitingFor)!.takenDown.push(r);
        void this.terminateByCluster(r, 'failover');
        return;
      }
    }
    if (e.kind === 'state' && e.name === 'Failed') {
      // Its dependents go down first, the furthest first (and a failed one's own restart is
      // called off: it waits for what it depends on).
      const down = g.onlineOrder().reverse().filter((d) => g.dependentsOf(r.createdAs).includes(d) && d.node === node && (ONLINE_OR_PENDING.has(d.state) || d.state === 'Failed'));
      rec.takenDown.push(...down);
      for (const d of down) this.terminating.add(d);
      void (async () => {
        for (const d of down) await this.terminateByCluster(d, 'failover');
      })();
      if (this.options.nodes !== undefined && this.options.restart !== undefined) this.clusterRestart(r, rec, g, node);
    }
    if (e.kind === 'state' && e.name === 'Online' && rec.restarting) {
      rec.restarting = false;
      const back = rec.takenDown.splice(0);
      if (back.length > 0 && g.wantOnline) void this.inGroup(g, () => this.bringOnline(g)).catch(() => undefined);
    }
  }

  /**
   * Named nodes: the restart policy (`restart`: RestartThreshold in RestartPeriod, RestartDelay)
   * applied by the cluster. The restart is a group operation: the resource and its dependents
   * come online again in dependency order. Past the threshold it stays failed, and with
   * restartNotify its group fails over.
   */
  private clusterRestart(r: MockResource, rec: ResourceRecord, g: MockGroup, node: string): void {
    const policy = this.options.restart!;
    const threshold = policy.threshold ?? 3;
    const periodMs = policy.periodMs ?? 900000;
    const delayMs = policy.delayMs ?? 500;
    const now = performance.now();
    while (rec.restarts.length > 0 && now - rec.restarts[0]! > periodMs) rec.restarts.shift();
    if (rec.restarts.length >= threshold) {
      this.clusterEvent('note', r.name, 'restart-exhausted', 'RestartThreshold reached; the resource stays failed', node);
      if (rec.restartAction === 'restartNotify' && this.nodes.length > 1) void this.inGroup(g, () => this.failover(g, r, node)).catch(() => undefined);
      return;
    }
    rec.restarts.push(now);
    this.clusterEvent('note', r.name, 'restart-scheduled', `restart ${rec.restarts.length} of ${threshold} in ${delayMs} ms`, node);
    const placement = r.node;
    setTimeout(() => {
      void this.inGroup(g, async () => {
        // Not if the group moved, went offline, or the resource recovered meanwhile.
        if (this.stopping || r.node !== placement || g.ownerNode !== node || !g.wantOnline || r.state !== 'Failed') return;
        rec.takenDown = [];
        await this.bringOnline(g);
      }).catch(() => undefined);
    }, delayMs);
  }

  /** The cluster's own Terminate of a resource (taking a dependent down); never throws. */
  private async terminateByCluster(r: MockResource, reason: 'failover' | 'move' | 'unknown'): Promise<void> {
    this.terminating.add(r);
    try {
      await r.terminate({ reason });
    } catch {
      // its node went down meanwhile
    } finally {
      this.terminating.delete(r);
    }
  }

  /**
   * From the node's reports: a resource may go online (pending or done) only while everything it
   * depends on is online on its node, and may go offline only once its dependents are not online
   * there (a failure is not a breach: the cluster answers it by taking the dependents down).
   */
  private checkDependencies(r: MockResource, g: MockGroup, state: string, previous: string | undefined, node: string): void {
    const stateOn = (x: MockResource) => this.statesByNode.get(x.name)?.get(node) ?? 'Offline';
    // Checked where an Online starts: a dependency that fails while its dependent's Online is
    // pending is a failure the cluster answers (it terminates the dependent), not a breach.
    if (state === 'OnlinePending') {
      const down = r.dependsOn.map((d) => g.members.find((m) => m.createdAs === d)!).filter((d) => stateOn(d) !== 'Online');
      if (down.length > 0) {
        this.clusterEvent('violation', r.name, 'dependency-not-online', `${r.name} ${state} on ${node} while ${down.map((d) => `${d.name} is ${stateOn(d)}`).join(', ')}`, node);
      }
    } else if ((state === 'OfflinePending' || state === 'Offline') && previous !== 'Failed') {
      // After Failed, the monitor's Terminate races the cluster's Terminate of the dependents.
      const up = g.members.filter((d) => d.dependsOn.includes(r.createdAs) && ONLINE_OR_PENDING.has(stateOn(d)) && stateOn(d) !== 'OfflinePending' && !this.terminating.has(d));
      if (up.length > 0) {
        this.clusterEvent('violation', r.name, 'dependent-online', `${r.name} ${state} on ${node} while ${up.map((d) => `${d.name} is ${stateOn(d)}`).join(', ')}`, node);
      }
    }
  }

  /** RestartNotify past RestartThreshold: the group fails over to the next preferred owner,
   * FailoverThreshold times in FailoverPeriod at most; after that it stays failed. */
  private async failover(g: MockGroup, failed: MockResource, from: string): Promise<void> {
    if (g.ownerNode !== from || failed.node !== from) return;
    const now = performance.now();
    while (g.failovers.length > 0 && now - g.failovers[0]! > g.failoverPeriodMs) g.failovers.shift();
    if (g.failovers.length >= g.failoverThreshold) {
      g.failedForGood = true;
      this.clusterEvent('note', g.name, 'group-failed', `FailoverThreshold ${g.failoverThreshold} reached within ${g.failoverPeriodMs} ms; the group stays failed on ${from}`, from);
      return;
    }
    const to = this.nextOwner(g, from);
    if (!to) {
      g.failedForGood = true;
      this.clusterEvent('note', g.name, 'group-failed', `${failed.name} failed and no other possible owner is up; the group stays failed on ${from}`, from);
      return;
    }
    g.failovers.push(now);
    this.clusterEvent('note', g.name, 'group-failover', `${failed.name} exhausted its restarts on ${from}; failover ${g.failovers.length} of ${g.failoverThreshold} to ${to}`, to);
    await this.takeOffline(g, { reason: 'failover', destinationNode: to });
    await this.placeGroup(g, to);
    if (g.wantOnline) await this.bringOnline(g);
  }

  // ---- resources ----

  /**
   * Creates (Open) a resource of the type in its group, on the group's owner node; its initial
   * properties go to the mock cluster database.
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
    let def = typeof type === 'string' ? this.types.get(type) : (type as unknown as ResourceTypeDefinition);
    if (!def) throw new Error(`MockCluster: resource type '${String(type)}' is not known here; pass its definition the first time`);
    if (this.processHost && def !== this.processHost.def) {
      if (def.name !== this.processHost.def.name) {
        throw new Error(`MockCluster: this cluster's host process serves '${this.processHost.def.name}' only, not '${def.name}'`);
      }
      // The host process runs the compiled module, not this definition: tests must not pass on stale code.
      const diff = compiledManifestDifference(this.processHost.def, def);
      if (diff) throw new Error(`MockCluster: the host process runs ${this.options.module}, which is not the definition passed (${diff}); rebuild the module (tsc) after changing its source`);
      def = this.processHost.def;
    }
    const known = this.types.get(def.name);
    if (known && known !== def) throw new Error(`MockCluster: another definition of resource type '${def.name}' is already in this cluster`);
    if (this.resources.some((r) => r.name === name)) throw new Error(`MockCluster: a resource named '${name}' already exists`);
    const groupName = options.group ?? DEFAULT_GROUP;
    if (options.group === undefined && !this.groupMap.has(DEFAULT_GROUP)) this.createGroup(DEFAULT_GROUP);
    const g = this.group(groupName);
    const dependsOn = options.dependsOn ?? [];
    for (const d of dependsOn) {
      if (!g.members.some((m) => m.createdAs === d)) throw new Error(`MockCluster: '${name}' can depend only on a resource of its group '${groupName}'; '${d}' is not one`);
    }
    const restartAction = options.restartAction ?? 'restartNotify';
    if (restartAction !== 'restartNotify' && restartAction !== 'restartNoNotify') throw new TypeError(`restartAction must be 'restartNotify' or 'restartNoNotify', got ${String(restartAction)}`);
    let list: Buffer;
    if (options.properties) {
      const values = toPropertyList(def.properties, options.properties as PropertyInput<PropertySchema>);
      await this.validateInitial(def, name, values);
      list = encodePropertyList(values);
    } else {
      list = this.persisted()[name] ?? Buffer.alloc(0);
    }
    const ownerName = g.ownerNode ?? g.preferredOwners.find((n) => this.node(n).up);
    if (ownerName === undefined) throw new Error(`MockCluster: no possible owner of group '${groupName}' is up`);
    if (g.ownerNode === undefined) g.setOwner(ownerName);
    const owner = this.node(ownerName);
    this.types.set(def.name, def);
    if (!this.processHost) await owner.ensureType(def);
    const r = await owner.monitor.open(def.name, name, list, options.openFlags ?? 0);
    if (r.status !== ERROR_SUCCESS) throw new ResourceError(r.status, `Open of '${name}' failed: ${win32ErrorName(r.status)}`);
    const placement: ResourcePlacement = { monitor: owner.monitor, id: r.resource, node: ownerName };
    const res = new MockResource<S>(placement, name, def.name, () => this.timeline.toArray(), def.properties as S, groupName, dependsOn);
    this.resources.push(res as unknown as MockResource);
    this.records.set(res as unknown as MockResource, { def, openFlags: options.openFlags ?? 0, restartAction, stored: list, takenDown: [], restarting: false, restarts: [] });
    g.members.push(res as unknown as MockResource);
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
    const monitor = await this.typeMonitor(name);
    let r = await monitor.typeControl(name, code >>> 0, input, outputSize);
    if (r.status === ERROR_MORE_DATA && r.resource > outputSize) r = await monitor.typeControl(name, code >>> 0, input, r.resource);
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
    return (await (await this.typeMonitor(name)).typeControl(name, code, buf, 0)).status;
  }

  /** The monitor of the first node that is up, with the type started there. */
  private async typeMonitor(typeName: string): Promise<NativeMonitor> {
    const node = this.nodes.map((n) => this.node(n)).find((n) => n.up);
    if (!node) throw new Error('MockCluster: every node is down');
    if (!this.processHost) await node.ensureType(this.types.get(typeName)!);
    return node.monitor;
  }

  /**
   * Makes the host go away as if it crashed: the shim fails pending operations and online
   * resources, health checks answer FALSE, and the next Online starts the host again. A host
   * process gets SIGKILL (returns its pid, 0 if none was running) and the shim then kills its
   * process group; in-process, the host's channel is dropped, each open instance's terminate
   * handler runs (as the lost host's job would have ended what it started) and its state is
   * forgotten, so a later Online meets fresh instances only (returns 0). On `node` (default: the
   * first node).
   */
  killHost(type?: string | ResourceTypeDefinition, node: string = this.nodes[0]!): number {
    const n = this.node(node);
    if (this.processHost) {
      const pid = n.hostPid(this.processHost.def.name);
      if (pid > 0) process.kill(pid, 'SIGKILL');
      return pid;
    }
    const names = type === undefined ? [...this.types.keys()] : [typeof type === 'string' ? type : type.name];
    for (const name of names) {
      if (!this.types.has(name)) throw new Error(`MockCluster: resource type '${name}' is not known here`);
      n.dropInProcessHost(name);
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
    for (const r of this.resources) resources[r.name] = this.storedOf(r).toString('hex');
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, resources }, null, 2)}\n`);
    renameSync(tmp, file);
  }

  /** `await using cluster = await MockCluster.start()`: stop() when the scope ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Closes every resource, stops every node's monitor, and unloads the shim's types (joins all threads). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.options.propertiesFile) this.saveProperties();
      // Whatever group operation is under way ends first (each is bounded by the monitor's calls).
      await Promise.all([...this.groupTails.values()]);
      // RHS closes resources from several threads; so does the monitor here.
      await Promise.all(this.resources.filter((r) => r.node !== undefined && this.node(r.node).up && r.state !== 'Closed').map((r) => r.close()));
      // A host process is killed and reaped here.
      await Promise.all([...this.nodeMap.values()].map((n) => n.crash()));
      // Each node's log file, and what it rotated to.
      if (this.processHost?.ownLogFile) {
        for (const n of this.nodes) for (const f of [this.logFileOf(n), `${this.logFileOf(n)}.1`]) rmSync(f, { force: true });
      }
    })();
    return this.stopping;
  }
}
