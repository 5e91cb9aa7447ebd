// One resource in a MockCluster. Every method is one real entry-point call made by the native
// mock monitor from its own thread, through the shim, the channel and the host runtime.
import type { StateChangeReason } from '../define.js';
import { schemaName, type PropertyInput, type PropertySchema, type PropertyValues } from '../props.js';
import { STATE_CHANGE_REASONS } from '../resapi-flags.js';
import { clusctl } from '../clusctl.js';
import { ResourceError } from '../errors.js';
import type { NativeMonitor } from '../native.js';
import { decodePropertyList, encodePropertyList, type PropertyValue } from '../proplist.js';
import { ERROR_INVALID_FUNCTION, ERROR_MORE_DATA, ERROR_RESOURCE_PROPERTIES_STORED, ERROR_SUCCESS, win32ErrorName } from '../win32.js';
import type { ResourceState, TimelineEvent } from './timeline.js';

const DEFAULT_OUTPUT_SIZE = 64 * 1024;

/** The cluster notifications a resource can be sent (`res.notify`), by the SDK's name. */
export const RESOURCE_NOTIFICATIONS = {
  addDependency: clusctl.RESOURCE_ADD_DEPENDENCY,
  removeDependency: clusctl.RESOURCE_REMOVE_DEPENDENCY,
  addOwner: clusctl.RESOURCE_ADD_OWNER,
  removeOwner: clusctl.RESOURCE_REMOVE_OWNER,
  installNode: clusctl.RESOURCE_INSTALL_NODE,
  evictNode: clusctl.RESOURCE_EVICT_NODE,
  clusterNameChanged: clusctl.RESOURCE_CLUSTER_NAME_CHANGED,
} as const;
export type ResourceNotification = keyof typeof RESOURCE_NOTIFICATIONS;

/** A string as the Resource API passes one: UTF-16LE with its NUL terminator. */
export function wideStringInput(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf16le');
}

function reasonNumber(reason: StateChangeReason | undefined): number | undefined {
  if (reason === undefined) return undefined;
  const n = STATE_CHANGE_REASONS.indexOf(reason);
  if (n < 0) throw new TypeError(`unknown state-change reason ${JSON.stringify(reason)}; expected one of ${STATE_CHANGE_REASONS.join(', ')}`);
  return n;
}

export interface OnlineOptions {
  /** OnlineV2 flags (CLUS_RESDLL_ONLINE); ignored on V1. */
  flags?: number;
}

export interface OfflineOptions {
  /** OfflineV2 flags (CLUS_RESDLL_OFFLINE); ignored on V1. */
  flags?: number;
  /** OfflineV2's DestinationNodeName. */
  destinationNode?: string;
  /** Sent as CLUSCTL_RESOURCE_STATE_CHANGE_REASON first if the type reports
   * CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON (default 'unknown'). */
  reason?: StateChangeReason;
}

export interface TerminateOptions {
  /** As for offline. */
  reason?: StateChangeReason;
}

export interface ControlOptions {
  /** The OutBuffer size the monitor passes. Without it the call is retried once at the size
   * the library asks for after ERROR_MORE_DATA, as cluster API clients do. */
  outputSize?: number;
}

/** @internal Where a resource's instance is open now: a node's monitor and its id there. */
export interface ResourcePlacement {
  monitor: NativeMonitor;
  id: number;
  node: string;
}

export class MockResource<S extends PropertySchema = PropertySchema> implements AsyncDisposable {
  private currentName: string;
  private placement: ResourcePlacement | undefined;

  /** @internal */
  constructor(
    placement: ResourcePlacement,
    /** The name the resource was created with: its events carry it (see `events`). */
    readonly createdAs: string,
    readonly typeName: string,
    private readonly timeline: () => readonly TimelineEvent[],
    /** Type-level only: the schema of this resource's properties. */
    readonly schema?: S,
    /** The group it belongs to (MockCluster.createGroup; 'Cluster Group' when none was named). */
    readonly group = 'Cluster Group',
    /** The resources it depends on (by name), in its group. */
    readonly dependsOn: readonly string[] = [],
  ) {
    this.currentName = createdAs;
    this.placement = placement;
  }

  /** @internal The node's monitor and id the instance has there; throws while it is on none
   * (its node failed and the cluster has not opened it elsewhere yet). */
  get place(): ResourcePlacement {
    if (!this.placement) throw new Error(`${this.name}: not open on any node now (its node is down)`);
    return this.placement;
  }

  /** @internal Opened on another node (move, failover), or on none (undefined: its node died). */
  rebind(placement: ResourcePlacement | undefined): void {
    this.placement = placement;
  }

  /** @internal */
  get id(): number {
    return this.place.id;
  }

  private get monitor(): NativeMonitor {
    return this.place.monitor;
  }

  /** The node its instance is open on (its group's owner), undefined while on none. */
  get node(): string | undefined {
    return this.placement?.node;
  }

  /** The resource's name; `rename()` changes it. */
  get name(): string {
    return this.currentName;
  }

  /** The monitor's view of the resource's state. */
  get state(): ResourceState {
    // On no node (its node crashed, not yet failed over): offline, as the cluster shows it.
    if (!this.placement) return 'Offline';
    return this.placement.monitor.state(this.placement.id) as ResourceState;
  }

  /** This resource's events among the cluster's kept ones (`timelineLimit`): calls with
   * durations, status reports, states, logs. */
  get events(): TimelineEvent[] {
    return this.timeline().filter((e) => e.resource === this.createdAs);
  }

  /** Online; resolves when the resource is Online or Failed (see `state`). */
  async online(options: OnlineOptions = {}): Promise<ResourceState> {
    return (await this.monitor.call(this.id, 'online', 0, undefined, 0, { flags: options.flags ?? 0 })).state as ResourceState;
  }

  /** Offline; resolves when the resource is Offline or Failed. */
  async offline(options: OfflineOptions = {}): Promise<ResourceState> {
    const details = {
      flags: options.flags ?? 0,
      reason: reasonNumber(options.reason) ?? 0,
      ...(options.destinationNode !== undefined ? { destinationNode: options.destinationNode } : {}),
    };
    return (await this.monitor.call(this.id, 'offline', 0, undefined, 0, details)).state as ResourceState;
  }

  async terminate(options: TerminateOptions = {}): Promise<ResourceState> {
    return (await this.monitor.call(this.id, 'terminate', 0, undefined, 0, { reason: reasonNumber(options.reason) ?? 0 })).state as ResourceState;
  }

  /**
   * Deletes the resource as the cluster does: CLUSCTL_RESOURCE_DELETE (its `onDelete` hook), then
   * Close. The cluster deletes only offline resources. Resolves with DELETE's Win32 code
   * (ERROR_INVALID_FUNCTION when no hook answered it: the cluster's default processing).
   */
  async delete(): Promise<number> {
    const state = this.state;
    if (state !== 'Offline' && state !== 'Failed') throw new Error(`${this.name}: only an offline resource can be deleted (it is ${state})`);
    const r = await this.monitor.call(this.id, 'control', clusctl.RESOURCE_DELETE, Buffer.alloc(0), 0);
    await this.close();
    return r.status;
  }

  /** CLUSCTL_RESOURCE_SET_NAME with the new name (its `onRename` hook); `name` follows. Resolves with its Win32 code. */
  async rename(newName: string): Promise<number> {
    if (typeof newName !== 'string' || newName.length === 0) throw new TypeError('rename(newName): newName must be a non-empty string');
    const r = await this.monitor.call(this.id, 'control', clusctl.RESOURCE_SET_NAME, wideStringInput(newName), 0);
    if (r.status === ERROR_SUCCESS || r.status === ERROR_INVALID_FUNCTION) this.currentName = newName;
    return r.status;
  }

  /**
   * Sends one of the cluster's notifications (RESOURCE_NOTIFICATIONS) through ResourceControl;
   * a string input goes as the Resource API's strings do (UTF-16, NUL-terminated). Resolves with
   * the Win32 code (ERROR_INVALID_FUNCTION: no hook, default processing).
   */
  async notify(kind: ResourceNotification, input: string | Buffer = Buffer.alloc(0)): Promise<number> {
    const code = RESOURCE_NOTIFICATIONS[kind];
    if (code === undefined) throw new TypeError(`unknown notification ${JSON.stringify(kind)}; expected one of ${Object.keys(RESOURCE_NOTIFICATIONS).join(', ')}`);
    const buf = typeof input === 'string' ? wideStringInput(input) : input;
    return (await this.monitor.call(this.id, 'control', code, buf, 0)).status;
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
    // The names as given (the cluster database is case-insensitive, and so is the shim); the
    // formats are the schema's.
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const canonical = this.schema ? schemaName(this.schema, name) : undefined;
      if (canonical === undefined) throw new TypeError(`${this.name}: the type has no property '${name}'`);
      list.push({ name, format: this.schema![canonical]!.format, value } as PropertyValue);
    }
    const r = await this.monitor.call(this.id, 'control', clusctl.RESOURCE_SET_PRIVATE_PROPERTIES, encodePropertyList(list), 0);
    if (r.status === ERROR_SUCCESS || r.status === ERROR_RESOURCE_PROPERTIES_STORED) {
      return { restartRequired: r.status === ERROR_RESOURCE_PROPERTIES_STORED };
    }
    // Why, as the shim logged it during the call: the resource's warnings and errors between this
    // call's event (emitted when it returned, before its result got here) and the call before it
    // (the monitor makes one call of a resource at a time).
    const events = this.events;
    let i = events.length - 1;
    while (i >= 0 && events[i]!.kind !== 'call') i--;
    const why: string[] = [];
    for (i--; i >= 0 && events[i]!.kind !== 'call'; i--) {
      const e = events[i]!;
      if (e.kind === 'log' && e.name !== 'info') why.unshift(e.message ?? '');
    }
    throw new ResourceError(r.status, `SET_PRIVATE_PROPERTIES on ${this.name} failed: ${win32ErrorName(r.status)}${why.length ? `: ${why.join('; ')}` : ''}`);
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
