// Compact views of a resource's timeline for assertions.
import type { TimelineEvent } from '../../lib/testing/index.js';

export const calls = (events: readonly TimelineEvent[]) =>
  events.filter((e) => e.kind === 'call').map((e) => `${e.name}=${e.result}`);

export const states = (events: readonly TimelineEvent[]) => events.filter((e) => e.kind === 'state').map((e) => e.name);

export const statuses = (events: readonly TimelineEvent[]) =>
  events.filter((e) => e.kind === 'status').map((e) => `${e.name}#${e.result}`);

export const logs = (events: readonly TimelineEvent[]) =>
  events.filter((e) => e.kind === 'log').map((e) => `${e.name}: ${e.message ?? ''}`);

export const callDurations = (events: readonly TimelineEvent[], name: string) =>
  events.filter((e) => e.kind === 'call' && e.name === name).map((e) => e.durationMs ?? Infinity);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until predicate holds; throws with the description after timeoutMs. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
