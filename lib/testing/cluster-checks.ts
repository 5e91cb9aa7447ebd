// The cluster-level contract checks (cluster.violations): from what each node's shim reported,
// no resource is online or pending on two nodes at once, none goes online while a dependency is
// not online on its node, and none goes offline under an online dependent. The mock's own
// bookkeeping, apart from what it does about the reports (group-control.ts).
import type { MockGroup } from './cluster-group.js';
import type { ClusterEventSink } from './cluster-events.js';
import type { MockResource } from './mock-resource.js';

export const ONLINE_OR_PENDING: ReadonlySet<string> = new Set(['Online', 'OnlinePending', 'OfflinePending']);

export class ClusterChecks {
  /** Per resource name (as opened), per node: its last reported state there. */
  private readonly statesByNode = new Map<string, Map<string, string>>();
  /** Resources the cluster is terminating now (a dependent on its way down is no breach). */
  private readonly terminating = new Set<MockResource>();
  /** Per resource name, per node: how many states it has reported there. */
  private readonly reportCounts = new Map<string, Map<string, number>>();
  /** Onlines the cluster issued once every dependency was online, with each dependency's report
   * count at that moment (onlineIssued). */
  private readonly issued = new Map<MockResource, Map<string, number>>();

  constructor(
    private readonly report: ClusterEventSink,
    /** Whether the node is up: what a node that is down reported no longer counts. */
    private readonly isUp: (node: string) => boolean,
  ) {}

  /** The state `resource` last reported on `node` (undefined: none since the node came up). */
  stateOn(resource: string, node: string): string | undefined {
    return this.statesByNode.get(resource)?.get(node);
  }

  /** A node failed or comes back: what it reported before is gone with its RHS. */
  forgetNode(node: string): void {
    for (const states of this.statesByNode.values()) states.delete(node);
  }

  /** The cluster terminates `r` from now (taking a dependent down) until endTerminate. */
  beginTerminate(r: MockResource): void {
    this.terminating.add(r);
  }

  endTerminate(r: MockResource): void {
    this.terminating.delete(r);
  }

  isTerminating(r: MockResource): boolean {
    return this.terminating.has(r);
  }

  /**
   * The cluster issues `r`'s Online on `node` now, having seen every dependency online there. A
   * dependency's report may still be on its way: if it reports a failure after this moment, the
   * dependent's OnlinePending that follows is the race every cluster has (the dependency failed
   * while the Online was being issued), which the cluster answers by terminating the dependent.
   */
  onlineIssued(r: MockResource, dependencies: readonly MockResource[], node: string): void {
    this.issued.set(r, new Map(dependencies.map((d) => [d.name, this.reportCount(d.name, node)])));
  }

  /** The Online onlineIssued announced was not made after all (its node went down). */
  onlineNotIssued(r: MockResource): void {
    this.issued.delete(r);
  }

  private reportCount(resource: string, node: string): number {
    return this.reportCounts.get(resource)?.get(node) ?? 0;
  }

  /** Records a state report; returns the state before it on that node. Checks that the resource
   * is not online or pending on another node that is up. */
  recordState(resource: string, state: string, node: string): string | undefined {
    let states = this.statesByNode.get(resource);
    if (!states) this.statesByNode.set(resource, (states = new Map()));
    const previous = states.get(node);
    states.set(node, state);
    let counts = this.reportCounts.get(resource);
    if (!counts) this.reportCounts.set(resource, (counts = new Map()));
    counts.set(node, (counts.get(node) ?? 0) + 1);
    if (ONLINE_OR_PENDING.has(state)) {
      const elsewhere = [...states].filter(([n, s]) => n !== node && ONLINE_OR_PENDING.has(s) && this.isUp(n));
      if (elsewhere.length > 0) {
        this.report('violation', resource, 'online-on-two-nodes', `${state} on ${node} while ${elsewhere.map(([n, s]) => `${s} on ${n}`).join(', ')}`, node);
      }
    }
    return previous;
  }

  /**
   * From the node's reports: a resource may go online (pending or done) only while everything it
   * depends on is online on its node, and may go offline only once its dependents are not online
   * there (a failure is not a breach: the cluster answers it by taking the dependents down).
   */
  checkDependencies(r: MockResource, g: MockGroup, state: string, previous: string | undefined, node: string): void {
    const stateOn = (x: MockResource) => this.stateOn(x.name, node) ?? 'Offline';
    // Checked where an Online starts: a dependency that fails while its dependent's Online is
    // pending is a failure the cluster answers (it terminates the dependent), not a breach.
    if (state === 'OnlinePending') {
      const issued = this.issued.get(r);
      this.issued.delete(r);
      const reportedSince = (d: MockResource) => issued?.has(d.name) === true && this.reportCount(d.name, node) > issued.get(d.name)!;
      const down = r.dependsOn
        .map((d) => g.members.find((m) => m.createdAs === d)!)
        .filter((d) => stateOn(d) !== 'Online' && !reportedSince(d));
      if (down.length > 0) {
        this.report('violation', r.name, 'dependency-not-online', `${r.name} ${state} on ${node} while ${down.map((d) => `${d.name} is ${stateOn(d)}`).join(', ')}`, node);
      }
    } else if ((state === 'OfflinePending' || state === 'Offline') && previous !== 'Failed') {
      // After Failed, the monitor's Terminate races the cluster's Terminate of the dependents.
      const up = g.members.filter((d) => d.dependsOn.includes(r.createdAs) && ONLINE_OR_PENDING.has(stateOn(d)) && stateOn(d) !== 'OfflinePending' && !this.terminating.has(d));
      if (up.length > 0) {
        this.report('violation', r.name, 'dependent-online', `${r.name} ${state} on ${node} while ${up.map((d) => `${d.name} is ${stateOn(d)}`).join(', ')}`, node);
      }
    }
  }
}
