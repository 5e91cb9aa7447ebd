// What the cluster's resource control manager does with a MockCluster's groups: it places each
// group on a node (its resources opened there), brings it online and offline in dependency order
// one group operation at a time, moves it, answers a resource's failure (its dependents go down
// first; with named nodes the restart policy, then failover within FailoverThreshold), and moves
// the groups of a node that failed. The nodes themselves are cluster-node.ts; the checks of what
// they report, cluster-checks.ts.
import type { ResourceTypeDefinition } from '../define.js';
import { ResourceError } from '../errors.js';
import { ERROR_SUCCESS, win32ErrorName } from '../win32.js';
import { DEFAULT_FAILOVER_PERIOD_MS, MockGroup, type GroupOptions, type GroupState } from './cluster-group.js';
import { ONLINE_OR_PENDING, type ClusterChecks } from './cluster-checks.js';
import type { ClusterEventSink } from './cluster-events.js';
import type { ClusterNode } from './cluster-node.js';
import type { MockResource } from './mock-resource.js';
import type { ResourceState, TimelineEvent } from './timeline.js';

/** The restart policy the cluster applies itself (MockClusterOptions.restart, named nodes). */
export interface RestartPolicy {
  threshold?: number;
  periodMs?: number;
  delayMs?: number;
}

/** What the cluster knows about a resource besides its MockResource. */
export interface ResourceRecord {
  def: ResourceTypeDefinition;
  openFlags: number;
  restartAction: 'restartNotify' | 'restartNoNotify';
  /** The cluster database's copy of its private properties while it is open on no node. */
  stored: Buffer;
}

/** What the resource control does its work with. */
export interface GroupControlSetup {
  /** The node names, in order. */
  nodes: readonly string[];
  /** The node of that name (throws for an unknown one). */
  node: (name: string) => ClusterNode;
  report: ClusterEventSink;
  /** The checks of what the nodes report (they see each report before the control acts on it). */
  checks: ClusterChecks;
  /** Whether the cluster is stopping (a pending restart then does nothing). */
  isStopping: () => boolean;
  /** With named nodes and `restart`: the cluster restarts failed resources itself. */
  restartPolicy: RestartPolicy | undefined;
}

/** A resource's record, and what the resource control keeps about it besides. */
interface Controlled extends ResourceRecord {
  /** Its dependents it terminated after it failed, brought back once a restart has it online. */
  takenDown: MockResource[];
  /** An Online of a restart by the monitor is under way. */
  restarting: boolean;
  /** Cluster restarts (named nodes): when this instance was restarted on its current node. */
  restarts: number[];
}

export class GroupControl {
  private readonly resourceList: MockResource[] = [];
  private readonly records = new Map<MockResource, Controlled>();
  private readonly groupMap = new Map<string, MockGroup>();
  /** Each group's operations run one after another (the cluster's per-group queue). */
  private readonly groupTails = new Map<string, Promise<unknown>>();
  /** Per group: the dependents being taken down after a failure (outside the group's queue, at
   * once), which whatever brings the group online waits for. */
  private readonly takedowns = new Map<MockGroup, Promise<void>>();
  private readonly nodes: readonly string[];
  private readonly node: (name: string) => ClusterNode;
  private readonly report: ClusterEventSink;
  private readonly checks: ClusterChecks;

  constructor(private readonly setup: GroupControlSetup) {
    this.nodes = setup.nodes;
    this.node = setup.node;
    this.report = setup.report;
    this.checks = setup.checks;
  }

  /** Every resource, in creation order. */
  get resources(): readonly MockResource[] {
    return this.resourceList;
  }

  get groups(): readonly MockGroup[] {
    return [...this.groupMap.values()];
  }

  hasGroup(name: string): boolean {
    return this.groupMap.has(name);
  }

  group(name: string): MockGroup {
    const g = this.groupMap.get(name);
    if (!g) throw new Error(`MockCluster: no group named '${name}'`);
    return g;
  }

  /** A group whose owner is its first preferred owner that is up (MockCluster.createGroup). */
  createGroup(name: string, options: GroupOptions): MockGroup {
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

  /** A resource just opened on its group's owner joins the group. */
  adopt(r: MockResource, record: ResourceRecord): void {
    this.resourceList.push(r);
    this.records.set(r, { ...record, takenDown: [], restarting: false, restarts: [] });
    this.group(r.group).members.push(r);
  }

  /** Resolves once every group operation under way (each is bounded by the monitor's calls) has ended. */
  async settled(): Promise<void> {
    await Promise.all([...this.groupTails.values()]);
  }

  /** Runs fn after the group's earlier operations, as the cluster handles one group at a time. */
  private inGroup<T>(g: MockGroup, fn: () => Promise<T>): Promise<T> {
    const run = (this.groupTails.get(g.name) ?? Promise.resolve()).then(fn);
    this.groupTails.set(g.name, run.catch(() => undefined));
    return run;
  }

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

  offlineGroup(name: string): Promise<GroupState> {
    const g = this.group(name);
    return this.inGroup(g, async () => {
      g.wantOnline = false;
      await this.takeOffline(g, {});
      return g.state;
    });
  }

  moveGroup(name: string, node: string): Promise<GroupState> {
    const g = this.group(name);
    const target = this.node(node);
    if (!g.possibleOwners.includes(node)) return Promise.reject(new Error(`MockCluster: '${node}' is not a possible owner of group '${name}'`));
    return this.inGroup(g, async () => {
      if (!target.up) throw new Error(`MockCluster: node '${node}' is down`);
      if (g.ownerNode === node) return g.state;
      const wasOnline = g.wantOnline || g.members.some((r) => ONLINE_OR_PENDING.has(r.state));
      this.report('note', name, 'group-move', `from ${g.ownerNode ?? '(no node)'} to ${node}`, g.ownerNode);
      await this.takeOffline(g, { reason: 'move', destinationNode: node });
      await this.placeGroup(g, node);
      if (wasOnline) await this.bringOnline(g);
      return g.state;
    });
  }

  /** A node crash (MockCluster.failNode); the groups it owned go to their next preferred owner. */
  async failNode(name: string): Promise<void> {
    const node = this.node(name);
    if (!node.up) throw new Error(`MockCluster: node '${name}' is down already`);
    const lost = this.resourceList.filter((r) => r.node === name);
    // The cluster database outlives the node: what each resource had stored there.
    for (const r of lost) this.records.get(r)!.stored = this.storedOf(r);
    for (const r of lost) r.rebind(undefined);
    this.report('note', '', 'node-down', `node ${name} failed`, name);
    await node.crash();
    this.checks.forgetNode(name);
    const orphaned = this.groups.filter((g) => g.ownerNode === name);
    await Promise.all(orphaned.map((g) => this.inGroup(g, async () => {
      if (g.ownerNode !== name) return;
      const to = this.nextOwner(g, name);
      g.setOwner(undefined);
      if (!to) {
        this.report('note', g.name, 'group-stranded', `no possible owner of ${g.name} is up`);
        return;
      }
      this.report('note', g.name, 'group-failover', `node ${name} failed; to ${to}`, to);
      await this.placeGroup(g, to);
      if (g.wantOnline && !g.failedForGood) await this.bringOnline(g);
    })));
  }

  /** The node comes back (MockCluster.restoreNode); groups with no node to go to come to it. */
  async restoreNode(name: string): Promise<void> {
    const node = this.node(name);
    if (node.up) throw new Error(`MockCluster: node '${name}' is up`);
    this.checks.forgetNode(name);
    await node.restore();
    if (!node.up) throw new Error(`MockCluster: node '${name}' is being restored already`);
    this.report('note', '', 'node-up', `node ${name} restored`, name);
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
      this.report('violation', g.name, 'not-a-possible-owner', `group ${g.name} placed on ${node}, which is not among its possible owners`, node);
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
    await node.ensureType(rec.def);
    const o = await node.monitor.open(rec.def.name, r.name, rec.stored, rec.openFlags);
    if (o.status !== ERROR_SUCCESS) throw new ResourceError(o.status, `Open of '${r.name}' on ${nodeName} failed: ${win32ErrorName(o.status)}`);
    r.rebind({ monitor: node.monitor, id: o.resource, node: nodeName });
    rec.restarts = [];  // a new node counts its restarts afresh
  }

  /** The cluster database's current copy of the resource's private properties. */
  storedOf(r: MockResource): Buffer {
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
      if (owner !== undefined) this.report('violation', g.name, 'not-a-possible-owner', `group ${g.name} brought online on ${owner}`, owner);
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
    // A failure's takedown first: a restart that overtook it once brought a dependent online
    // under a dependency the takedown was about to terminate.
    for (let t = this.takedowns.get(g); t; t = this.takedowns.get(g)) await t;
    for (const r of g.onlineOrder()) {
      if (r.node !== owner || !this.node(owner).up) return;
      const state = r.state;
      if (state === 'Online' || state === 'OnlinePending') continue;
      const deps = r.dependsOn.map((d) => g.members.find((m) => m.createdAs === d)!);
      // A dependency that did not come online, or is on its way down after a failure that came
      // meanwhile: its dependents stay offline (not a breach; what restarts it brings them back).
      if (deps.some((d) => d.state !== 'Online' || this.checks.isTerminating(d))) return;
      const rec = this.records.get(r)!;
      rec.takenDown = [];
      this.checks.onlineIssued(r, deps, owner);
      let result: ResourceState;
      try {
        result = await r.online();
      } catch {
        this.checks.onlineNotIssued(r);
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
   * whose restarts ran out fails its group over (restartNotify). The checks see each report first.
   */
  observe(e: TimelineEvent, node: string): void {
    const r = this.resourceList.find((x) => x.node === node && x.name === e.resource);
    let previous: string | undefined;
    if (e.kind === 'state') previous = this.checks.recordState(e.resource, e.name, node);
    if (!r) return;
    const rec = this.records.get(r)!;
    const g = this.groupMap.get(r.group)!;
    if (e.kind === 'state' && !(e.name === 'OnlinePending' && e.message === 'restart')) this.checks.checkDependencies(r, g, e.name, previous, node);
    if (e.kind === 'state' && e.name === 'OnlinePending') {
      rec.restarting = e.message === 'restart';
      // The monitor restarts a failed resource by itself; the cluster restarts one only once what
      // it depends on is online: until then it stays down, and comes back with its dependency.
      const waitingFor = rec.restarting ? r.dependsOn.map((d) => g.members.find((m) => m.createdAs === d)!).find((d) => this.checks.stateOn(d.name, node) !== 'Online') : undefined;
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
      for (const d of down) this.checks.beginTerminate(d);
      this.trackTakedown(g, (async () => {
        for (const d of down) await this.terminateByCluster(d, 'failover');
      })());
      if (this.setup.restartPolicy !== undefined) this.clusterRestart(r, rec, g, node, this.setup.restartPolicy);
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
  private clusterRestart(r: MockResource, rec: Controlled, g: MockGroup, node: string, policy: RestartPolicy): void {
    const threshold = policy.threshold ?? 3;
    const periodMs = policy.periodMs ?? 900000;
    const delayMs = policy.delayMs ?? 500;
    const now = performance.now();
    while (rec.restarts.length > 0 && now - rec.restarts[0]! > periodMs) rec.restarts.shift();
    if (rec.restarts.length >= threshold) {
      this.report('note', r.name, 'restart-exhausted', 'RestartThreshold reached; the resource stays failed', node);
      if (rec.restartAction === 'restartNotify' && this.nodes.length > 1) void this.inGroup(g, () => this.failover(g, r, node)).catch(() => undefined);
      return;
    }
    rec.restarts.push(now);
    this.report('note', r.name, 'restart-scheduled', `restart ${rec.restarts.length} of ${threshold} in ${delayMs} ms`, node);
    const placement = r.node;
    setTimeout(() => {
      void this.inGroup(g, async () => {
        // Not if the group moved, went offline, or the resource recovered meanwhile.
        if (this.setup.isStopping() || r.node !== placement || g.ownerNode !== node || !g.wantOnline || r.state !== 'Failed') return;
        rec.takenDown = [];
        await this.bringOnline(g);
      }).catch(() => undefined);
    }, delayMs);
  }

  private trackTakedown(g: MockGroup, takedown: Promise<void>): void {
    const all = Promise.all([this.takedowns.get(g), takedown]).then(() => undefined);
    this.takedowns.set(g, all);
    void all.then(() => {
      if (this.takedowns.get(g) === all) this.takedowns.delete(g);
    });
  }

  /** The cluster's own Terminate of a resource (taking a dependent down); never throws. */
  private async terminateByCluster(r: MockResource, reason: 'failover' | 'move' | 'unknown'): Promise<void> {
    this.checks.beginTerminate(r);
    try {
      await r.terminate({ reason });
    } catch {
      // its node went down meanwhile
    } finally {
      this.checks.endTerminate(r);
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
      this.report('note', g.name, 'group-failed', `FailoverThreshold ${g.failoverThreshold} reached within ${g.failoverPeriodMs} ms; the group stays failed on ${from}`, from);
      return;
    }
    const to = this.nextOwner(g, from);
    if (!to) {
      g.failedForGood = true;
      this.report('note', g.name, 'group-failed', `${failed.name} failed and no other possible owner is up; the group stays failed on ${from}`, from);
      return;
    }
    g.failovers.push(now);
    this.report('note', g.name, 'group-failover', `${failed.name} exhausted its restarts on ${from}; failover ${g.failovers.length} of ${g.failoverThreshold} to ${to}`, to);
    await this.takeOffline(g, { reason: 'failover', destinationNode: to });
    await this.placeGroup(g, to);
    if (g.wantOnline) await this.bringOnline(g);
  }
}
