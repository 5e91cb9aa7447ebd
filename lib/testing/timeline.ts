// The mock monitor's event timeline, as tests read it.
import type { MonitorEvent } from '../native.js';

export type TimelineEvent = MonitorEvent;

/** A contract breach the monitor saw (DESIGN §5). */
export interface Violation {
  at: number;
  resource: string;
  kind: string;
  message: string;
}

export type ResourceState = 'Offline' | 'OnlinePending' | 'Online' | 'OfflinePending' | 'Failed' | 'Closed';

/** One line per event, for printing a timeline. */
export function formatEvent(e: TimelineEvent): string {
  const t = `${(e.at / 1000).toFixed(3).padStart(8)}s`;
  const who = e.resource ? `${e.resource}` : '(type)';
  switch (e.kind) {
    case 'call':
      return `${t} ${who} call  ${e.name}${e.message ? ` ${e.message}` : ''} -> ${e.result} (${(e.durationMs ?? 0).toFixed(2)} ms)`;
    case 'status':
      return `${t} ${who} status ${e.name} checkpoint ${e.result}${e.message ? ` (${e.message})` : ''}`;
    case 'state':
      return `${t} ${who} state ${e.name}${e.message ? ` (${e.message})` : ''}`;
    case 'log':
      return `${t} ${who} log   [${e.name}] ${e.message ?? ''}`;
    case 'violation':
      return `${t} ${who} VIOLATION ${e.name}: ${e.message ?? ''}`;
    case 'note':
      return `${t} ${who} note  ${e.name}${e.message ? `: ${e.message}` : ''}`;
  }
}
