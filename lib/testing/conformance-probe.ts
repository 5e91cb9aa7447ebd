// What the conformance battery measures inside the resource: a definition whose handlers are the
// type's own, each timed, and whose Online/Offline report how long they ran on after their
// AbortSignal fired. Reports go out as log lines through res.log (the cluster log), so they reach
// the battery the same way from a host process as from this one.
import type { ResourceHandlers, ResourceLog, ResourceTypeDefinition, OperationContext } from '../define.js';

/** Log lines of the probe start with this; the rest is a ProbeReport as JSON. */
export const PROBE_PREFIX = 'conformance-probe ';
/** An Online/Offline still running this long after its abort is reported as such. */
export const ABORT_REPORT_MS = 1000;

export interface ProbeReport {
  /** The handler: online, offline, looksAlive, isAlive, terminate, close, control:<code>, open. */
  handler: string;
  /** How long it ran (sync, or until its promise settled). */
  ms?: number;
  /** Online/Offline whose signal aborted: how long after the abort it settled. */
  settledAfterAbortMs?: number;
  /** Online/Offline whose signal aborted and which had not settled ABORT_REPORT_MS later. */
  runningAfterAbortMs?: number;
  /** looksAlive/isAlive: what the handler answered (the cluster may have had the shim's cached
   * answer instead, when the handler missed its deadline). */
  value?: unknown;
  /** open: the user control codes the handlers declare. */
  controls?: number[];
}

export function parseProbeLine(message: string | undefined): ProbeReport | undefined {
  if (!message?.startsWith(PROBE_PREFIX)) return undefined;
  try {
    return JSON.parse(message.slice(PROBE_PREFIX.length)) as ProbeReport;
  } catch {
    return undefined;
  }
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Calls fn as the runtime would (sync stays sync), then `done` with its duration. */
function timed<A extends unknown[], R>(fn: (...args: A) => R, self: unknown, args: A, done: (ms: number, value?: unknown) => void): R {
  const t0 = performance.now();
  let result: R;
  try {
    result = fn.apply(self, args);
  } catch (err) {
    done(performance.now() - t0);
    throw err;
  }
  if (!isPromiseLike(result)) {
    done(performance.now() - t0, result);
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      done(performance.now() - t0, value);
      return value;
    },
    (err: unknown) => {
      done(performance.now() - t0);
      throw err;
    },
  ) as R;
}

function instrumentHandlers(h: ResourceHandlers, log: ResourceLog): ResourceHandlers {
  const report = (r: ProbeReport): void => log.info(PROBE_PREFIX + JSON.stringify(r));
  const out: ResourceHandlers = { ...h };
  for (const kind of ['looksAlive', 'isAlive', 'terminate', 'close', 'onPropertiesChanged'] as const) {
    const fn = h[kind] as ((...a: unknown[]) => unknown) | undefined;
    if (!fn) continue;
    const health = kind === 'looksAlive' || kind === 'isAlive';
    (out as Record<string, unknown>)[kind] = (...args: unknown[]) =>
      timed(fn, h, args, (ms, value) => report({ handler: kind, ms: round(ms), ...(health ? { value } : {}) }));
  }
  for (const kind of ['online', 'offline'] as const) {
    const fn = h[kind];
    if (!fn) continue;
    out[kind] = (ctx: OperationContext) => {
      let abortedAt: number | undefined;
      let settled = false;
      let watch: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        abortedAt = performance.now();
        watch = setTimeout(() => {
          if (!settled) report({ handler: kind, runningAfterAbortMs: ABORT_REPORT_MS });
        }, ABORT_REPORT_MS);
        watch.unref();
      };
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
      return timed(fn, h, [ctx], (ms) => {
        settled = true;
        ctx.signal.removeEventListener('abort', onAbort);
        if (abortedAt === undefined) return report({ handler: kind, ms: round(ms) });
        clearTimeout(watch);
        report({ handler: kind, ms: round(ms), settledAfterAbortMs: round(performance.now() - abortedAt) });
      });
    };
  }
  if (h.controls) {
    const controls: Record<number, NonNullable<ResourceHandlers['controls']>[number]> = {};
    for (const [code, fn] of Object.entries(h.controls)) {
      controls[Number(code)] = (input: Buffer) => timed(fn, h.controls, [input], (ms) => report({ handler: `control:${code}`, ms: round(ms) }));
    }
    out.controls = controls;
  }
  return out;
}

/** The type with every handler measured; its manifest is the type's own. */
export function instrument<D extends ResourceTypeDefinition>(def: D): D {
  const open: ResourceTypeDefinition['open'] = (res) => {
    const handlers = def.open(res);
    return isPromiseLike(handlers) ? Promise.resolve(handlers).then((h) => probeOpen(h, res.log)) : probeOpen(handlers, res.log);
  };
  return Object.freeze({ ...def, open }) as D;
}

function probeOpen(h: ResourceHandlers, log: ResourceLog): ResourceHandlers {
  const handlers = h && typeof h === 'object' ? h : {};
  log.info(PROBE_PREFIX + JSON.stringify({ handler: 'open', controls: Object.keys(handlers.controls ?? {}).map(Number) } satisfies ProbeReport));
  return instrumentHandlers(handlers, log);
}
