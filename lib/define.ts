// defineResourceType: the one object a resource module exports (DESIGN §4).
import { checkManifestOptions, type ResourceTypeTimeouts } from './manifest.js';
import { propertyKey, type PropertySchema, type PropertyValues } from './props.js';
import type { STATE_CHANGE_REASONS } from './resapi-flags.js';

export type LogFn = (message: string) => void;

/** Lines to the cluster log (LogEvent), truncated by the shim to 500 characters. */
export interface ResourceLog {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** What an Online or Offline handler gets. */
export interface OperationContext {
  /** Aborted when the cluster calls Terminate (or Cancel on V2) during this operation. */
  readonly signal: AbortSignal;
  /** Reports progress: a pending status with CheckPoint+1, which resets PendingTimeout. */
  progress(): void;
  readonly log: ResourceLog;
  /** OnlineV2 / OfflineV2 flags as the cluster passed them (CLUS_RESDLL_ONLINE / _OFFLINE); 0 on V1. */
  readonly flags: number;
}

/** What an Offline handler gets. */
export interface OfflineContext extends OperationContext {
  /** OfflineV2: the node that will own the resource next (a move), if the cluster named one. */
  readonly destinationNode?: string;
  /** Why the resource goes offline, if the cluster said (see StateChangeReason). */
  readonly reason?: StateChangeReason;
}

/** What a terminate handler gets. */
export interface TerminateContext {
  /** Why the cluster terminates the resource (CLUSCTL_RESOURCE_STATE_CHANGE_REASON), when it said. */
  readonly reason?: StateChangeReason;
}

/**
 * Why a resource goes offline or is terminated: CLUSCTL_RESOURCE_STATE_CHANGE_REASON's
 * eResourceStateChangeReason (ClusApi.h: Unknown 0, Move 1, Failover 2, FailedMove 3, Shutdown 4,
 * Rundown 5), sent only to types that report CLUS_CHAR.REQUIRES_STATE_CHANGE_REASON.
 */
export type StateChangeReason = (typeof STATE_CHANGE_REASONS)[number];

/** What a LooksAlive/IsAlive handler gets. */
export interface HealthContext {
  /** Aborted when the cluster calls Terminate while the check runs. */
  readonly signal: AbortSignal;
}

export type Awaitable<T> = T | Promise<T>;
export type ControlHandler = (input: Buffer) => Awaitable<Buffer | Uint8Array | void>;

/** The handlers of one resource instance, returned from `open`. All optional. */
export interface ResourceHandlers {
  online?(ctx: OperationContext): Awaitable<void>;
  offline?(ctx: OfflineContext): Awaitable<void>;
  /** Quick check (answer within 50 ms). Missing: TRUE. */
  looksAlive?(ctx: HealthContext): Awaitable<boolean>;
  /** Thorough check (answer within 200 ms, or the last answer is used). Missing: TRUE. */
  isAlive?(ctx: HealthContext): Awaitable<boolean>;
  /**
   * A SET_PRIVATE_PROPERTIES was stored while the resource is open; `res.properties` already holds
   * the new values. Runs in turn with the other handlers of the resource.
   */
  onPropertiesChanged?(changed: readonly string[]): Awaitable<void>;
  /**
   * Called at once on Terminate, after the in-flight handler's signal was aborted: end what the
   * resource started. Also called for every open instance when its host's session with the shim
   * ends (the host was killed or lost). Once Terminate returns to the cluster nothing of the
   * resource may run: a host that has not answered by then is killed with its process tree.
   */
  terminate?(ctx: TerminateContext): Awaitable<void>;
  close?(): Awaitable<void>;
  /** User control codes (build them with `userCode()`), answered within 250 ms. */
  controls?: Readonly<Record<number, ControlHandler>>;

  // Cluster notifications (internal control codes), in turn with the other handlers and answered
  // within 250 ms. Without a hook the shim answers ERROR_INVALID_FUNCTION, the monitor's default
  // processing (for these codes: nothing more to do). `input` is the InBuffer as the cluster
  // sent it (the SDK documents none for most of them).
  /** CLUSCTL_RESOURCE_DELETE: the resource is offline and about to be closed for good: remove its data. Cannot veto. */
  onDelete?(): Awaitable<void>;
  /** CLUSCTL_RESOURCE_SET_NAME: the cluster renamed the resource; `res.name` is the old name until this returns. */
  onRename?(newName: string): Awaitable<void>;
  /** CLUSCTL_RESOURCE_ADD_DEPENDENCY / REMOVE_DEPENDENCY: a resource it depends on was added / removed. */
  onAddDependency?(input: Buffer): Awaitable<void>;
  onRemoveDependency?(input: Buffer): Awaitable<void>;
  /** CLUSCTL_RESOURCE_ADD_OWNER / REMOVE_OWNER: a node joined / left its possible owners. */
  onAddOwner?(input: Buffer): Awaitable<void>;
  onRemoveOwner?(input: Buffer): Awaitable<void>;
  /** CLUSCTL_RESOURCE_INSTALL_NODE / EVICT_NODE: a node was added to / evicted from the cluster. */
  onInstallNode?(input: Buffer): Awaitable<void>;
  onEvictNode?(input: Buffer): Awaitable<void>;
  /** CLUSCTL_RESOURCE_CLUSTER_NAME_CHANGED: the cluster's name changed. */
  onClusterNameChanged?(input: Buffer): Awaitable<void>;
}

/** One resource instance as its handlers see it. */
export interface Resource<P> {
  /** Its name; follows CLUSCTL_RESOURCE_SET_NAME (see onRename). */
  readonly name: string;
  /** OpenV2's flags (CLUS_RESDLL_OPEN); 0 on V1. */
  readonly openFlags: number;
  /** The cluster node this instance runs on: the host's computer name (`os.hostname()`) on a
   * cluster, the node's name in a MockCluster. */
  readonly node: string;
  /** The private properties: as stored at Open, refreshed at each Online and after each SET. */
  readonly properties: P;
  readonly log: ResourceLog;
}

export interface ResourceTypeOptions<S extends PropertySchema> {
  /** The resource type name, as registered in the cluster. */
  name: string;
  properties?: S;
  /** Throw ResourceError to reject a SET_PRIVATE_PROPERTIES. */
  validate?(props: PropertyValues<S>): Awaitable<void>;
  open(res: Resource<PropertyValues<S>>): Awaitable<ResourceHandlers>;
  /** Resource-type control codes (user codes with the resource-type object). */
  typeControls?: Readonly<Record<number, ControlHandler>>;
  // Resource-type notifications. STARTING_PHASE1/2 and NOTIFY_MONITOR_SHUTTING_DOWN are answered
  // ERROR_SUCCESS at once (the host may still be starting) and the hook runs when the host gets
  // them; INSTALL_NODE/EVICT_NODE wait for the hook (250 ms) and without one answer
  // ERROR_INVALID_FUNCTION (default processing).
  /** CLUSCTL_RESOURCE_TYPE_STARTING_PHASE1: the cluster service is starting; its API is not usable yet. */
  onStartingPhase1?(): Awaitable<void>;
  /** CLUSCTL_RESOURCE_TYPE_STARTING_PHASE2: the cluster service has started; its API is usable now. */
  onStartingPhase2?(): Awaitable<void>;
  /** CLUSCTL_RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN: flags RESTYPE_MONITOR_SHUTTING_DOWN_NODE_STOP 1, _CLUSSVC_CRASH 2. */
  onMonitorShuttingDown?(flags: number): Awaitable<void>;
  /** CLUSCTL_RESOURCE_TYPE_INSTALL_NODE / EVICT_NODE, once for the type. */
  onInstallNode?(input: Buffer): Awaitable<void>;
  onEvictNode?(input: Buffer): Awaitable<void>;
  /** CLUS_CHAR_* flags the type reports (GET_CHARACTERISTICS, resource and type). Default 0. */
  characteristics?: number;
  /** GET_FLAGS; the upper 16 bits are yours. Default 0. */
  flags?: number;
  /** GET_CLASS_INFO: CLUS_RESCLASS_* and a subclass of your choosing. Default UNKNOWN, 0. */
  resourceClass?: number;
  resourceSubClass?: number;
  /** What every resource of the type must depend on: resource classes (CLUS_RESCLASS numbers)
   * and/or resource type names (GET_REQUIRED_DEPENDENCIES). */
  requiredDependencies?: { readonly classes?: readonly number[]; readonly types?: readonly string[] };
  /** The shim's deadlines and the type's poll defaults; see ResourceTypeTimeouts. */
  timeouts?: Partial<ResourceTypeTimeouts>;
  /**
   * Whether a stored property change needs the resource to go offline and online again to take
   * effect (SET answers ERROR_RESOURCE_PROPERTIES_STORED on an online resource). Default true; set
   * false when `onPropertiesChanged` applies changes live.
   */
  restartOnPropertyChange?: boolean;
}

export interface ResourceTypeDefinition<S extends PropertySchema = PropertySchema> extends ResourceTypeOptions<S> {
  readonly properties: S;
  /** Brand so modules can be checked at load time. */
  readonly kind: 'wsfc-resource-type';
}

const TYPE_NAME = /^[^\\/:*?"<>|\x00-\x1f]{1,128}$/;

export function defineResourceType<S extends PropertySchema = Record<string, never>>(
  options: ResourceTypeOptions<S>,
): ResourceTypeDefinition<S> {
  if (!options || typeof options !== 'object') throw new TypeError('defineResourceType(options): options must be an object');
  if (typeof options.name !== 'string' || !TYPE_NAME.test(options.name)) {
    throw new TypeError(`defineResourceType: name must be 1-128 characters without \\ / : * ? " < > | or control characters, got ${JSON.stringify(options.name)}`);
  }
  if (typeof options.open !== 'function') throw new TypeError(`defineResourceType(${options.name}): open must be a function`);
  const properties = (options.properties ?? {}) as S;
  const lowered = new Map<string, string>();
  for (const [name, spec] of Object.entries(properties)) {
    if (!TYPE_NAME.test(name)) throw new TypeError(`defineResourceType(${options.name}): bad property name ${JSON.stringify(name)}`);
    // One registry value: the cluster database compares names case-insensitively.
    const clash = lowered.get(propertyKey(name));
    if (clash !== undefined) throw new TypeError(`defineResourceType(${options.name}): properties '${clash}' and '${name}' differ only in case`);
    lowered.set(propertyKey(name), name);
    if (!spec || typeof spec !== 'object' || typeof spec.format !== 'string') {
      throw new TypeError(`defineResourceType(${options.name}): property '${name}' must be built with prop.<format>()`);
    }
    // The cluster refuses SETs of read-only properties, so nothing could ever give it a value.
    if (spec.required && spec.readOnly && spec.default === undefined) {
      throw new TypeError(`defineResourceType(${options.name}): property '${name}' is required and read-only but has no default: no SET can ever give it a value; give it a default or drop one of the two`);
    }
  }
  checkManifestOptions(options);
  return Object.freeze({ ...options, properties, kind: 'wsfc-resource-type' as const });
}

export function isResourceTypeDefinition(v: unknown): v is ResourceTypeDefinition {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'wsfc-resource-type';
}
