// `wsfc-resource check <module>`: the conformance battery (lib/testing/conformance.ts) on the
// module's resource type, one line per finding; exit 0 only when nothing failed.
import { inheritedLoaderArgs, loadResourceType } from '../load-module.js';
import { runConformance, type ConformanceFinding } from '../testing/conformance.js';
import { oneOf, parseCommandArgs } from './options.js';
import { parsePropertyArgs, PROPERTY_SYNTAX } from './property-args.js';
import { UsageError } from './usage.js';

export const checkHelp = `Usage: wsfc-resource check <module> [--set Prop=value ...] [--host process]

Runs the conformance battery on the module's resource type in a mock cluster, as a cluster would
treat it: the lifecycle on Resource API V1 and V2; Online when Online, Offline when Offline;
LooksAlive/IsAlive when Offline; Terminate during Online, during Offline and when idle, then
Online again; Close without Offline; every declared control code; property SETs at the schema's
min, max, read-only and required properties and through the validate hook; each handler's time
against its deadline (WARN above half of it); host loss and restart; and (on Linux, through /proc)
that no process of the resource runs after Offline, Terminate, Close or host loss.
Prints one line per finding: PASS, WARN, FAIL or SKIP, the check, and why.

Options:
  --set <Prop=value>      a private property every resource starts with (repeatable); the
                          type's required properties need one
  --host <inprocess|process>  run the handlers in this process (default) or in a child host
                          process started by the shim, as on a cluster
  --resapi <v1|v2|both>   the Resource API versions for the lifecycle checks (default both)
  --json                  print the report as JSON
  -h, --help              this text
Exit code: 0 when no finding is FAIL, 1 when one is, 2 on bad usage.

${PROPERTY_SYNTAX}
`;

function line(f: ConformanceFinding): string {
  return `${f.status.padEnd(4)} ${`${f.check}${f.resapi ? ` ${f.resapi}` : ''}`.padEnd(30)} ${f.message}`;
}

export async function runCheck(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', {
    args: argv,
    allowPositionals: true,
    options: {
      set: { type: 'string', multiple: true },
      host: { type: 'string' },
      resapi: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(checkHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`check expects exactly one module path, got ${positionals.length}; run 'wsfc-resource check --help'`);
  const host = oneOf(values.host, '--host', ['inprocess', 'process'] as const) ?? 'inprocess';
  const resapi = oneOf(values.resapi, '--resapi', ['v1', 'v2', 'both'] as const) ?? 'both';
  const modulePath = positionals[0]!;
  const def = await loadResourceType(modulePath, { loader: 'cli' });
  const properties = parsePropertyArgs(def.properties, values.set ?? []);
  if (!values.json) out(`checking resource type ${def.name} from ${modulePath} (host ${host})`);
  const report = await runConformance(host === 'process' ? modulePath : def, {
    host,
    properties,
    hostProcess: { args: inheritedLoaderArgs() },
    ...(resapi === 'both' ? {} : { resapi: [resapi] }),
    ...(values.json ? {} : { onFinding: (f: ConformanceFinding) => out(line(f)) }),
  });
  if (values.json) {
    out(JSON.stringify(report, null, 2));
  } else {
    const count = (s: string) => report.findings.filter((f) => f.status === s).length;
    out(`${count('PASS')} passed, ${count('WARN')} warned, ${count('FAIL')} failed, ${count('SKIP')} skipped in ${(report.durationMs / 1000).toFixed(1)} s` +
        (report.passed ? '' : `; failed: ${[...new Set(report.failures.map((f) => f.check))].join(', ')}`));
  }
  return report.passed ? 0 : 1;
}
