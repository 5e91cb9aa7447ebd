// One node of a MockCluster: what one RHS process with its own copy of the resource DLL is on a
// cluster node — its own shim instance, its own monitor (threads, callbacks, polls, restarts) and
// its own hosts (an in-process host runtime per type, or a host process per type the shim starts).
// failNode() is crash(): the RHS process dies, nothing of it calls the DLL again.
import { HostRuntime } from '../host/runtime.js';
import type { ResourceTypeDefinition } from '../define.js';
import { ResourceError } from '../errors.js';
import { manifestOf } from '../manifest.js';
import { native, openHostEndpoint, type MonitorOptions, type NativeHostEndpoint, type NativeMonitor, type NativeShimInstance, type ShimDeadlines } from '../native.js';
import { ERROR_SUCCESS, win32ErrorName } from '../win32.js';
import type { TimelineEvent } from './timeline.js';

const READY_LINE = /^host for resource type (.+) is ready$/;

interface NodeType {
  def: ResourceTypeDefinition;
  /** In-process hosts only: this process's end of the channel and the runtime behind it. */
  inProcess?: { endpoint: NativeHostEndpoint; runtime: HostRuntime };
}

export interface NodeSetup {
  monitor: MonitorOptions;
  /** In-process hosts: the shim's deadlines. */
  deadlines?: ShimDeadlines;
  /** host 'process': the one type this node's host process serves, and its type configuration
   * (the JSON of `<library>.json`) for this node. */
  processType?: { def: ResourceTypeDefinition; configJson: string };
  /** Every event of this node's monitor, as it happens. live: false for what a crashed node's
   * monitor still reports while it stops (on the timeline, but no longer the node's state). */
  onEvent: (e: TimelineEvent, live: boolean) => void;
  /** `res.node` for in-process hosts (a host process gets MOCKCLUSTER_NODE_NAME from its configuration). */
  name: string;
  /** The cluster's clock (performance.now() at its start): each event's `at` is rebased from its
   * monitor's start to it, so one timeline orders every node's events (also after a restore). */
  clockOrigin?: number;
}

export class ClusterNode {
  private shimInstance: NativeShimInstance;
  private nodeMonitor: NativeMonitor;
  private readonly types = new Map<string, NodeType>();
  /** In-process types being started (concurrent callers wait for the same Startup). */
  private readonly starting = new Map<string, Promise<void>>();
  /** Types whose host the shim reported ready (its log line may since have left the timeline). */
  private readonly readyTypes = new Set<string>();
  private alive = true;
  /** performance.now() when this node's current monitor started (its events count from then). */
  private monitorStart = performance.now();
  /** Counts the node's monitors (a restore starts a new one). */
  private generation = 0;
  private restoring = false;
  /** The last crash's teardown (a restore waits for it). */
  private crashing: Promise<void> | undefined;
  /** The monitors and shim instances of earlier lives, kept referenced for as long as the node:
   * a monitor's wrapper settles its calls' promises from its thread-safe function's queue, so it
   * must not be collected while a delivery of its may still be queued. */
  private readonly retired: unknown[] = [];

  private constructor(readonly name: string, private readonly setup: NodeSetup) {
    const binding = native();
    this.shimInstance = new binding.ShimInstance();
    this.nodeMonitor = this.newMonitor();
  }

  private newMonitor(): NativeMonitor {
    this.monitorStart = performance.now();
    const generation = ++this.generation;
    return new (native().Monitor)({ ...this.setup.monitor, shim: this.shimInstance }, (e) => this.record(e, generation === this.generation && (this.alive || this.restoring)));
  }

  /** A node with its RHS running (and, with host 'process', its host process started). */
  static async start(setup: NodeSetup): Promise<ClusterNode> {
    const node = new ClusterNode(setup.name, setup);
    if (setup.processType) {
      try {
        await node.startProcessType();
      } catch (err) {
        await node.crash();
        throw err;
      }
    }
    return node;
  }

  get up(): boolean {
    return this.alive;
  }

  get monitor(): NativeMonitor {
    return this.nodeMonitor;
  }

  private record(e: TimelineEvent, live: boolean): void {
    const ready = e.kind === 'log' ? READY_LINE.exec(e.message ?? '') : null;
    if (ready) this.readyTypes.add(ready[1]!);
    const origin = this.setup.clockOrigin;
    this.setup.onEvent(origin === undefined ? e : { ...e, at: e.at + this.monitorStart - origin }, live);
  }

  /** Registers the module's type with its type configuration and calls Startup, which launches the host process. */
  private async startProcessType(): Promise<void> {
    const { def, configJson } = this.setup.processType!;
    this.shimInstance.registerProcessType(configJson);
    this.types.set(def.name, { def });
    const r = await this.nodeMonitor.startType(def.name);
    if (r.status !== ERROR_SUCCESS) {
      throw new ResourceError(r.status, `Startup of resource type '${def.name}' failed: ${win32ErrorName(r.status)}`);
    }
  }

  /** Startup for an in-process type (once per node), with its host connected and ready. A node
   * whose host process serves its one type started that type with the node (start, restore). */
  ensureType(def: ResourceTypeDefinition): Promise<void> {
    if (this.setup.processType) return Promise.resolve();
    let p = this.starting.get(def.name);
    if (!p) {
      p = this.startInProcessType(def);
      this.starting.set(def.name, p);
      // A Startup that failed may be tried again.
      p.catch(() => {
        if (this.starting.get(def.name) === p) this.starting.delete(def.name);
      });
    }
    return p;
  }

  private async startInProcessType(def: ResourceTypeDefinition): Promise<void> {
    if (!this.alive) throw new Error(`MockCluster: node '${this.name}' is down`);
    const binding = native();
    let runtime: HostRuntime | undefined;
    const endpoint = openHostEndpoint((frame) => runtime?.handle(frame), binding);
    runtime = new HostRuntime(def, endpoint, undefined, this.name);
    this.shimInstance.registerInProcessType(def.name, endpoint, this.setup.deadlines, JSON.stringify(manifestOf(def)));
    this.types.set(def.name, { def, inProcess: { endpoint, runtime } });
    const r = await this.nodeMonitor.startType(def.name);
    if (r.status !== ERROR_SUCCESS) {
      throw new ResourceError(r.status, `Startup of resource type '${def.name}' failed: ${win32ErrorName(r.status)}`);
    }
    // Startup launches the host asynchronously (as on Windows); wait until the shim has the host
    // ready (its handshake done), so a test that kills it right away kills a running one and a
    // first SET finds its validate hook.
    await runtime.whenConnected(10000);
    await this.hostReady(def.name, 10000);
  }

  private async hostReady(typeName: string, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.readyTypes.has(typeName)) {
      if (Date.now() > until) throw new Error(`MockCluster: the shim did not report the host of '${typeName}' ready within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  /** The pid of the type's host process on this node, 0 while none runs (or it is in-process). */
  hostPid(typeName: string): number {
    return this.alive ? this.shimInstance.hostPid(typeName) : 0;
  }

  /** In-process: drops the type's host channel as if the host crashed (MockCluster.killHost). */
  dropInProcessHost(typeName: string): boolean {
    const t = this.types.get(typeName);
    if (!t?.inProcess) return false;
    t.inProcess.endpoint.disconnect();
    t.inProcess.runtime.handle({ type: 'closed', reason: 'killed by the test' });
    return true;
  }

  /**
   * The node's RHS dies: its monitor stops calling (no Offline, Terminate or Close reaches the
   * DLL), its copy of the DLL is gone (the shim's threads joined, its host channels closed), and
   * its hosts lose their channel: a host process ends what it runs and exits (the shim reaps it),
   * an in-process host runtime ends its instances as a lost channel makes it. Also stop()'s last
   * step, after the resources were closed.
   */
  crash(): Promise<void> {
    if (!this.alive) return this.crashing ?? Promise.resolve();
    this.alive = false;
    // What this life of the node ran, taken now: a restore may begin while it is torn down.
    const monitor = this.nodeMonitor;
    const shim = this.shimInstance;
    const types = [...this.types];
    this.types.clear();
    this.starting.clear();
    this.readyTypes.clear();
    this.crashing = (async () => {
      await monitor.stop();
      for (const [name, t] of types) {
        shim.releaseType(name);
        t.inProcess?.endpoint.close();
      }
    })();
    return this.crashing;
  }

  /** The node comes back: a new RHS with a fresh copy of the DLL (nothing of the old one). */
  async restore(): Promise<void> {
    if (this.alive || this.restoring) return;
    this.restoring = true;
    await this.crashing;
    const binding = native();
    this.retired.push(this.nodeMonitor, this.shimInstance);
    this.shimInstance = new binding.ShimInstance();
    this.nodeMonitor = this.newMonitor();
    // Up once its type is started: an Open before Startup would find no such type.
    try {
      if (this.setup.processType) await this.startProcessType();
    } catch (err) {
      // It stays down, with nothing of this attempt left running.
      this.restoring = false;
      this.alive = true;
      await this.crash();
      throw err;
    }
    this.restoring = false;
    this.alive = true;
  }
}
