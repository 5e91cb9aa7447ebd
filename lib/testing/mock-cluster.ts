// MockCluster (DESIGN §4): a native mock monitor driving the real shim, whose host is either this
// process ('inprocess': spies and closures work) or a child host process the shim starts through
// its real launcher ('process': the topology of RHS, for crash and kill tests) — the same frames,
// threads and deadlines as on Windows, minus rhs.exe.
//
// This file is the facade: it checks what a test asks and hands it to its parts — the nodes
// (cluster-node.ts), the resource control of groups (group-control.ts), the cluster-level checks
// (cluster-checks.ts), the timeline (cluster-events.ts), the host processes' configuration
// (host-process-config.ts) and the property store on disk (property-store.ts).
import { rmSync } from 'node:fs';
import { loadResourceType } from '../load-module.js';
import type { ResourceTypeDefinition } from '../define.js';
import { asResourceError, describeError, ResourceError } from '../errors.js';
import type { MonitorOptions, NativeMonitor, ShimDeadlines } from '../native.js';
import { compiledManifestDifference } from '../manifest.js';
import { encodePropertyList, type PropertyValue } from '../proplist.js';
import { resolveProperties, toPropertyList, type PropertyInput, type PropertySchema, type PropertyValues } from '../props.js';
import { ERROR_INVALID_PARAMETER, ERROR_MORE_DATA, ERROR_SUCCESS, win32ErrorName } from '../win32.js';
import { clusctl } from '../clusctl.js';
import { MockResource, wideStringInput, type ResourcePlacement } from './mock-resource.js';
import { DEFAULT_TIMELINE_LIMIT, BoundedTimeline, type TimelineEvent, type Violation } from './timeline.js';
import { ClusterNode } from './cluster-node.js';
import { DEFAULT_GROUP, type MockGroup, type GroupOptions, type GroupState } from './cluster-group.js';
import { ClusterEventLog } from './cluster-events.js';
import { ClusterChecks } from './cluster-checks.js';
import { GroupControl } from './group-control.js';
import { ProcessHost, type HostProcessOptions } from './host-process-config.js';
import { readPropertyStore, writePropertyStore } from './property-store.js';

export type { HostProcessOptions } from './host-process-config.js';

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

export class MockCluster implements AsyncDisposable {
  private readonly log: ClusterEventLog;
  private readonly control: GroupControl;
  /** The definitions of the cluster's types (each node starts them as it needs them). */
  private readonly types = new Map<string, ResourceTypeDefinition>();
  private readonly nodeMap = new Map<string, ClusterNode>();
  private stopping: Promise<void> | undefined;
  private processHost: ProcessHost | undefined;

  private constructor(
    private readonly options: MockClusterOptions,
    private readonly resapiVersion: number,
    /** The node names, in order. */
    readonly nodes: readonly string[],
  ) {
    this.log = new ClusterEventLog(options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT, options.onEvent);
    const checks = new ClusterChecks(this.log.clusterEvent, (n) => this.nodeMap.get(n)?.up === true);
    this.control = new GroupControl({
      nodes,
      node: (name) => this.node(name),
      report: this.log.clusterEvent,
      checks,
      isStopping: () => this.stopping !== undefined,
      // With named nodes the cluster restarts failed resources itself; else the monitor does.
      restartPolicy: options.nodes !== undefined ? options.restart : undefined,
    });
    this.log.observer = (e, node) => this.control.observe(e, node);
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
      // With named nodes the cluster restarts failed resources itself (GroupControl), in
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
    const processHost = processDef ? new ProcessHost(processDef, options.module!, options.hostProcess ?? {}, nodes) : undefined;
    if (processHost) {
      cluster.processHost = processHost;
      cluster.types.set(processHost.def.name, processHost.def);
    }
    try {
      for (const name of nodes) {
        const node = await ClusterNode.start({
          name,
          monitor: monitorOptions,
          ...(options.deadlines ? { deadlines: options.deadlines } : {}),
          ...(processHost ? { processType: { def: processHost.def, configJson: processHost.typeConfig(name) } } : {}),
          onEvent: cluster.eventRecorder(name),
          ...(options.nodes ? { clockOrigin: cluster.log.t0 } : {}),
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
    if (!this.options.nodes) return (e, live) => this.log.record(e, node, live);
    return (e, live) => this.log.record({ ...e, node }, node, live);
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

  /** The most recent events (up to `timelineLimit`), all resources, oldest first. */
  get events(): readonly TimelineEvent[] {
    return this.log.events();
  }

  /** How many older events `events` no longer holds (see `timelineLimit`). */
  get droppedEvents(): number {
    return this.log.dropped;
  }

  /** Every contract breach the monitors recorded and every cluster-level one (never dropped). */
  get violations(): Violation[] {
    return this.log.violations();
  }

  get resapi(): 'v1' | 'v2' {
    return this.resapiVersion === 0x100 ? 'v1' : 'v2';
  }

  // ---- groups (group-control.ts does the work) ----

  /**
   * A group: what moves and fails over as one. Its owner is the first preferred owner that is
   * up; its resources are opened there.
   */
  createGroup(name: string, options: GroupOptions = {}): MockGroup {
    if (this.stopping) throw new Error('MockCluster: stopped');
    return this.control.createGroup(name, options);
  }

  /** The group of that name (the default 'Cluster Group' once a resource was created without one). */
  group(name: string): MockGroup {
    return this.control.group(name);
  }

  get groups(): readonly MockGroup[] {
    return this.control.groups;
  }

  /** Onlines the group on its owner: each resource once its dependencies are online. Resolves
   * with the group's state (a resource that failed leaves its dependents offline). */
  onlineGroup(name: string): Promise<GroupState> {
    return this.control.onlineGroup(name);
  }

  /** Takes the group offline on its owner: dependents before what they depend on. */
  offlineGroup(name: string): Promise<GroupState> {
    return this.control.offlineGroup(name);
  }

  /**
   * Moves the group to `node`: offline on its owner (dependents first) with reason 'move' and
   * OfflineV2's destination node, Close there, Open on `node`, and online again there if it was.
   */
  moveGroup(name: string, node: string): Promise<GroupState> {
    return this.control.moveGroup(name, node);
  }

  /**
   * A node crash: its RHS dies (no Offline, Terminate or Close reaches its copy of the DLL), its
   * hosts lose their channel (a host process exits), and each group it owned is opened on the
   * next preferred owner that is up, and brought online there if it was to be online.
   */
  failNode(name: string): Promise<void> {
    return this.control.failNode(name);
  }

  /** The node comes back with a fresh RHS. Groups that had no node to go to come online on it
   * (nothing fails back: a group stays where it is). */
  restoreNode(name: string): Promise<void> {
    return this.control.restoreNode(name);
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
    if (this.control.resources.some((r) => r.name === name)) throw new Error(`MockCluster: a resource named '${name}' already exists`);
    const groupName = options.group ?? DEFAULT_GROUP;
    if (options.group === undefined && !this.control.hasGroup(DEFAULT_GROUP)) this.createGroup(DEFAULT_GROUP);
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
      list = readPropertyStore(this.options.propertiesFile)[name] ?? Buffer.alloc(0);
    }
    const ownerName = g.ownerNode ?? g.preferredOwners.find((n) => this.node(n).up);
    if (ownerName === undefined) throw new Error(`MockCluster: no possible owner of group '${groupName}' is up`);
    if (g.ownerNode === undefined) g.setOwner(ownerName);
    const owner = this.node(ownerName);
    this.types.set(def.name, def);
    await owner.ensureType(def);
    const r = await owner.monitor.open(def.name, name, list, options.openFlags ?? 0);
    if (r.status !== ERROR_SUCCESS) throw new ResourceError(r.status, `Open of '${name}' failed: ${win32ErrorName(r.status)}`);
    const placement: ResourcePlacement = { monitor: owner.monitor, id: r.resource, node: ownerName };
    const res = new MockResource<S>(placement, name, def.name, () => this.log.events(), def.properties as S, groupName, dependsOn);
    this.control.adopt(res as unknown as MockResource, { def, openFlags: options.openFlags ?? 0, restartAction, stored: list });
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
    await node.ensureType(this.types.get(typeName)!);
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

  /**
   * Writes every resource's stored private properties (the exact property-list bytes, as hex) to
   * `file` (default: the propertiesFile option). Written to a temporary file and renamed, so a
   * crash never leaves half a store.
   */
  saveProperties(file = this.options.propertiesFile): void {
    if (!file) throw new Error('MockCluster.saveProperties: no file given and no propertiesFile option');
    // The store's entries of resources this cluster does not have stay.
    const entries = readPropertyStore(this.options.propertiesFile);
    for (const r of this.control.resources) entries[r.name] = this.control.storedOf(r);
    writePropertyStore(file, entries);
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
      await this.control.settled();
      // RHS closes resources from several threads; so does the monitor here.
      await Promise.all(this.control.resources.filter((r) => r.node !== undefined && this.node(r.node).up && r.state !== 'Closed').map((r) => r.close()));
      // A host process is killed and reaped here.
      await Promise.all([...this.nodeMap.values()].map((n) => n.crash()));
      // Each node's log file, and what it rotated to.
      if (this.processHost?.ownLogFile) {
        for (const n of this.nodes) for (const f of [this.processHost.logFileOf(n), `${this.processHost.logFileOf(n)}.1`]) rmSync(f, { force: true });
      }
    })();
    return this.stopping;
  }
}
