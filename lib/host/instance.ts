// One resource instance inside the host: its handlers, its properties, and the queue that keeps
// its handlers from overlapping (defence in depth behind the shim's op mutex).
import type { Resource, ResourceHandlers, ResourceLog } from '../define.js';

export type Job = (signal: AbortSignal) => Promise<void>;

export class Instance {
  readonly name: string;
  properties: Readonly<Record<string, unknown>>;
  handlers: Promise<ResourceHandlers>;
  readonly resource: Resource<Readonly<Record<string, unknown>>>;
  /** Bumped by Terminate: jobs queued under an older epoch are dropped, not run. */
  private epoch = 0;
  private tail: Promise<void> = Promise.resolve();
  private inFlight: { controller: AbortController; generation: number; kind: string } | undefined;

  constructor(name: string, properties: Readonly<Record<string, unknown>>, log: ResourceLog) {
    this.name = name;
    this.properties = properties;
    const self = this;
    this.resource = Object.freeze({
      name,
      get properties() {
        return self.properties;
      },
      log,
    });
    this.handlers = Promise.resolve({});
  }

  /**
   * Runs job after every earlier job of this instance has settled. onDropped runs instead if a
   * Terminate arrives before the job starts.
   */
  enqueue(kind: string, generation: number, job: Job, onDropped: () => void): void {
    const epoch = this.epoch;
    const run = async (): Promise<void> => {
      if (epoch !== this.epoch) return onDropped();
      const controller = new AbortController();
      this.inFlight = { controller, generation, kind };
      try {
        await job(controller.signal);
      } finally {
        if (this.inFlight?.controller === controller) this.inFlight = undefined;
      }
    };
    const next = this.tail.then(run, run);
    // The chain must never reject, or later jobs would run in the wrong order of errors.
    this.tail = next.catch(() => undefined);
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
  }

  /** Cancel (V2): abort the running Online/Offline of that generation, keep the queue. */
  cancel(generation: number): void {
    const f = this.inFlight;
    if (f && f.generation === generation && (f.kind === 'online' || f.kind === 'offline')) {
      f.controller.abort(new DOMException('cancelled by the cluster', 'AbortError'));
    }
  }
}
