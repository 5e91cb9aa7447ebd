// `wsfc-resource doctor [<module>]`: checks what a deployment needs, one finding per line with a
// fix. On any OS: Node's version, the native addon for this platform, the resource DLL's PE image
// (read here, in TypeScript), and the module with its manifest as the shim would validate it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { manifestOf } from '../manifest.js';
import { native } from '../native.js';
import { PeFormatError, readPe } from '../pe.js';
import type { ResourceTypeDefinition } from '../define.js';
import { clusterFindings } from './doctor-cluster.js';
import { hostMainPath } from './manifest.js';
import { loadResourceType, UsageError } from './load-module.js';

export type FindingStatus = 'ok' | 'warn' | 'fail' | 'skip';
export interface Finding {
  check: string;
  status: FindingStatus;
  message: string;
  fix?: string;
}

export const doctorHelp = `Usage: wsfc-resource doctor [<module.js>] [--dll <path>] [--cluster] [--json]

Checks a deployment and prints one finding per line, each failing one with what to do:
  node     the Node.js version (>= 20)
  addon    the native addon loads on this platform (a prebuild or a local build)
  dll      the resource DLL is a PE32+ x64 DLL exporting Startup and StartupEx, with the C++
           runtime linked in (default: the package's prebuilds/win32-x64/wsfcres.dll)
  module   the module exports a resource type whose manifest the shim accepts
  cluster  (on Windows, or with --cluster; through powershell.exe) the cluster service answers
           and its nodes are up; the module's type is registered with a DllName register
           installed; every node holds that DLL, a configuration with the module's manifest,
           node.exe and the module

Options: --dll <path> checks another DLL; --json prints the findings as a JSON array.
Exit code: 0 when nothing failed, 1 when something did, 2 on bad usage.
`;

/** The resource DLL this package ships (prebuilds/win32-x64/wsfcres.dll). */
export const packagedDll = () => join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prebuilds', 'win32-x64', 'wsfcres.dll');

/** Why the shim's own configuration check would refuse this manifest, or undefined. */
export function shimRefusal(manifest: ReturnType<typeof manifestOf>, modulePath: string): string | undefined {
  const config = { version: 1, manifest, host: { node: process.execPath, main: hostMainPath(), module: resolve(modulePath) } };
  const verdict = native().checkTypeConfig(JSON.stringify(config));
  return typeof verdict === 'string' ? verdict : undefined;
}
// What a statically linked mingw or MSVC build may import: Windows itself, nothing else.
const RUNTIME_DLLS = /^(libstdc\+\+|libgcc|libwinpthread|vcruntime|msvcp)/i;

export function checkDll(path: string): Finding[] {
  const check = 'dll';
  if (!existsSync(path)) {
    return [{ check, status: 'warn', message: `${path} does not exist`, fix: 'reinstall wsfc-resource (its package ships prebuilds/win32-x64/wsfcres.dll; in a checkout: npm run build:win), or pass --dll <path>' }];
  }
  let pe;
  try {
    pe = readPe(readFileSync(path));
  } catch (err) {
    const why = err instanceof PeFormatError ? err.message : String(err);
    return [{ check, status: 'fail', message: `${path}: ${why}`, fix: 'point --dll at wsfcres.dll from prebuilds/win32-x64' }];
  }
  const out: Finding[] = [];
  if (pe.format !== 'PE32+' || pe.machine !== 0x8664) {
    out.push({ check, status: 'fail', message: `${path} is ${pe.format} for machine 0x${pe.machine.toString(16)}, not PE32+ x64`, fix: 'RHS is 64-bit: use the win32-x64 build' });
  }
  if (!pe.isDll) out.push({ check, status: 'fail', message: `${path} is not a DLL`, fix: 'point --dll at wsfcres.dll' });
  const missing = ['Startup', 'StartupEx'].filter((e) => !pe.exports.includes(e));
  if (missing.length) {
    out.push({ check, status: 'fail', message: `${path} does not export ${missing.join(' and ')}`, fix: 'this is not a resource DLL built from wsfc-resource; use wsfcres.dll' });
  }
  const extra = pe.exports.filter((e) => e !== 'Startup' && e !== 'StartupEx');
  if (extra.length) out.push({ check, status: 'warn', message: `${path} also exports ${extra.join(', ')}` });
  const runtime = pe.imports.filter((d) => RUNTIME_DLLS.test(d));
  if (runtime.length) {
    out.push({ check, status: 'fail', message: `${path} needs ${runtime.join(', ')}, which a cluster node does not have`, fix: 'link the C++ runtime statically (scripts/build-win.sh does)' });
  }
  if (out.length === 0) out.push({ check, status: 'ok', message: `${path}: PE32+ x64 DLL exporting Startup and StartupEx, imports ${pe.imports.join(', ')}` });
  return out;
}

async function checkModule(modulePath: string): Promise<{ findings: Finding[]; def?: ResourceTypeDefinition }> {
  const check = 'module';
  let def;
  try {
    def = await loadResourceType(modulePath);
  } catch (err) {
    return { findings: [{ check, status: 'fail', message: `${modulePath}: ${err instanceof Error ? err.message : String(err)}`, fix: 'export default defineResourceType({...}) from compiled JavaScript' }] };
  }
  const verdict = shimRefusal(manifestOf(def), modulePath);
  if (verdict !== undefined) {
    return { findings: [{ check, status: 'fail', message: `the shim would refuse the manifest of '${def.name}': ${verdict}`, fix: 'fix the definition; wsfc-resource manifest shows what it produces' }] };
  }
  return { def, findings: [{ check, status: 'ok', message: `${modulePath} defines resource type '${def.name}' with ${Object.keys(def.properties).length} private properties; the shim accepts its manifest` }] };
}

/** `cluster`: also ask the cluster (the default on Windows). */
export async function runDoctorChecks(modulePath: string | undefined, dll: string, cluster = process.platform === 'win32'): Promise<Finding[]> {
  const findings: Finding[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  findings.push(major >= 20
    ? { check: 'node', status: 'ok', message: `Node.js ${process.version}` }
    : { check: 'node', status: 'fail', message: `Node.js ${process.version} is too old`, fix: 'install Node.js 20 or later' });
  try {
    native();
    findings.push({ check: 'addon', status: 'ok', message: `the native addon loads on ${process.platform}-${process.arch}` });
  } catch (err) {
    findings.push({ check: 'addon', status: 'fail', message: `no native addon for ${process.platform}-${process.arch}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, fix: 'the package ships prebuilds for linux-x64 (glibc 2.34+) and win32-x64 only; elsewhere build from a checkout of the repository (npm install there compiles the addons: a C++17 compiler and CMake)' });
  }
  findings.push(...checkDll(dll));
  const module = modulePath ? await checkModule(modulePath) : undefined;
  findings.push(...(module?.findings ?? []));
  if (cluster) findings.push(...(await clusterFindings(module?.def)));
  else findings.push({ check: 'cluster', status: 'skip', message: 'the cluster is checked on Windows (or with --cluster)' });
  return findings;
}

export async function runDoctor(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dll: { type: 'string' }, json: { type: 'boolean' }, cluster: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out(doctorHelp);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('doctor takes at most one module path');
  const dll = resolve(values.dll ?? packagedDll());
  const findings = await runDoctorChecks(positionals[0], dll, values.cluster || process.platform === 'win32');
  if (values.json) {
    out(JSON.stringify(findings, null, 2));
  } else {
    for (const f of findings) out(`${f.status.toUpperCase().padEnd(4)} ${f.check.padEnd(7)} ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`);
  }
  return findings.some((f) => f.status === 'fail') ? 1 : 0;
}
