// One resource instance inside the host: its handlers, its properties, and the queue that keeps
// its handlers from overlapping (defence in depth behind the shim's op mutex).
import type { Resource, ResourceHandlers, ResourceLog, StateChangeReason } from '../define.js';

/**
 * A job gets the AbortController of its run; reading `controller.signal` creates the signal, which
 * costs more than the rest of a health check, so a job hands it to a handler only on demand. A job
 * that finishes synchronously returns undefined.
 */
export type Job = (controller: AbortController) => Promise<void> | void;

export class Instance {
  /** Follows CLUSCTL_RESOURCE_SET_NAME. */
  name: string;
  /** The reason CLUSCTL_RESOURCE_STATE_CHANGE_REASON gave for the next Offline or Terminate. */
  reason: StateChangeReason | undefined;
  properties: Readonly<Record<string, unknown>>;
  handlers: Promise<ResourceHandlers>;
  /** The handlers once `handlers` has resolved: a job may call them without awaiting. */
  ready: ResourceHandlers | undefined;
  readonly resource: Resource<Readonly<Record<string, unknown>>>;
  /** Bumped by Terminate: jobs queued under an older epoch are dropped, not run. */
  private epoch = 0;
  private tail: Promise<void> = Promise.resolve();
  /** Jobs of this epoch queued or running: 0 means the next job may start at once. */
  private pending = 0;
  private inFlight: { controller: AbortController; generation: number; kind: string } | undefined;

  constructor(name: string, properties: Readonly<Record<string, unknown>>, log: ResourceLog, openFlags = 0, node = '') {
    this.name = name;
    this.properties = properties;
    const self = this;
    this.resource = Object.freeze({
      get name() {
        return self.name;
      },
      openFlags,
      node,
      get properties() {
        return self.properties;
      },
      log,
    });
    this.handlers = Promise.resolve({});
  }

  /** Sets the handlers `open` produced (a promise), and `ready` once they are there. */
  setHandlers(handlers: Promise<ResourceHandlers>): void {
    this.handlers = handlers;
    this.ready = undefined;
    handlers.then((h) => {
      if (this.handlers === handlers) this.ready = h;
    }, () => undefined);
  }

  /**
   * Runs job after every earlier job of this instance has settled (on a later turn of the
   * microtask queue). onDropped runs instead if a Terminate arrives before the job starts.
   *
   * now: if no job is pending, run it at once, inside this call, so a handler that answers
   * synchronously is answered within the frame's own dispatch. Only for a job that calls its
   * handler before it awaits anything: a Terminate that arrives while a job awaits (the addon
   * may deliver several frames before microtasks run) would otherwise abort the signal before
   * the handler gets it.
   */
  enqueue(kind: string, generation: number, job: Job, onDropped: () => void, now = false): void {
    const epoch = this.epoch;
    const settled = () => {
      if (epoch === this.epoch) this.pending--;
    };
    const run = (): Promise<void> | void => {
      if (epoch !== this.epoch) return onDropped();
      const controller = new AbortController();
      const entry = { controller, generation, kind };
      this.inFlight = entry;
      const done = () => {
        if (this.inFlight === entry) this.inFlight = undefined;
      };
      let result: Promise<void> | void;
      try {
        result = job(controller);
      } catch (err) {
        done();
        throw err;
      }
      if (result === undefined) return done();
      return result.then(done, (err: unknown) => {
        done();
        throw err;
      });
    };
    this.pending++;
    if (now && this.pending === 1) {
      let result: Promise<void> | void;
      try {
        result = run();
      } catch {
        result = undefined;  // jobs report their own errors; the queue must go on
      }
      if (result === undefined) return settled();
      this.tail = result.then(settled, settled);
      return;
    }
    // The chain never rejects, so a failed job does not reorder the ones behind it.
    this.tail = this.tail.then(run, run).then(settled, settled);
  }

  /**
   * Terminate: abort the running handler and forget the queue. A handler that ignores its signal
   * is abandoned (its late result is dropped by generation in the shim), so the next operation
   * does not wait behind it.
   */
  terminate(): void {
    this.epoch++;
    this.inFlight?.controller.abort(new DOMException('terminated by the cluster', 'AbortError'));
    this.inFlight = undefined;
    this.tail = Promise.resolve();
    this.pending = 0;
  }

  /** The state-change reason for the Offline or Terminate being dispatched now (sent just before it). */
  takeReason(): StateChangeReason | undefined {
    const r = this.reason;
    this.reason = undefined;
    return r;
  }

  /** Cancel (V2): abort the running Online/Offline of that generation, keep the queue. */
  cancel(generation: number): void {
    const f = this.inFlight;
    if (f && f.generation === generation && (f.kind === 'online' || f.kind === 'offline')) {
      f.controller.abort(new DOMException('cancelled by the cluster', 'AbortError'));
    }
  }
}
