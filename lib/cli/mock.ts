// `wsfc-resource mock <module>`: one resource of the module's type in a mock cluster on this
// machine, polled like RHS would, with the timeline printed as it happens. Every option is checked
// before anything starts. Ctrl-C (or `q` on a terminal, or the reader of a pipe going away) takes
// it offline and exits.
import inspector from 'node:inspector';
import type { ResourceTypeDefinition } from '../define.js';
import { inheritedLoaderArgs, loadResourceType } from '../load-module.js';
import { colorEnabled, formatEvent, MockCluster, type MockResource, type TimelineEvent } from '../testing/index.js';
import { driveWithKeys, KEYS_HELP } from './mock-keys.js';
import { integerOption, oneOf, parseCommandArgs, parseInteger } from './options.js';
import { lineOutput } from './output.js';
import { parsePropertyArgs, PROPERTY_SYNTAX } from './property-args.js';
import { UsageError } from './usage.js';

export const mockHelp = `Usage: wsfc-resource mock <module> [options]

Runs a mock cluster with the module's resource type: creates one resource, brings it online,
polls LooksAlive/IsAlive like the cluster would, and prints every call, status report, state
change and log line as it happens (in colour on a terminal, unless NO_COLOR is set; FORCE_COLOR
forces it). Ctrl-C takes the resource offline and exits; so does closing the output
(\`mock ... | head -3\`).

On a terminal, keys drive the resource:
  o online   f offline   t terminate   k kill the host   s set a property (asks for Prop=value)
  p print the properties   h help   q quit (offline, then exit)

Options:
  --name <name>           resource name (default: <type>-1)
  --set <Prop=value>      a private property (repeatable); parsed by the property's format (below)
  --resapi <v1|v2>        Resource API version (default v2)
  --host <inprocess|process>  run the handlers in this process (default) or in a child host
                          process started by the shim, as on a cluster
  --looks-alive-ms <n>    LooksAlive poll interval, 1..4294967295 (default 5000)
  --is-alive-ms <n>       IsAlive poll interval, 1..4294967295 (default 60000)
  --pending-timeout-ms <n>  PendingTimeout, 1..4294967295 (default 180000)
  --duration-s <n>        stop by itself after n seconds, 1..2147483 (default: until Ctrl-C)
  --quiet-polls           do not print successful health checks
  --inspect[=port]        open the handlers to a debugger on 127.0.0.1 (default port 9229): this
                          process with --host inprocess, the host process with --host process
  -h, --help              this text

Numbers are decimal digits only. ${PROPERTY_SYNTAX}
`;

const MS = { min: 1, max: 0xffffffff };

/** Everything the command line says, checked; nothing has started yet. */
interface MockPlan {
  module: string;
  name?: string;
  sets: string[];
  resapi: 'v1' | 'v2';
  hostProcess: boolean;
  looksAliveMs: number;
  isAliveMs: number;
  pendingTimeoutMs: number;
  durationS?: number;
  quietPolls: boolean;
  inspect?: number;
}

function plan(argv: string[]): MockPlan | 'help' {
  const { values, positionals } = parseCommandArgs('mock', {
    args: argv,
    allowPositionals: true,
    optionalValue: ['inspect'],
    options: {
      name: { type: 'string' },
      set: { type: 'string', multiple: true },
      resapi: { type: 'string' },
      host: { type: 'string' },
      'looks-alive-ms': { type: 'string' },
      'is-alive-ms': { type: 'string' },
      'pending-timeout-ms': { type: 'string' },
      'duration-s': { type: 'string' },
      'quiet-polls': { type: 'boolean' },
      inspect: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(`mock expects exactly one module path, got ${positionals.length}; run 'wsfc-resource mock --help'`);
  if (values.name === '') throw new UsageError('--name is empty');
  return {
    module: positionals[0]!,
    ...(values.name !== undefined ? { name: values.name } : {}),
    sets: values.set ?? [],
    resapi: oneOf(values.resapi, '--resapi', ['v1', 'v2'] as const) ?? 'v2',
    hostProcess: oneOf(values.host, '--host', ['inprocess', 'process'] as const) === 'process',
    looksAliveMs: integerOption(values['looks-alive-ms'], '--looks-alive-ms', MS) ?? 5000,
    isAliveMs: integerOption(values['is-alive-ms'], '--is-alive-ms', MS) ?? 60000,
    pendingTimeoutMs: integerOption(values['pending-timeout-ms'], '--pending-timeout-ms', MS) ?? 180000,
    // setTimeout's limit is 2^31-1 ms.
    ...(values['duration-s'] !== undefined ? { durationS: parseInteger(values['duration-s'], '--duration-s', { min: 1, max: 2147483 }) } : {}),
    quietPolls: values['quiet-polls'] === true,
    ...(values.inspect !== undefined
      ? { inspect: values.inspect === '' ? 9229 : parseInteger(values.inspect, '--inspect', { min: 1024, max: 65535 }) }
      : {}),
  };
}

/** Where mock writes and reads: a test passes `out` only (no keys, no colour). */
export interface MockIo {
  out: (line: string) => void;
  /** A terminal to read keys from. */
  keys?: { input: NodeJS.ReadStream & { setRawMode(mode: boolean): unknown }; output: NodeJS.WriteStream };
  color?: boolean;
  /** Called with a callback to run when the output's reader went away. */
  onOutputClosed?: (stop: () => void) => void;
}

function processIo(): MockIo {
  let onClosed = () => undefined as void;
  const stdout = lineOutput(process.stdout, () => onClosed());
  const stdin = process.stdin;
  return {
    out: stdout.write,
    ...(stdin.isTTY && process.stdout.isTTY ? { keys: { input: stdin, output: process.stdout } } : {}),
    color: colorEnabled(process.stdout),
    onOutputClosed: (stop) => (onClosed = stop),
  };
}

export async function runMock(argv: string[], ioOrOut?: MockIo | ((line: string) => void)): Promise<number> {
  const io: MockIo = typeof ioOrOut === 'function' ? { out: ioOrOut } : (ioOrOut ?? processIo());
  const out = io.out;
  const p = plan(argv);
  if (p === 'help') {
    out(mockHelp);
    return 0;
  }
  const def = await loadResourceType(p.module, { loader: 'cli' });
  const properties = parsePropertyArgs(def.properties, p.sets);
  const name = p.name ?? `${def.name}-1`;

  const print = (e: TimelineEvent) => {
    if (p.quietPolls && e.kind === 'call' && (e.name === 'LooksAlive' || e.name === 'IsAlive') && e.result === 1) return;
    out(formatEvent(e, { color: io.color === true }));
  };
  if (p.inspect !== undefined && !p.hostProcess) {
    inspector.open(p.inspect, '127.0.0.1');
    out(`debugger listening on ${inspector.url()} (this process runs the handlers; attach, then set breakpoints)`);
  }
  const cluster = await MockCluster.start({
    resapi: p.resapi,
    ...(p.hostProcess
      ? { host: 'process' as const, module: p.module, hostProcess: { args: inheritedLoaderArgs(), ...(p.inspect !== undefined ? { inspect: p.inspect } : {}) } }
      : {}),
    polling: { looksAliveMs: p.looksAliveMs, isAliveMs: p.isAliveMs },
    pendingTimeoutMs: p.pendingTimeoutMs,
    restart: {},
    // Printed as they come; the cluster needs only the recent ones (its violations are kept apart).
    timelineLimit: 1000,
    onEvent: print,
  });
  out(`mock cluster: resource type ${def.name}, resource ${name}, Resource API ${cluster.resapi}` +
      (p.hostProcess ? `, host process ${cluster.hostPid || '(starting)'}, its output in ${cluster.hostLogFile}` : ''));
  if (p.hostProcess && p.inspect !== undefined) out(`host process debugger on 127.0.0.1:${p.inspect} (chrome://inspect, or VS Code "Attach")`);

  let created: MockResource | undefined;
  let creating: Promise<unknown> | undefined;
  // The monitor's threads do not keep Node's event loop alive between calls; this does, until stop.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopKeys = () => undefined as void;
  let stopping: Promise<number> | undefined;
  const stop = (why: string): Promise<number> =>
    (stopping ??= (async () => {
      stopKeys();
      try {
        out(`${why}: taking ${name} offline`);
        await creating?.catch(() => undefined);
        if (created && created.state !== 'Offline' && created.state !== 'Closed') await created.offline();
        await cluster.stop();
      } finally {
        clearInterval(keepAlive);
        if (p.inspect !== undefined && !p.hostProcess) inspector.close();
      }
      const bad = cluster.violations;
      out(bad.length ? `${bad.length} contract violation(s) recorded` : 'stopped cleanly, no contract violations');
      return bad.length ? 1 : 0;
    })());
  const onSignal = () => void stop('interrupted');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.onOutputClosed?.(() => void stop('output closed'));
  try {
    const pending = cluster.createResource(def as ResourceTypeDefinition, name, { properties: properties as never });
    creating = pending;
    const res = (created = await pending);
    if (stopping) return await stopping;
    if (io.keys) {
      out(KEYS_HELP);
      stopKeys = driveWithKeys(io.keys.input, io.keys.output, keyActions(cluster, res, def, stop), out);
    }
    if (p.durationS !== undefined) setTimeout(() => void stop('duration elapsed'), p.durationS * 1000).unref();
    const state = await res.online();
    if (!stopping) out(`${name} is ${state}`);
    // Resolves when a signal, a key, the output closing or the duration ran stop().
    return await new Promise<number>((resolveCode) => {
      const check = setInterval(() => {
        if (!stopping) return;
        clearInterval(check);
        void stopping.then(resolveCode);
      }, 20);
    });
  } catch (err) {
    // Stopped already (a signal, the output closing): that is the outcome, not this error.
    if (stopping) return await stopping;
    await stop('error');
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function keyActions(cluster: MockCluster, res: MockResource, def: ResourceTypeDefinition, stop: (why: string) => Promise<number>) {
  return {
    online: async () => `${res.name} is ${await res.online()}`,
    offline: async () => `${res.name} is ${await res.offline()}`,
    terminate: async () => `${res.name} is ${await res.terminate()} (terminated)`,
    killHost: async () => {
      const pid = cluster.killHost();
      return pid ? `killed host process ${pid}` : `dropped the in-process host's channel (as if it crashed)`;
    },
    set: async (assignment: string) => {
      const values = parsePropertyArgs(def.properties, [assignment]);
      try {
        const { restartRequired } = await res.setProperties(values as never);
        return `stored ${Object.keys(values).join(', ')}${restartRequired ? ' (takes effect at the next Online)' : ''}`;
      } catch (err) {
        return `SET refused: ${err instanceof Error ? err.message : String(err)}`;
      }
    },
    properties: async () => {
      const shown = Object.entries(await res.getProperties()).map(([k, v]) => `${k}=${Buffer.isBuffer(v) ? v.toString('hex') : Array.isArray(v) ? v.join(',') : String(v)}`);
      return `${res.name}: ${shown.join(' ') || '(no properties)'}`;
    },
    quit: (why: string) => void stop(why),
  };
}
