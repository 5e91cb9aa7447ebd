// The native addon's surface, declared in one place (the frames are built by native/addon/js_frames.cc).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PropertyValue } from './proplist.js';

/** Frames the shim sends to the host. */
export type ShimFrame =
  | ({ type: 'hello'; typeName: string; resapiVersion: number; manifest: string } & FrameIds)
  | ({ type: 'open'; name: string; properties: Buffer } & FrameIds)
  | ({ type: 'online'; properties: Buffer; flags: number } & FrameIds)
  | ({ type: 'offline'; flags: number } & FrameIds)
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

/** What the addon passes for each frame (native/addon/js_frames.h); `shimFrame` builds the object. */
export type RawFrameCallback = (type: string, slot: number, generation: number, request: number, a: unknown, b: unknown,
  c: unknown, corrupt: string | undefined) => void;

/** The ShimFrame behind the addon's positional arguments ('closed' carries its reason in `a`). */
export function shimFrame(type: string, slot: number, generation: number, request: number, a: unknown, b: unknown,
  c: unknown, corrupt: string | undefined): ShimFrame {
  let f: ShimFrame;
  switch (type) {
    case 'closed':
      return { type: 'closed', reason: a as string };
    case 'looksAlive':
    case 'isAlive':
    case 'terminate':
    case 'close':
    case 'cancel':
    case 'heartbeat':
      f = { type, slot, generation, request };
      break;
    case 'hello':
      f = { type, slot, generation, request, typeName: a as string, resapiVersion: b as number, manifest: c as string };
      break;
    case 'open':
      f = { type, slot, generation, request, name: a as string, properties: b as Buffer };
      break;
    case 'online':
      f = { type, slot, generation, request, properties: a as Buffer, flags: b as number };
      break;
    case 'offline':
      f = { type, slot, generation, request, flags: a as number };
      break;
    case 'control':
    case 'typeControl':
      f = { type, slot, generation, request, code: a as number, input: b as Buffer };
      break;
    case 'validate':
    case 'propertiesChanged':
      f = { type, slot, generation, request, properties: a as Buffer };
      break;
    default:
      // Not a frame the shim sends (the addon has marked it corrupt): only its ids and the reason.
      f = { type: 'heartbeat', slot, generation, request, corrupt: corrupt ?? `unexpected ${type} frame` };
  }
  if (corrupt !== undefined) f.corrupt = corrupt;
  return f;
}

/** A HostEndpoint whose frames arrive as ShimFrame objects. */
export function openHostEndpoint(onFrame: (frame: ShimFrame) => void): NativeHostEndpoint {
  return new (native().HostEndpoint)((type, slot, generation, request, a, b, c, corrupt) =>
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
  /** Tests only: drive the deliberately bad library instead of the shim. */
  library?: 'shim' | 'contract-breaker' | 'baseline';
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
  open(typeName: string, name: string, properties: Buffer): Promise<CallResult>;
  call(resource: number, op: MonitorOp, code?: number, input?: Buffer, outputSize?: number): Promise<CallResult>;
  typeControl(typeName: string, code: number, input: Buffer, outputSize: number): Promise<CallResult>;
  state(resource: number): string;
  storedProperties(resource: number): Buffer;
  stop(): Promise<CallResult>;
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

export interface NativeBinding {
  HostEndpoint: new (onFrame: RawFrameCallback) => NativeHostEndpoint;
  Monitor: new (options: MonitorOptions, onEvent: (e: MonitorEvent) => void) => NativeMonitor;
  /** Registers a type whose host is this process; manifestJson is lib/manifest.ts's JSON. */
  registerInProcessType(typeName: string, endpoint: NativeHostEndpoint, deadlines?: ShimDeadlines, manifestJson?: string): void;
  /** Registers a type whose host is a child process, from a type configuration (the JSON of
   * `<library>.json`, validated as Startup would). Returns the type name; throws on a bad config. */
  registerProcessType(configJson: string): string;
  /** What Startup would say about a type configuration: the problem, or the normalized result. */
  checkTypeConfig(configJson: string): string | { typeName: string; manifest: string };
  /** The pid of the type's host process; 0 when none runs (or the host is in-process). */
  hostPid(typeName: string): number;
  releaseType(typeName: string): boolean;
  decodeFrame(bytes: Buffer): DecodedFrame;
  decodePropertyList(bytes: Buffer): NativeDecoded<{ properties: PropertyValue[] }>;
  decodeMultiSz(bytes: Buffer): NativeDecoded<{ strings: string[] }>;
  encodePropertyList(properties: readonly PropertyValue[]): Buffer;
  maxPayload: number;
  nativeHeapBytes(): number;
}

let binding: NativeBinding | undefined;

/** Loads wsfc_bridge.node (a prebuild, or the local node-gyp build, or WSFC_RESOURCE_ADDON) once. */
export function native(): NativeBinding {
  if (!binding) {
    const require = createRequire(import.meta.url);
    // A specific build, e.g. the sanitizer build of scripts/sanitize.sh; inherited by host
    // processes the shim starts, so both ends run it.
    const override = process.env.WSFC_RESOURCE_ADDON;
    if (override) {
      binding = require(override) as NativeBinding;
    } else {
      const load = require('node-gyp-build') as (dir: string) => NativeBinding;
      // lib/native.ts (tests) and dist/native.js (package) both sit one level below the root.
      binding = load(join(dirname(fileURLToPath(import.meta.url)), '..'));
    }
  }
  return binding;
}
