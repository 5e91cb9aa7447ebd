// The native addons' surface, declared in one place (the frames are built by native/addon/host/js_frames.cc):
// wsfc-host.node, what a host process loads, and wsfc-mock.node, which adds the shim and the mock
// monitor for MockCluster.
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PropertyValue } from './proplist.js';

/** Frames the shim sends to the host. */
export type ShimFrame =
  | ({ type: 'hello'; typeName: string; resapiVersion: number; manifest: string } & FrameIds)
  | ({ type: 'open'; name: string; properties: Buffer; flags: number } & FrameIds)
  | ({ type: 'online'; properties: Buffer; flags: number } & FrameIds)
  /** destinationNode: OfflineV2's, '' when the cluster named none. */
  | ({ type: 'offline'; flags: number; destinationNode: string } & FrameIds)
  | ({ type: 'control' | 'typeControl'; code: number; input: Buffer } & FrameIds)
  | ({ type: 'validate' | 'propertiesChanged'; properties: Buffer } & FrameIds)
  | ({ type: 'close' | 'terminate' | 'cancel' | 'looksAlive' | 'isAlive' | 'heartbeat' } & FrameIds)
  | { type: 'closed'; reason: string };

export interface FrameIds {
  slot: number;
  generation: number;
  request: number;
  /** Set when the frame's payload did not decode. */
  corrupt?: string;
}

/** Frames the host sends to the shim. */
export type HostFrame =
  | { type: 'helloAck'; typeName: string; hostInfo: string }
  | { type: 'result'; slot: number; generation: number; request: number; status: number; output?: Buffer }
  | { type: 'progress'; slot: number; generation: number }
  | { type: 'log'; slot: number; level: 0 | 1 | 2 | 3; message: string }
  | { type: 'heartbeat' };

/**
 * Each frame's payload fields as JavaScript sees them, in wire order: what
 * native/protocol/frame_table.h lists (its JS fields), held to it by test/unit/frame-table.test.ts.
 * `toHost`: frames the shim sends (they reach shimFrame as the addon's a, b, c); `toShim`: frames
 * the host sends (the addon reads them from the HostFrame object by these names).
 */
export const FRAME_FIELDS = {
  toHost: {
    hello: ['typeName', 'resapiVersion', 'manifest'],
    open: ['name', 'properties', 'flags'],
    close: [],
    online: ['properties', 'flags'],
    offline: ['flags', 'destinationNode'],
    terminate: [],
    cancel: [],
    looksAlive: [],
    isAlive: [],
    control: ['code', 'input'],
    typeControl: ['code', 'input'],
    validate: ['properties'],
    propertiesChanged: ['properties'],
    heartbeat: [],
  },
  toShim: {
    helloAck: ['typeName', 'hostInfo'],
    result: ['status', 'output'],
    progress: [],
    log: ['level', 'message'],
    heartbeat: [],
  },
} as const satisfies { toHost: Record<Exclude<ShimFrame['type'], 'closed'>, readonly string[]>; toShim: Record<HostFrame['type'], readonly string[]> };

/** What the addon passes for each frame (native/addon/host/js_frames.h); `shimFrame` builds the object. */
export type RawFrameCallback = (type: string, slot: number, generation: number, request: number, a: unknown, b: unknown,
  c: unknown, corrupt: string | undefined) => void;

const toHostFields: Readonly<Record<string, readonly string[]>> = FRAME_FIELDS.toHost;

/** The ShimFrame behind the addon's positional arguments ('closed' carries its reason in `a`). */
export function shimFrame(type: string, slot: number, generation: number, request: number, a: unknown, b: unknown,
  c: unknown, corrupt: string | undefined): ShimFrame {
  if (type === 'closed') return { type: 'closed', reason: a as string };
  const fields = Object.hasOwn(toHostFields, type) ? toHostFields[type] : undefined;
  // Not a frame the shim sends (the addon has marked it corrupt): only its ids and the reason.
  if (!fields) return { type: 'heartbeat', slot, generation, request, corrupt: corrupt ?? `unexpected ${type} frame` };
  const f: Record<string, unknown> = { type, slot, generation, request };
  if (fields.length > 0) f[fields[0]] = a;
  if (fields.length > 1) f[fields[1]] = b;
  if (fields.length > 2) f[fields[2]] = c;
  if (corrupt !== undefined) f.corrupt = corrupt;
  return f as unknown as ShimFrame;
}

/** A HostEndpoint whose frames arrive as ShimFrame objects; from the host addon unless an addon is
 * given (MockCluster's in-process host hands its endpoint to the mock addon's shim, so it must be
 * that addon's). */
export function openHostEndpoint(onFrame: (frame: ShimFrame) => void, addon: HostBinding = hostAddon()): NativeHostEndpoint {
  return new addon.HostEndpoint((type, slot, generation, request, a, b, c, corrupt) =>
    onFrame(shimFrame(type, slot, generation, request, a, b, c, corrupt)));
}

export interface NativeHostEndpoint {
  send(frame: HostFrame): void;
  /** send({ type: 'result', ... }) without building the object: the hot path of every answer. */
  sendResult(slot: number, generation: number, request: number, status: number, output?: Buffer): void;
  /** Host process: takes over the channel inherited from the shim (WSFC_CHANNEL_FD) and marks it
   * close-on-exec so the handlers' own child processes never get it. */
  /** The inherited channel named by WSFC_CHANNEL_FD (an fd, or "read,write" handles on Windows). */
  attachInherited(value: string): void;
  /** Host process: drop the channel if the shim sends nothing for silenceMs (0: never), and end the
   * process natively if JavaScript has not exited exitGraceMs after the channel closed. */
  superviseShim(silenceMs: number, exitGraceMs: number): void;
  /** Drops the channel like a crashed host; the shim's next launch attaches a new one. */
  disconnect(): void;
  close(): void;
}

export interface MonitorOptions {
  resapiVersion: number;
  polling: boolean;
  looksAliveMs: number;
  isAliveMs: number;
  pendingTimeoutMs: number;
  restart: boolean;
  restartThreshold: number;
  restartPeriodMs: number;
  restartDelayMs: number;
  callLimitMs: number;
  serializeCalls: boolean;
  threads: number;
  /** Tests and benchmarks only: the path of a resource library to load and drive instead of the
   * shim linked into the mock addon (the test-only libraries of native/tests). */
  library?: string;
  /** The copy of the shim this monitor's Startup goes to (one per node of a MockCluster); without
   * it (and without `library`), the process's own. */
  shim?: NativeShimInstance;
}

/** One copy of the resource library, as one RHS process has it (a mock cluster node's). */
export interface NativeShimInstance {
  /** Registers a type whose host is this process; manifestJson is lib/manifest.ts's JSON. */
  registerInProcessType(typeName: string, endpoint: NativeHostEndpoint, deadlines?: ShimDeadlines, manifestJson?: string): void;
  /** Registers a type whose host is a child process, from a type configuration (the JSON of
   * `<library>.json`, validated as Startup would). Returns the type name; throws on a bad config. */
  registerProcessType(configJson: string): string;
  /** The pid of the type's host process; 0 when none runs (or the host is in-process). */
  hostPid(typeName: string): number;
  /** What unloading the library does for the type: joins its threads, ends its host. */
  releaseType(typeName: string): boolean;
}

export interface MonitorEvent {
  at: number;
  resource: string;
  kind: 'call' | 'status' | 'state' | 'log' | 'violation' | 'note';
  name: string;
  durationMs?: number;
  result: number;
  level?: number;
  message?: string;
  /** ResourceControl/ResourceTypeControl calls: the control code. */
  code?: number;
}

export interface CallResult {
  status: number;
  alive: boolean;
  state: string;
  output: Buffer;
  /** open: the resource id; controls: the byte count the library reported. */
  resource: number;
}

export type MonitorOp = 'online' | 'offline' | 'terminate' | 'close' | 'looksAlive' | 'isAlive' | 'control' | 'cancel';

export interface NativeMonitor {
  startType(typeName: string): Promise<CallResult>;
  open(typeName: string, name: string, properties: Buffer, openFlags?: number): Promise<CallResult>;
  call(resource: number, op: MonitorOp, code?: number, input?: Buffer, outputSize?: number, details?: CallDetails): Promise<CallResult>;
  typeControl(typeName: string, code: number, input: Buffer, outputSize: number): Promise<CallResult>;
  state(resource: number): string;
  storedProperties(resource: number): Buffer;
  stop(): Promise<CallResult>;
}

/** What an Online, Offline or Terminate passes beyond the resource (native/monitor/monitor.h CallDetails). */
export interface CallDetails {
  flags?: number;
  destinationNode?: string;
  /** eResourceStateChangeReason (sent only to types that ask for it). */
  reason?: number;
}

export interface ShimDeadlines {
  entryBudgetMs?: number;
  looksAliveMs?: number;
  isAliveMs?: number;
  controlMs?: number;
  terminateAckMs?: number;
}

export interface DecodedFrame {
  status: 'ok' | 'needMore' | 'error';
  consumed?: number;
  type?: string;
  slot?: number;
  generation?: number;
  request?: number;
  payloadLength?: number;
  error?: string;
}

/** The C++ codec's answer (native/protocol/proplist.cc), for holding it to the shared vectors. */
export type NativeDecoded<T> = ({ ok: true } & T) | { ok: false; offset: number; reason: string; detail: string };

/** wsfc-host.node: the host end of the channel. */
export interface HostBinding {
  HostEndpoint: new (onFrame: RawFrameCallback) => NativeHostEndpoint;
}

/** wsfc-mock.node: the host end, the shim and the mock monitor. */
export interface NativeBinding extends HostBinding {
  Monitor: new (options: MonitorOptions, onEvent: (e: MonitorEvent) => void) => NativeMonitor;
  ShimInstance: new () => NativeShimInstance;
  /** What Startup would say about a type configuration: the problem, or the normalized result. */
  checkTypeConfig(configJson: string): string | { typeName: string; manifest: string };
  decodeFrame(bytes: Buffer): DecodedFrame;
  decodePropertyList(bytes: Buffer): NativeDecoded<{ properties: PropertyValue[] }>;
  decodeMultiSz(bytes: Buffer): NativeDecoded<{ strings: string[] }>;
  encodePropertyList(properties: readonly PropertyValue[]): Buffer;
  maxPayload: number;
  nativeHeapBytes(): number;
}

// lib/native.ts (tests) and dist/native.js (package) both sit one level below the root.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const loaded = new Map<AddonName, { addon: unknown; path: string }>();

export type AddonName = 'wsfc-host' | 'wsfc-mock';

/** This machine as prebuilds/ names it: `<platform>-<arch>` (linux-x64, darwin-arm64, ...). */
export function platformName(): string {
  return `${process.platform}-${process.arch}`;
}

/** On Linux, the C library node runs on ('glibc 2.36'; 'not glibc' for musl and others), which the
 * Linux prebuilds need to be glibc; undefined elsewhere. */
export function cLibrary(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ? `glibc ${header.glibcVersionRuntime}` : 'not glibc';
}

/** The prebuild directories the package holds (prebuilds/<name>/), sorted. */
export function packagedPrebuilds(): string[] {
  const dir = join(packageRoot, 'prebuilds');
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
}

/** The directory the addons load from: WSFC_RESOURCE_ADDON_DIR (a build of its own, e.g. the
 * sanitizer builds of scripts/sanitize.sh; host processes the shim starts inherit it, so both ends
 * run it), else the package's prebuilds/<platform>-<arch>/ (`npm run build:prebuild` in a checkout). */
export function addonDirectory(): string {
  return process.env.WSFC_RESOURCE_ADDON_DIR || join(packageRoot, 'prebuilds', platformName());
}

/** The file an addon loads from. */
export function addonPath(name: AddonName): string {
  return join(addonDirectory(), `${name}.node`);
}

/** The file an addon of this process was loaded from; undefined while it is not loaded. */
export function loadedAddonPath(name: AddonName): string | undefined {
  return loaded.get(name)?.path;
}

function loadAddon<T>(name: AddonName): T {
  let entry = loaded.get(name);
  if (!entry) {
    const path = addonPath(name);
    if (!existsSync(path)) {
      const shipped = packagedPrebuilds();
      throw new Error(`no native build of wsfc-resource for ${platformName()}: ${path} does not exist` +
        (process.env.WSFC_RESOURCE_ADDON_DIR ? ' (WSFC_RESOURCE_ADDON_DIR)' : `; the package has prebuilds for ${shipped.join(', ') || 'no platform'}`));
    }
    // The Linux prebuilds link glibc; on musl they would fail with an obscure loader error.
    if (cLibrary() === 'not glibc' && !process.env.WSFC_RESOURCE_ADDON_DIR) {
      throw new Error(`no native build of wsfc-resource for this C library: the ${platformName()} prebuilds need glibc`);
    }
    entry = { addon: createRequire(import.meta.url)(path), path };
    loaded.set(name, entry);
  }
  return entry.addon as T;
}

/** Loads wsfc-host.node once: what a host process needs. */
export function hostAddon(): HostBinding {
  return loadAddon<HostBinding>('wsfc-host');
}

/** Loads wsfc-mock.node once: the shim and the mock monitor, for MockCluster and the tests. */
export function native(): NativeBinding {
  return loadAddon<NativeBinding>('wsfc-mock');
}
