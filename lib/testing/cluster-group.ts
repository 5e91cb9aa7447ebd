// A group of a MockCluster: what moves and fails over as one (its resources, their dependencies,
// its owner node and its failover policy), as the cluster's resource control manager keeps it.
import type { MockResource } from './mock-resource.js';

export interface GroupOptions {
  /** The nodes the group prefers, best first (the cluster's PreferredOwners). Default: every node,
   * in the order of `nodes`. */
  preferredOwners?: string[];
  /** The nodes the group may run on at all. Default: every node. */
  possibleOwners?: string[];
  /** How many failovers (after a resource exhausted its restarts) the group gets within
   * failoverPeriodMs before it stays failed (FailoverThreshold). Default: nodes - 1, at least 1. */
  failoverThreshold?: number;
  /** FailoverPeriod. Default 6 hours, as the cluster's. */
  failoverPeriodMs?: number;
}

/** The cluster's group states (CLUSTER_GROUP_STATE). */
export type GroupState = 'Online' | 'Offline' | 'Failed' | 'PartialOnline' | 'Pending';

export const DEFAULT_GROUP = 'Cluster Group';
export const DEFAULT_FAILOVER_PERIOD_MS = 6 * 3600 * 1000;

export class MockGroup {
  /** @internal Its resources, in creation order. */
  readonly members: MockResource[] = [];
  /** @internal When it failed over for a resource's failure (failoverThreshold counts these). */
  readonly failovers: number[] = [];
  /** @internal Whether the cluster is to keep it online (onlineGroup: true, offlineGroup: false):
   * what a failover or a restored node brings back. */
  wantOnline = false;
  /** @internal True once it used up failoverThreshold: it stays failed until onlineGroup. */
  failedForGood = false;
  private owner: string | undefined;

  /** @internal */
  constructor(
    readonly name: string,
    readonly preferredOwners: readonly string[],
    readonly possibleOwners: readonly string[],
    readonly failoverThreshold: number,
    readonly failoverPeriodMs: number,
    owner: string | undefined,
  ) {
    this.owner = owner;
  }

  /** The node that owns the group (its resources are open there); undefined while no possible
   * owner is up. */
  get ownerNode(): string | undefined {
    return this.owner;
  }

  /** @internal */
  setOwner(node: string | undefined): void {
    this.owner = node;
  }

  /** Its resources (creation order). */
  get resources(): readonly MockResource[] {
    return this.members;
  }

  /** From its resources' states, as the cluster reports a group's. */
  get state(): GroupState {
    const states = this.members.map((r) => r.state);
    if (states.length === 0) return 'Offline';
    if (states.some((s) => s === 'OnlinePending' || s === 'OfflinePending')) return 'Pending';
    if (states.some((s) => s === 'Failed')) return 'Failed';
    if (states.every((s) => s === 'Online')) return 'Online';
    if (states.some((s) => s === 'Online')) return 'PartialOnline';
    return 'Offline';
  }

  /** Its resources with every dependency before its dependents (the online order; offline is
   * the reverse). */
  onlineOrder(): MockResource[] {
    const byName = new Map(this.members.map((r) => [r.createdAs, r]));
    const done = new Set<string>();
    const out: MockResource[] = [];
    const visit = (r: MockResource) => {
      if (done.has(r.createdAs)) return;
      done.add(r.createdAs);
      for (const d of r.dependsOn) {
        const dep = byName.get(d);
        if (dep) visit(dep);
      }
      out.push(r);
    };
    for (const r of this.members) visit(r);
    return out;
  }

  /** The resources that depend on `name`, directly or through others. */
  dependentsOf(name: string): MockResource[] {
    const out = new Set<MockResource>();
    let frontier = [name];
    while (frontier.length) {
      const next: string[] = [];
      for (const r of this.members) {
        if (!out.has(r) && r.dependsOn.some((d) => frontier.includes(d))) {
          out.add(r);
          next.push(r.createdAs);
        }
      }
      frontier = next;
    }
    return [...out];
  }
}
