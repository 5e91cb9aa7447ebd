// A MockCluster's record of what happened: every node's monitor events and the cluster's own
// (notes and violations), on one clock, with the violations kept apart and never dropped. Live
// state and note events are handed on to the cluster's bookkeeping (observe).
import { describeError } from '../errors.js';
import { BoundedTimeline, type TimelineEvent, type Violation } from './timeline.js';

/** What the cluster does about a live event of `node` (its resource control and checks). */
export type EventObserver = (e: TimelineEvent, node: string) => void;

/** How a cluster-level event is reported: what the mock's own bookkeeping did or found. */
export type ClusterEventSink = (kind: 'note' | 'violation', resource: string, name: string, message: string, node?: string) => void;

export class ClusterEventLog {
  private readonly timeline: BoundedTimeline;
  private readonly violationList: Violation[] = [];
  /** The cluster's clock: performance.now() at its start. */
  readonly t0 = performance.now();
  /** Set once the cluster's bookkeeping exists (it reports through this log). */
  observer: EventObserver | undefined;

  constructor(limit: number, private readonly listener: ((e: TimelineEvent) => void) | undefined) {
    this.timeline = new BoundedTimeline(limit);
  }

  record(e: TimelineEvent, node: string, live = true): void {
    this.timeline.push(e);
    if (e.kind === 'violation') {
      this.violationList.push({ at: e.at, resource: e.resource, kind: e.name, message: e.message ?? '', ...(e.node !== undefined ? { node: e.node } : {}) });
    }
    try {
      this.listener?.(e);
    } catch {
      // a listener's bug must not break the timeline
    }
    if (live && e.resource && (e.kind === 'state' || e.kind === 'note')) {
      try {
        this.observer?.(e, node);
      } catch (err) {
        // A bookkeeping bug must not become an exception on the monitor's delivery path.
        this.clusterEvent('note', e.resource, 'cluster-error', describeError(err), node);
      }
    }
  }

  /** A cluster-level event: what the mock's own bookkeeping did or found (kind 'note' or 'violation'). */
  readonly clusterEvent: ClusterEventSink = (kind, resource, name, message, node) => {
    const e: TimelineEvent = { at: performance.now() - this.t0, resource, kind, name, result: 0, message, ...(node !== undefined ? { node } : {}) };
    this.record(e, node ?? '');
  };

  /** The kept events, oldest first (a copy). */
  events(): TimelineEvent[] {
    return this.timeline.toArray();
  }

  get dropped(): number {
    return this.timeline.dropped;
  }

  violations(): Violation[] {
    return this.violationList.slice();
  }
}
