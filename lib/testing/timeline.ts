// The mock monitor's event timeline, as tests read it: the events (bounded, so a long run does not
// grow without end) and one readable line per event.
import { controlCodeName, isUser } from '../clusctl.js';
import type { MonitorEvent } from '../native.js';
import { win32ErrorName } from '../win32.js';

/** A monitor's event; `node` names the node whose monitor it came from (or the cluster event's
 * node) when the cluster's nodes were named (`MockCluster.start({ nodes })`). */
export type TimelineEvent = MonitorEvent & { node?: string };

/** A contract breach the monitor saw (DESIGN §5). */
export interface Violation {
  at: number;
  resource: string;
  kind: string;
  message: string;
  /** The node it happened on, when the cluster's nodes were named. */
  node?: string;
}

export type ResourceState = 'Offline' | 'OnlinePending' | 'Online' | 'OfflinePending' | 'Failed' | 'Closed';

/** How many events a MockCluster keeps by default (the most recent ones). */
export const DEFAULT_TIMELINE_LIMIT = 10_000;

/**
 * The last `limit` events in arrival order, and how many older ones were dropped. A ring buffer:
 * pushing is O(1) and keeps no reference to a dropped event.
 */
export class BoundedTimeline {
  private readonly ring: TimelineEvent[] = [];
  private head = 0;
  private droppedCount = 0;

  constructor(readonly limit: number) {
    if (!(limit === Infinity || (Number.isInteger(limit) && limit > 0))) {
      throw new RangeError(`timelineLimit must be a positive integer or Infinity, got ${limit}`);
    }
  }

  push(e: TimelineEvent): void {
    if (this.ring.length < this.limit) {
      this.ring.push(e);
      return;
    }
    this.ring[this.head] = e;
    this.head = (this.head + 1) % this.ring.length;
    this.droppedCount++;
  }

  /** Events pushed but no longer kept (the oldest ones). */
  get dropped(): number {
    return this.droppedCount;
  }

  get length(): number {
    return this.ring.length;
  }

  /** The kept events, oldest first (a copy). */
  toArray(): TimelineEvent[] {
    return this.head === 0 ? this.ring.slice() : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }
}

export interface FormatOptions {
  /** ANSI colour (see `colorEnabled`). Default false. */
  color?: boolean;
}

// Calls answering BOOL (LooksAlive/IsAlive), a handle (Open), nothing (Close/Terminate); every
// other entry point answers a Win32 code (resapi.h).
const BOOL_CALLS = new Set(['LooksAlive', 'IsAlive']);
const VOID_CALLS = new Set(['Close', 'Terminate']);

/** A control code as the SDK names it (`CLUSCTL_RESOURCE_GET_FLAGS`), a user code in hex. */
export function controlName(code: number): string {
  const known = controlCodeName(code);
  if (known) return `CLUSCTL_${known}`;
  const hex = `0x${(code >>> 0).toString(16).padStart(8, '0')}`;
  return isUser(code >>> 0) ? `user code ${hex}` : hex;
}

function callResult(e: TimelineEvent): string {
  if (BOOL_CALLS.has(e.name)) return e.result ? 'TRUE' : 'FALSE';
  if (e.name === 'Open') return e.result ? 'a resource id' : 'NULL';
  if (VOID_CALLS.has(e.name)) return 'returned';
  const name = win32ErrorName(e.result);
  return name.startsWith('ERROR_') ? name : String(e.result);
}

/** Whether a call's result says it went wrong (for colour only). */
function callFailed(e: TimelineEvent): boolean {
  if (BOOL_CALLS.has(e.name)) return !e.result;
  if (e.name === 'Open') return !e.result;
  if (VOID_CALLS.has(e.name)) return false;
  return e.result !== 0 && e.result !== 997 /* ERROR_IO_PENDING */ && e.result !== 5024 /* PROPERTIES_STORED */;
}

const ANSI = { dim: '2', red: '31', green: '32', yellow: '33', cyan: '36', boldRed: '1;31' } as const;
type Tint = keyof typeof ANSI;

function stateTint(state: string): Tint {
  if (state === 'Online') return 'green';
  if (state === 'Failed') return 'red';
  if (state.endsWith('Pending')) return 'yellow';
  return 'cyan';
}

/** One line per event, for printing a timeline: entry points, control codes and Win32 codes by name. */
export function formatEvent(e: TimelineEvent, options: FormatOptions = {}): string {
  const paint = (tint: Tint, s: string) => (options.color ? `\x1b[${ANSI[tint]}m${s}\x1b[0m` : s);
  const t = paint('dim', `${(e.at / 1000).toFixed(3).padStart(8)}s`);
  const who = (e.node !== undefined ? `${e.node}: ` : '') + (e.resource ? `${e.resource}` : '(type)');
  switch (e.kind) {
    case 'call': {
      const what = (e.code === undefined ? e.name : `${e.name}(${controlName(e.code)})`) + (e.message ? ` ${e.message}` : '');
      const result = paint(callFailed(e) ? 'red' : 'green', callResult(e));
      return `${t} ${who} call  ${what} -> ${result} ${paint('dim', `(${(e.durationMs ?? 0).toFixed(2)} ms)`)}`;
    }
    case 'status':
      return `${t} ${who} status ${paint(stateTint(e.name), e.name)} checkpoint ${e.result}${e.message ? ` (${e.message})` : ''}`;
    case 'state': {
      // A state's result is the status it settled with (Failed: the handler's Win32 code).
      const status = e.result ? ` ${win32ErrorName(e.result)}` : '';
      return `${t} ${who} state ${paint(stateTint(e.name), e.name)}${status}${e.message ? ` (${e.message})` : ''}`;
    }
    case 'log': {
      const tint: Tint | undefined = e.name === 'error' ? 'red' : e.name === 'warn' ? 'yellow' : undefined;
      const level = `[${e.name}]`;
      return `${t} ${who} log   ${tint ? paint(tint, level) : level} ${e.message ?? ''}`;
    }
    case 'violation':
      return `${t} ${who} ${paint('boldRed', `VIOLATION ${e.name}`)}: ${e.message ?? ''}`;
    case 'note':
      return `${t} ${who} note  ${paint('yellow', e.name)}${e.message ? `: ${e.message}` : ''}`;
  }
}

/**
 * Whether to colour output to `stream`: never with NO_COLOR set (no-color.org), always with
 * FORCE_COLOR set to anything but '0'/'false', otherwise on a terminal other than TERM=dumb.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}
