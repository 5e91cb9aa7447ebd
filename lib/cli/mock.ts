// `wsfc-resource mock <module>`: one resource of the module's type in a mock cluster on this
// machine, polled like RHS would, with the timeline printed as it happens. Ctrl-C takes it
// offline and exits 0.
import { parseArgs } from 'node:util';
import { MockCluster, formatEvent, type TimelineEvent } from '../testing/index.js';
import { inheritedLoaderArgs, loadResourceType } from '../load-module.js';
import { parseProperties } from './set-option.js';
import { UsageError } from './usage.js';

export const mockHelp = `Usage: wsfc-resource mock <module.js> [options]

Runs a mock cluster with the module's resource type: creates one resource, brings it online,
polls LooksAlive/IsAlive like the cluster would, and prints every call, status report, state
change and log line as it happens. Ctrl-C takes the resource offline and exits.

Options:
  --name <name>           resource name (default: <type>-1)
  --set <Prop=value>      a private property (repeatable); parsed by the property's format
  --resapi <v1|v2>        Resource API version (default v2)
  --host <inprocess|process>  run the handlers in this process (default) or in a child host
                          process started by the shim, as on a cluster
  --looks-alive-ms <n>    LooksAlive poll interval (default 5000)
  --is-alive-ms <n>       IsAlive poll interval (default 60000)
  --pending-timeout-ms <n>  PendingTimeout (default 180000)
  --duration-s <n>        stop by itself after n seconds (default: run until Ctrl-C)
  --quiet-polls           do not print successful health checks
  -h, --help              this text
`;

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} expects a positive integer, got '${v}'`);
  return n;
}

export async function runMock(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(mockHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('mock expects exactly one module path');
  if (values.resapi && values.resapi !== 'v1' && values.resapi !== 'v2') throw new UsageError("--resapi is 'v1' or 'v2'");
  if (values.host && values.host !== 'inprocess' && values.host !== 'process') throw new UsageError("--host is 'inprocess' or 'process'");
  const def = await loadResourceType(positionals[0]!, { loader: 'cli' });
  const properties = parseProperties(def.properties, values.set ?? []);
  const quiet = values['quiet-polls'] === true;
  const print = (e: TimelineEvent) => {
    if (quiet && e.kind === 'call' && (e.name === 'LooksAlive' || e.name === 'IsAlive') && e.result === 1) return;
    out(formatEvent(e));
  };
  const hostProcess = values.host === 'process';
  const cluster = await MockCluster.start({
    resapi: (values.resapi as 'v1' | 'v2' | undefined) ?? 'v2',
    ...(hostProcess ? { host: 'process' as const, module: positionals[0]!, hostProcess: { args: inheritedLoaderArgs() } } : {}),
    polling: {
      looksAliveMs: positiveInt(values['looks-alive-ms'], '--looks-alive-ms') ?? 5000,
      isAliveMs: positiveInt(values['is-alive-ms'], '--is-alive-ms') ?? 60000,
    },
    pendingTimeoutMs: positiveInt(values['pending-timeout-ms'], '--pending-timeout-ms') ?? 180000,
    restart: {},
    onEvent: print,
  });
  const name = values.name ?? `${def.name}-1`;
  out(`mock cluster: resource type ${def.name}, resource ${name}, Resource API ${cluster.resapi}` +
      (hostProcess ? `, host process ${cluster.hostPid || '(starting)'}, its output in ${cluster.hostLogFile}` : ''));
  let created: Awaited<ReturnType<typeof cluster.createResource>> | undefined;
  // The monitor's threads do not keep Node's event loop alive between calls; this does, until stop.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping: Promise<number> | undefined;
  const stop = (why: string): Promise<number> =>
    (stopping ??= (async () => {
      try {
        out(`${why}: taking ${name} offline`);
        if (created && created.state !== 'Offline' && created.state !== 'Closed') await created.offline();
        await cluster.stop();
      } finally {
        clearInterval(keepAlive);
      }
      const bad = cluster.violations;
      out(bad.length ? `${bad.length} contract violation(s) recorded` : 'stopped cleanly, no contract violations');
      return bad.length ? 1 : 0;
    })());
  const onSignal = () => void stop('interrupted');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    created = await cluster.createResource(def, name, { properties: properties as never });
    out(`${name} is ${await created.online()}`);
    const seconds = positiveInt(values['duration-s'], '--duration-s');
    if (seconds !== undefined) setTimeout(() => void stop('duration elapsed'), seconds * 1000).unref();
    // Resolves when a signal or the duration ran stop().
    return await new Promise<number>((resolveCode) => {
      const check = setInterval(() => {
        if (!stopping) return;
        clearInterval(check);
        void stopping.then(resolveCode);
      }, 20);
    });
  } catch (err) {
    await stop('error');
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
