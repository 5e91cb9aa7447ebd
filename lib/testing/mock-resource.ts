// One resource in a MockCluster. Every method is one real entry-point call made by the native
// mock monitor from its own thread, through the shim, the channel and the host runtime.
import type { PropertyInput, PropertySchema, PropertyValues } from '../props.js';
import { clusctl } from '../clusctl.js';
import { ResourceError } from '../errors.js';
import type { NativeMonitor } from '../native.js';
import { decodePropertyList, encodePropertyList, type PropertyValue } from '../proplist.js';
import { ERROR_MORE_DATA, ERROR_RESOURCE_PROPERTIES_STORED, ERROR_SUCCESS, win32ErrorName } from '../win32.js';
import type { ResourceState, TimelineEvent } from './timeline.js';

const DEFAULT_OUTPUT_SIZE = 64 * 1024;

export interface ControlOptions {
  /** The OutBuffer size the monitor passes. Without it the call is retried once at the size
   * the library asks for after ERROR_MORE_DATA, as cluster API clients do. */
  outputSize?: number;
}

export class MockResource<S extends PropertySchema = PropertySchema> implements AsyncDisposable {
  /** @internal */
  constructor(
    private readonly monitor: NativeMonitor,
    /** @internal */ readonly id: number,
    readonly name: string,
    readonly typeName: string,
    private readonly timeline: () => readonly TimelineEvent[],
    /** Type-level only: the schema of this resource's properties. */
    readonly schema?: S,
  ) {}

  /** The monitor's view of the resource's state. */
  get state(): ResourceState {
    return this.monitor.state(this.id) as ResourceState;
  }

  /** This resource's events among the cluster's kept ones (`timelineLimit`): calls with
   * durations, status reports, states, logs. */
  get events(): TimelineEvent[] {
    return this.timeline().filter((e) => e.resource === this.name);
  }

  /** Online; resolves when the resource is Online or Failed (see `state`). */
  async online(): Promise<ResourceState> {
    return (await this.monitor.call(this.id, 'online')).state as ResourceState;
  }

  /** Offline; resolves when the resource is Offline or Failed. */
  async offline(): Promise<ResourceState> {
    return (await this.monitor.call(this.id, 'offline')).state as ResourceState;
  }

  async terminate(): Promise<ResourceState> {
    return (await this.monitor.call(this.id, 'terminate')).state as ResourceState;
  }

  /** V2 only: Cancel the pending Online/Offline. Resolves with the call's Win32 code. */
  async cancel(): Promise<number> {
    return (await this.monitor.call(this.id, 'cancel')).status;
  }

  async close(): Promise<void> {
    await this.monitor.call(this.id, 'close');
  }

  /** `await using res = await cluster.createResource(...)`: Close when the scope ends (unless
   * it is closed already; Close without Offline is what RHS does on a failover, too). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.state !== 'Closed') await this.close();
  }

  async looksAlive(): Promise<boolean> {
    return (await this.monitor.call(this.id, 'looksAlive')).alive;
  }

  async isAlive(): Promise<boolean> {
    return (await this.monitor.call(this.id, 'isAlive')).alive;
  }

  /** Any control code through ResourceControl; a non-zero result throws ResourceError(code). */
  async control(code: number, input: Buffer = Buffer.alloc(0), options: ControlOptions = {}): Promise<Buffer> {
    let size = options.outputSize ?? DEFAULT_OUTPUT_SIZE;
    let r = await this.monitor.call(this.id, 'control', code >>> 0, input, size);
    if (r.status === ERROR_MORE_DATA && options.outputSize === undefined && r.resource > size) {
      size = r.resource;
      r = await this.monitor.call(this.id, 'control', code >>> 0, input, size);
    }
    if (r.status !== ERROR_SUCCESS) {
      const err = new ResourceError(r.status, `control 0x${(code >>> 0).toString(16)} failed with ${r.status}`);
      Object.assign(err, { bytesNeeded: r.resource });
      throw err;
    }
    return r.output;
  }

  /**
   * CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES with the given values, encoded in the schema's formats.
   * Resolves with whether the change waits for a restart (ERROR_RESOURCE_PROPERTIES_STORED);
   * a rejected SET throws ResourceError with the shim's code and stores nothing.
   */
  async setProperties(values: PropertyInput<S>): Promise<{ restartRequired: boolean }> {
    const list: PropertyValue[] = [];
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const spec = this.schema?.[name];
      if (!spec) throw new TypeError(`${this.name}: the type has no property '${name}'`);
      list.push({ name, format: spec.format, value } as PropertyValue);
    }
    const r = await this.monitor.call(this.id, 'control', clusctl.RESOURCE_SET_PRIVATE_PROPERTIES, encodePropertyList(list), 0);
    if (r.status === ERROR_SUCCESS || r.status === ERROR_RESOURCE_PROPERTIES_STORED) {
      return { restartRequired: r.status === ERROR_RESOURCE_PROPERTIES_STORED };
    }
    throw new ResourceError(r.status, `SET_PRIVATE_PROPERTIES on ${this.name} failed: ${win32ErrorName(r.status)}`);
  }

  /** CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES (and GET_RO_ with readOnly), decoded to an object. */
  async getProperties(options: { readOnly?: boolean } = {}): Promise<Partial<PropertyValues<S>>> {
    const code = options.readOnly ? clusctl.RESOURCE_GET_RO_PRIVATE_PROPERTIES : clusctl.RESOURCE_GET_PRIVATE_PROPERTIES;
    const out: Record<string, unknown> = {};
    for (const p of decodePropertyList(await this.control(code))) out[p.name] = p.value;
    return out as Partial<PropertyValues<S>>;
  }

  /** The property list the mock cluster database holds for this resource, decoded. */
  storedProperties(): PropertyValue[] {
    const bytes = this.monitor.storedProperties(this.id);
    return bytes.length ? decodePropertyList(bytes) : [];
  }

  /** Waits (polling the monitor's state) until the resource is in one of the states. */
  async waitForState(states: ResourceState | ResourceState[], timeoutMs = 5000): Promise<ResourceState> {
    const wanted = Array.isArray(states) ? states : [states];
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = this.state;
      if (wanted.includes(s)) return s;
      if (Date.now() > until) throw new Error(`${this.name}: still ${s} after ${timeoutMs} ms, waiting for ${wanted.join('|')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
