// The host runtime: receives the shim's frames for one resource type and runs the type's handlers,
// answering every request with a Result frame. Nothing a handler does (throw, reject, return
// garbage, never settle) escapes: it becomes a Win32 code and a log line, and the shim's deadlines
// cover the rest.
import { hostname } from 'node:os';
import type { ControlHandler, HealthContext, OfflineContext, Resource, ResourceHandlers, ResourceLog, ResourceTypeDefinition, TerminateContext } from '../define.js';
import type { PropertySchema, PropertyValues } from '../props.js';
import { clusctl } from '../clusctl.js';
import { asResourceError, describeError, errorCodeOf, safeString } from '../errors.js';
import { manifestMismatch } from '../manifest.js';
import type { HostFrame, ShimFrame } from '../native.js';
import { decodePropertyList, PropertyListError, type PropertyValue } from '../proplist.js';
import { resolveProperties } from '../props.js';
import { STATE_CHANGE_REASONS } from '../resapi-flags.js';
import {
  ERROR_INVALID_DATA,
  ERROR_INVALID_FUNCTION,
  ERROR_INVALID_PARAMETER,
  ERROR_OPERATION_ABORTED,
  ERROR_RESOURCE_NOT_FOUND,
  ERROR_SUCCESS,
} from '../win32.js';
import { Instance } from './instance.js';

/** Request id the shim uses for Terminate acknowledgements (native/shim/pending_calls.h). */
const TERMINATE_REQUEST = 0xffffffff;
const LOG_INFO = 0;
const LOG_WARN = 1;
const LOG_ERROR = 2;
// The cluster's notification codes (resdll-contract.md §7.3, §7.4).
const CLUSCTL_RESOURCE_STATE_CHANGE_REASON = clusctl.RESOURCE_STATE_CHANGE_REASON;
const CLUSCTL_RESOURCE_DELETE = clusctl.RESOURCE_DELETE;
const CLUSCTL_RESOURCE_SET_NAME = clusctl.RESOURCE_SET_NAME;
const CLUSCTL_RESOURCE_TYPE_STARTING_PHASE1 = clusctl.RESOURCE_TYPE_STARTING_PHASE1;
const CLUSCTL_RESOURCE_TYPE_STARTING_PHASE2 = clusctl.RESOURCE_TYPE_STARTING_PHASE2;
const CLUSCTL_RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN = clusctl.RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN;

type BufferHook = 'onAddDependency' | 'onRemoveDependency' | 'onAddOwner' | 'onRemoveOwner' | 'onInstallNode' | 'onEvictNode' | 'onClusterNameChanged';
/** Resource notifications whose hook gets the InBuffer (DELETE and SET_NAME are handled apart). */
const BUFFER_HOOKS: Readonly<Record<number, BufferHook>> = {
  [clusctl.RESOURCE_ADD_DEPENDENCY]: 'onAddDependency',
  [clusctl.RESOURCE_REMOVE_DEPENDENCY]: 'onRemoveDependency',
  [clusctl.RESOURCE_ADD_OWNER]: 'onAddOwner',
  [clusctl.RESOURCE_REMOVE_OWNER]: 'onRemoveOwner',
  [clusctl.RESOURCE_INSTALL_NODE]: 'onInstallNode',
  [clusctl.RESOURCE_EVICT_NODE]: 'onEvictNode',
  [clusctl.RESOURCE_CLUSTER_NAME_CHANGED]: 'onClusterNameChanged',
};

/** A NUL-terminated UTF-16LE string (SET_NAME's InBuffer), without its terminator. */
function wideString(input: Buffer): string {
  const text = input.toString('utf16le');
  const end = text.indexOf('\0');
  return end < 0 ? text : text.slice(0, end);
}

/** What a failed Online/Offline's Result carries beyond its status: RESOURCE_STATUS_EX's
 * ApplicationSpecificErrorCode and Flags, two little-endian DWORDs (native/shim/type_runtime.cc). */
function statusDetails(err: unknown, status: number): Buffer | undefined {
  const e = asResourceError(err);
  if (!e || (e.applicationSpecificErrorCode === undefined && e.statusFlags === undefined)) return undefined;
  const out = Buffer.alloc(8);
  out.writeUInt32LE(e.applicationSpecificErrorCode ?? status, 0);
  out.writeUInt32LE(e.statusFlags ?? 0, 4);
  return out;
}

/** Where the runtime's frames go: the addon's HostEndpoint. */
export interface HostChannel {
  send(frame: HostFrame): void;
  /** A Result frame, positionally (the hot path: every request is answered with one). */
  sendResult(slot: number, generation: number, request: number, status: number, output?: Buffer): void;
}

/** The output of a health check's Result: one byte, 1 alive. Copied by the addon, never changed. */
const ALIVE = Buffer.from([1]);
const NOT_ALIVE = Buffer.from([0]);

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function';
}

export class HostRuntime {
  private readonly instances = new Map<number, Instance>();
  private sessions = 0;
  private readonly sessionWaiters: (() => void)[] = [];
  /** True once the cluster said its API is usable (CLUSCTL_RESOURCE_TYPE_STARTING_PHASE2). */
  clusterApiReady = false;

  constructor(
    private readonly def: ResourceTypeDefinition,
    private readonly channel: HostChannel,
    private readonly hostInfo = `node ${process.version} pid ${process.pid}`,
    /** `res.node`: the cluster node this host serves (MOCKCLUSTER_NODE_NAME, which MockCluster sets for a
     * host process of one of its nodes; else this computer's name, as a cluster node's is). */
    private readonly node = process.env.MOCKCLUSTER_NODE_NAME || hostname(),
  ) {}

  private send(frame: HostFrame): void {
    this.channel.send(frame);
  }

  /** Resolves once the shim has opened a session with this host (its Hello arrived). */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.sessions > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the shim did not connect to the host of '${this.def.name}' within ${timeoutMs} ms`)), timeoutMs);
      this.sessionWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  handle(frame: ShimFrame): void {
    try {
      this.dispatch(frame);
    } catch (err) {
      // A bug here must not take the host down; the shim's deadlines answer for us.
      this.log(0, LOG_ERROR, `host runtime failed on a ${frame.type} frame: ${describeError(err)}`);
    }
  }

  private dispatch(frame: ShimFrame): void {
    if (frame.type === 'closed') {
      void this.endInstances();
      return;
    }
    if (frame.corrupt) {
      this.log(frame.slot, LOG_ERROR, `host received a corrupt frame: ${frame.corrupt}`);
      return;
    }
    switch (frame.type) {
      case 'hello': {
        // A new shim session: whatever we knew belongs to the old one, which is gone.
        void this.endInstances();
        const refusal = this.refusalFor(frame);
        // An empty type name refuses the handshake; the shim logs hostInfo and drops this host.
        this.send(refusal === undefined
          ? { type: 'helloAck', typeName: this.def.name, hostInfo: this.hostInfo }
          : { type: 'helloAck', typeName: '', hostInfo: refusal });
        this.sessions++;
        for (const w of this.sessionWaiters.splice(0)) w();
        return;
      }
      case 'open':
        return this.open(frame.slot, frame.name, frame.properties, frame.flags);
      case 'online':
        return this.operation('online', frame.slot, frame.generation, frame.request, frame.flags, frame.properties);
      case 'offline':
        return this.operation('offline', frame.slot, frame.generation, frame.request, frame.flags, undefined, frame.destinationNode || undefined);
      case 'looksAlive':
      case 'isAlive':
        return this.health(frame.type, frame.slot, frame.generation, frame.request);
      case 'terminate':
        return this.terminate(frame.slot, frame.generation);
      case 'cancel':
        this.instances.get(frame.slot)?.cancel(frame.generation);
        return;
      case 'control':
        if (frame.code === CLUSCTL_RESOURCE_STATE_CHANGE_REASON) return this.stateChangeReason(frame.slot, frame.input);
        if (frame.code === CLUSCTL_RESOURCE_DELETE || frame.code === CLUSCTL_RESOURCE_SET_NAME || BUFFER_HOOKS[frame.code]) {
          return this.notification(frame.slot, frame.generation, frame.request, frame.code, frame.input);
        }
        return this.control(frame.slot, frame.generation, frame.request, frame.code, frame.input);
      case 'typeControl':
        return this.typeControl(frame.request, frame.code, frame.input);
      case 'close':
        return this.close(frame.slot, frame.generation, frame.request);
      case 'validate':
        return this.validate(frame.slot, frame.generation, frame.request, frame.properties);
      case 'propertiesChanged':
        return this.propertiesChanged(frame.slot, frame.generation, frame.properties);
      case 'heartbeat':
        return;
    }
  }

  /** Why this host must not serve the shim that said hello, or undefined if it may. */
  private refusalFor(hello: { typeName: string; manifest: string }): string | undefined {
    if (hello.typeName !== this.def.name) {
      return `the shim asked for resource type '${hello.typeName}' but this host's module defines '${this.def.name}'`;
    }
    // An in-process host is handed its definition directly; only a configured shim sends one.
    return hello.manifest ? manifestMismatch(hello.manifest, this.def) : undefined;
  }

  /**
   * The session with the shim is over (its channel closed, or a new session began in this
   * process): every instance is aborted and forgotten, and its terminate() handler runs, as the
   * killed host's job would have ended what the instances started. Resolves when those handlers
   * have settled.
   */
  private endInstances(): Promise<void> {
    const all = [...this.instances.values()];
    this.instances.clear();
    return Promise.allSettled(all.map(async (inst) => {
      inst.terminate();
      // At once where the handlers are there already: what they started ends now.
      const handlers = inst.ready ?? await inst.handlers;
      await handlers.terminate?.call(handlers, {});
    })).then(() => undefined);
  }

  /**
   * The channel is gone for good (the host process's shim went away): ends every instance
   * (endInstances) and gives the terminate() handlers up to graceMs to clean up.
   */
  async shutdown(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.endInstances(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  private log(slot: number, level: 0 | 1 | 2, message: string): void {
    this.send({ type: 'log', slot, level, message });
  }

  private logFor(slot: number): ResourceLog {
    return {
      info: (m) => this.log(slot, LOG_INFO, String(m)),
      warn: (m) => this.log(slot, LOG_WARN, String(m)),
      error: (m) => this.log(slot, LOG_ERROR, String(m)),
    };
  }

  private reply(slot: number, generation: number, request: number, status: number, output?: Buffer): void {
    if (request === 0) return;  // a notification: nobody waits
    this.channel.sendResult(slot, generation, request, status, output);
  }

  private decodeStored(slot: number, bytes: Buffer | undefined): PropertyValue[] {
    if (!bytes || bytes.length === 0) return [];
    try {
      return decodePropertyList(bytes);
    } catch (err) {
      const where = err instanceof PropertyListError ? ` at offset ${err.offset}` : '';
      this.log(slot, LOG_ERROR, `stored private properties are malformed${where}: ${describeError(err)}; using defaults`);
      return [];
    }
  }

  private open(slot: number, name: string, properties: Buffer, openFlags: number): void {
    const existing = this.instances.get(slot);
    if (existing && existing.name === name) return;  // the shim re-opened after a relaunch race
    const resolved = resolveProperties(this.def.properties, this.decodeStored(slot, properties));
    for (const p of resolved.problems) this.log(slot, LOG_WARN, p);
    const inst = new Instance(name, resolved.values, this.logFor(slot), openFlags, this.node);
    this.instances.set(slot, inst);
    const handlers = (async () => this.def.open(inst.resource as Resource<PropertyValues<PropertySchema>>))().then(
      (h) => (h && typeof h === 'object' ? h : {}),
      (err: unknown) => {
        this.log(slot, LOG_ERROR, `open() failed: ${describeError(err)}`);
        throw err;
      },
    );
    handlers.catch(() => undefined);  // reported above; each operation reports it again
    inst.setHandlers(handlers);
  }

  private operation(kind: 'online' | 'offline', slot: number, generation: number, request: number, flags: number,
                    properties?: Buffer, destinationNode?: string): void {
    const inst = this.instances.get(slot);
    if (!inst) return this.reply(slot, generation, request, ERROR_RESOURCE_NOT_FOUND);
    // Sent just before this Offline; an Online ends whatever reason a Terminate did not take.
    const reason = inst.takeReason();
    const dropped = () => this.reply(slot, generation, request, ERROR_OPERATION_ABORTED);
    inst.enqueue(kind, generation, async (controller) => {
      const signal = controller.signal;
      let status = ERROR_SUCCESS;
      try {
        if (kind === 'online') {
          const resolved = resolveProperties(this.def.properties, this.decodeStored(slot, properties));
          for (const p of resolved.problems) this.log(slot, LOG_WARN, p);
          inst.properties = resolved.values;
          if (resolved.missing.length > 0) {
            this.log(slot, LOG_ERROR, `Online: required private properties are not set: ${resolved.missing.join(', ')}`);
            return this.reply(slot, generation, request, ERROR_INVALID_PARAMETER);
          }
        }
        const handlers = await inst.handlers;
        const fn = handlers[kind];
        if (fn) {
          const ctx: OfflineContext = {
            signal,
            progress: () => {
              if (!signal.aborted) this.send({ type: 'progress', slot, generation });
            },
            log: inst.resource.log,
            flags,
            ...(kind === 'offline' && destinationNode !== undefined ? { destinationNode } : {}),
            ...(kind === 'offline' && reason !== undefined ? { reason } : {}),
          };
          await fn.call(handlers, ctx);
        }
      } catch (err) {
        status = errorCodeOf(err, signal);
        // After Terminate/Cancel an abort is the expected ending, not an error worth paging for.
        const aborted = signal.aborted && status === ERROR_OPERATION_ABORTED;
        this.log(slot, aborted ? LOG_INFO : LOG_ERROR, `${kind} ${aborted ? 'ended after abort' : 'failed'}: ${describeError(err)}`);
        return this.reply(slot, generation, request, status, statusDetails(err, status));
      }
      this.reply(slot, generation, request, status);
    }, dropped);
  }

  private health(kind: 'looksAlive' | 'isAlive', slot: number, generation: number, request: number): void {
    const inst = this.instances.get(slot);
    if (!inst) return this.reply(slot, generation, request, ERROR_RESOURCE_NOT_FOUND);
    const answer = (alive: boolean) => this.reply(slot, generation, request, ERROR_SUCCESS, alive ? ALIVE : NOT_ALIVE);
    const settle = (value: unknown) => {
      if (typeof value === 'boolean') return answer(value);
      this.log(slot, LOG_ERROR, `${kind}() returned ${safeString(value)} (${typeof value}); expected a boolean, answering FALSE`);
      answer(false);
    };
    const fail = (err: unknown) => {
      this.log(slot, LOG_ERROR, `${kind}() failed: ${describeError(err)}; answering FALSE`);
      answer(false);
    };
    inst.enqueue(kind, generation, (controller) => {
      // A handler that answers synchronously is answered now, without a promise in between.
      const check = (handlers: ResourceHandlers, waited = false): Promise<void> | void => {
        // Only after waiting for open() can a Terminate have come first: then do not start.
        if (waited && controller.signal.aborted) return answer(false);
        const fn = handlers[kind];
        if (!fn) return answer(true);
        const ctx: HealthContext = {
          get signal() {
            return controller.signal;
          },
        };
        let value: unknown;
        try {
          value = fn.call(handlers, ctx);
          if (isPromiseLike(value)) return Promise.resolve(value).then(settle, fail);
        } catch (err) {
          return fail(err);
        }
        settle(value);
      };
      return inst.ready ? check(inst.ready) : inst.handlers.then((h) => check(h, true), fail);
    }, () => answer(false), true);
  }

  private terminate(slot: number, generation: number): void {
    const inst = this.instances.get(slot);
    const ack = () => this.channel.sendResult(slot, generation, TERMINATE_REQUEST, ERROR_SUCCESS);
    if (!inst) return ack();
    const reason = inst.takeReason();
    const ctx: TerminateContext = reason === undefined ? {} : { reason };
    inst.terminate();
    void (async () => {
      try {
        const handlers = await inst.handlers;
        await handlers.terminate?.call(handlers, ctx);
      } catch (err) {
        this.log(slot, LOG_ERROR, `terminate() failed: ${describeError(err)}`);
      }
      ack();
    })();
  }

  private runControl(slot: number, generation: number, request: number, code: number, input: Buffer,
                     lookup: () => Promise<ControlHandler | undefined>, signal?: AbortSignal): Promise<void> {
    return (async () => {
      try {
        const fn = await lookup();
        if (!fn) return this.reply(slot, generation, request, ERROR_INVALID_FUNCTION);
        const out: unknown = await fn(input);
        if (out === undefined) return this.reply(slot, generation, request, ERROR_SUCCESS, Buffer.alloc(0));
        if (out instanceof Uint8Array) return this.reply(slot, generation, request, ERROR_SUCCESS, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
        this.log(slot, LOG_ERROR, `control 0x${code.toString(16)} returned ${typeof out}; expected a Buffer`);
        this.reply(slot, generation, request, ERROR_INVALID_DATA);
      } catch (err) {
        this.log(slot, LOG_ERROR, `control 0x${code.toString(16)} failed: ${describeError(err)}`);
        this.reply(slot, generation, request, errorCodeOf(err, signal));
      }
    })();
  }

  private control(slot: number, generation: number, request: number, code: number, input: Buffer): void {
    const inst = this.instances.get(slot);
    if (!inst) return this.reply(slot, generation, request, ERROR_RESOURCE_NOT_FOUND);
    inst.enqueue('control', generation, (controller) =>
      this.runControl(slot, generation, request, code, input, async () => {
        const handlers: ResourceHandlers = await inst.handlers;
        return handlers.controls?.[code];
      }, controller.signal),
      () => this.reply(slot, generation, request, ERROR_OPERATION_ABORTED));
  }

  /** CLUSCTL_RESOURCE_STATE_CHANGE_REASON: kept for the Offline or Terminate that follows it. */
  private stateChangeReason(slot: number, input: Buffer): void {
    const inst = this.instances.get(slot);
    if (!inst || input.length < 12) return;
    inst.reason = STATE_CHANGE_REASONS[input.readUInt32LE(8)] ?? 'unknown';
  }

  /** A cluster notification to one resource, answered by its hook in turn with its other handlers. */
  private notification(slot: number, generation: number, request: number, code: number, input: Buffer): void {
    const inst = this.instances.get(slot);
    if (!inst) return this.reply(slot, generation, request, ERROR_RESOURCE_NOT_FOUND);
    inst.enqueue('notification', generation, (controller) =>
      this.runControl(slot, generation, request, code, input, async () => {
        const handlers: ResourceHandlers = await inst.handlers;
        // A hook's answer is its success or failure; what it returns is not output.
        if (code === CLUSCTL_RESOURCE_DELETE) return handlers.onDelete && (async () => void (await handlers.onDelete!.call(handlers)));
        if (code === CLUSCTL_RESOURCE_SET_NAME) {
          const newName = wideString(input);
          // The cluster database has the new name already: res.name follows, hook or not.
          const rename = () => void (inst.name = newName);
          if (!handlers.onRename) {
            rename();
            return undefined;
          }
          return async () => {
            try {
              await handlers.onRename!.call(handlers, newName);
            } finally {
              rename();
            }
          };
        }
        const hook = handlers[BUFFER_HOOKS[code]!];
        return hook && (async (buf: Buffer) => void (await hook.call(handlers, buf)));
      }, controller.signal),
      () => this.reply(slot, generation, request, ERROR_OPERATION_ABORTED));
  }

  private typeControl(request: number, code: number, input: Buffer): void {
    const def = this.def;
    if (code === CLUSCTL_RESOURCE_TYPE_STARTING_PHASE1 || code === CLUSCTL_RESOURCE_TYPE_STARTING_PHASE2 ||
        code === CLUSCTL_RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN) {
      // Notifications the shim answered already (request 0): the hook runs, its failure is logged.
      if (code === CLUSCTL_RESOURCE_TYPE_STARTING_PHASE2) this.clusterApiReady = true;
      const name = code === CLUSCTL_RESOURCE_TYPE_STARTING_PHASE1 ? 'onStartingPhase1'
        : code === CLUSCTL_RESOURCE_TYPE_STARTING_PHASE2 ? 'onStartingPhase2' : 'onMonitorShuttingDown';
      void (async () => {
        try {
          if (name === 'onMonitorShuttingDown') await def.onMonitorShuttingDown?.(input.length >= 4 ? input.readUInt32LE(0) : 0);
          else await def[name]?.();
        } catch (err) {
          this.log(0, LOG_ERROR, `${name}() failed: ${describeError(err)}`);
        }
      })();
      return;
    }
    void this.runControl(0, 0, request, code, input, async () => {
      if (code === clusctl.RESOURCE_TYPE_INSTALL_NODE) return def.onInstallNode && (async (buf: Buffer) => void (await def.onInstallNode!(buf)));
      if (code === clusctl.RESOURCE_TYPE_EVICT_NODE) return def.onEvictNode && (async (buf: Buffer) => void (await def.onEvictNode!(buf)));
      return def.typeControls?.[code];
    });
  }

  /** The type's validate hook, asked by the shim after its own schema check of a SET/VALIDATE. */
  private validate(slot: number, generation: number, request: number, properties: Buffer): void {
    void (async () => {
      try {
        const resolved = resolveProperties(this.def.properties, this.decodeStored(slot, properties));
        await this.def.validate?.(resolved.values as PropertyValues<PropertySchema>);
        this.reply(slot, generation, request, ERROR_SUCCESS);
      } catch (err) {
        this.log(slot, LOG_ERROR, `validate rejected the properties: ${describeError(err)}`);
        this.reply(slot, generation, request, errorCodeOf(err));
      }
    })();
  }

  private propertiesChanged(slot: number, generation: number, properties: Buffer): void {
    const inst = this.instances.get(slot);
    if (!inst) return;
    const resolved = resolveProperties(this.def.properties, this.decodeStored(slot, properties));
    const before = inst.properties;
    const changed = Object.keys(resolved.values).filter((k) => !sameValue(before[k], resolved.values[k]));
    inst.properties = resolved.values;
    if (changed.length === 0) return;
    inst.enqueue('propertiesChanged', generation, async () => {
      try {
        const handlers = await inst.handlers;
        await handlers.onPropertiesChanged?.call(handlers, changed);
      } catch (err) {
        this.log(slot, LOG_ERROR, `onPropertiesChanged() failed: ${describeError(err)}`);
      }
    }, () => undefined);
  }

  private close(slot: number, generation: number, request: number): void {
    const inst = this.instances.get(slot);
    if (!inst) return this.reply(slot, generation, request, ERROR_SUCCESS);
    this.instances.delete(slot);
    // Close does not queue behind a handler that may never settle: whatever still runs is
    // abandoned (its signal aborted), as Terminate would, and close() runs now.
    inst.terminate();
    void (async () => {
      try {
        const handlers = await inst.handlers.catch(() => ({}) as ResourceHandlers);
        await handlers.close?.call(handlers);
      } catch (err) {
        this.log(slot, LOG_ERROR, `close() failed: ${describeError(err)}`);
      }
      this.reply(slot, generation, request, ERROR_SUCCESS);
    })();
  }
}


function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
