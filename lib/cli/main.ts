#!/usr/bin/env node
// The wsfc-resource command line.
import { checkHelp, runCheck } from './check.js';
import { doctorHelp, runDoctor } from './doctor.js';
import { initHelp, runInit } from './init.js';
import { runManifest, manifestHelp } from './manifest.js';
import { runMock, mockHelp } from './mock.js';
import { registerHelp, runRegister } from './register.js';
import { runUnregister, unregisterHelp } from './unregister.js';
import { ModuleLoadError } from '../load-module.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-paths.js';
import { nearest } from './options.js';
import { UsageError } from './usage.js';

const help = `Usage: wsfc-resource <command> [options]

Commands:
  init [dir]            write a new resource type project (package.json, src/, test/) that
                        passes npm install && npm test as it is
  check <module>        run the conformance battery on the module's resource type
  mock <module.js>      run a mock cluster with the module's resource type (Ctrl-C to stop)
  manifest <module.js>  print the module's resource type manifest (JSON); --config for the
                        whole <library name>.json type configuration
  doctor [<module.js>]  check Node, the addon, the resource DLL and the module; one line each
  register <module.js>  install the module's resource type on every cluster node and register
                        it (--print: show the PowerShell instead)
  unregister <type>     remove a registered type and its files from every node
A module is JavaScript, or TypeScript (.ts/.mts) on Node.js 22.18+ or with a loader
(NODE_OPTIONS='--import tsx').
Run 'wsfc-resource <command> --help' for a command's options, 'wsfc-resource --version' for the
version.
`;

const commands = ['init', 'check', 'mock', 'manifest', 'doctor', 'register', 'unregister', 'help'];

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case '-v':
    case '--version':
      console.log(version());
      return 0;
    case 'init':
      return runInit(rest);
    case 'check':
      return runCheck(rest);
    case 'mock':
      return runMock(rest);
    case 'manifest':
      return runManifest(rest);
    case 'doctor':
      return runDoctor(rest);
    case 'register':
      return runRegister(rest);
    case 'unregister':
      return runUnregister(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      const topics: Record<string, string> = { init: initHelp, check: checkHelp, mock: mockHelp, manifest: manifestHelp, doctor: doctorHelp, register: registerHelp, unregister: unregisterHelp };
      console.log(command === undefined ? help : (topics[rest[0] ?? ''] ?? help));
      return command === undefined ? 2 : 0;
    default: {
      const guess = command.startsWith('-') ? nearest(command.replace(/^-+/, ''), ['help', 'version']) : nearest(command, commands);
      const what = command.startsWith('-') ? 'option' : 'command';
      throw new UsageError(`unknown ${what} '${command}'${guess ? ` (did you mean ${command.startsWith('-') ? '--' : ''}${guess}?)` : ''}`);
    }
  }
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ModuleLoadError || (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      // A command's own usage errors name its --help already.
      const command = commands.includes(argv[0] ?? '') && argv[0] !== 'help' ? `${argv[0]} ` : '';
      console.error(`wsfc-resource: ${err.message}${/--help/.test(err.message) ? '' : `\n(run 'wsfc-resource ${command}--help')`}`);
      process.exit(2);
    }
    console.error(`wsfc-resource: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
