// `wsfc-resource manifest <module>`: the manifest the module's resource type defines, as JSON —
// what goes into the `manifest` member of the type configuration beside the resource DLL. With
// --config, the whole configuration for this machine (manifest + host command).
import { resolve } from 'node:path';
import { loadResourceType } from '../load-module.js';
import { manifestOf } from '../manifest.js';
import { hostMainPath } from '../package-paths.js';
import { UsageError } from './usage.js';
import { parseCommandArgs } from './options.js';

export const manifestHelp = `Usage: wsfc-resource manifest <module.js> [options]

Prints the manifest of the module's resource type as JSON: name, private-property schema,
characteristics, required dependencies, timeouts.

Options:
  --json                 JSON output (the default and only format)
  --config               print a whole type configuration (<library name>.json) instead: the
                         manifest plus the host command for this machine (this node, this
                         package's host, the module's absolute path)
  --log-file <path>      with --config: where the host's stdout/stderr go
  -h, --help             this text
`;

export async function runManifest(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseCommandArgs('manifest', {
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      config: { type: 'boolean' },
      'log-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(manifestHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('manifest expects exactly one module path');
  if (values['log-file'] !== undefined && !values.config) throw new UsageError('--log-file only goes with --config');
  const modulePath = resolve(positionals[0]!);
  const manifest = manifestOf(await loadResourceType(modulePath, { loader: 'cli' }));
  if (!values.config) {
    out(JSON.stringify(manifest, null, 2));
    return 0;
  }
  const host: Record<string, unknown> = { node: process.execPath, main: hostMainPath(), module: modulePath };
  if (values['log-file'] !== undefined) host.logFile = resolve(values['log-file']);
  out(JSON.stringify({ version: 1, manifest, host }, null, 2));
  return 0;
}
