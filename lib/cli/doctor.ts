// `wsfc-resource doctor [<module>]`: checks what a deployment needs, one finding per line with a
// fix. On any OS: Node's version, the native addon for this platform, the resource DLL's PE image
// (read here, in TypeScript), and the module with its manifest as the shim would validate it.
import { resolve } from 'node:path';
import { manifestOf } from '../manifest.js';
import { cLibrary, loadedAddonPath, native, packagedPrebuilds, platformName } from '../native.js';
import type { ResourceTypeDefinition } from '../define.js';
import { clusterFindings } from '../deploy/cluster-check.js';
import { shimRefusal } from '../deploy/config-check.js';
import { checkDll } from '../deploy/dll-check.js';
import type { Finding } from '../deploy/finding.js';
import { loadResourceType } from '../load-module.js';
import { packagedDll } from '../package-paths.js';
import { UsageError } from './usage.js';
import { parseCommandArgs } from './options.js';


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
           node.exe and the module; and no account but Administrators and SYSTEM can change
           the install folder, the DLL, the configuration or the application folder (FAIL
           otherwise: they run as LocalSystem)

Options: --dll <path> checks another DLL; --json prints the findings as a JSON array.
Exit code: 0 when nothing failed, 1 when something did, 2 on bad usage.
`;

async function checkModule(modulePath: string): Promise<{ findings: Finding[]; def?: ResourceTypeDefinition }> {
  const check = 'module';
  let def;
  try {
    def = await loadResourceType(modulePath, { loader: 'cli' });
  } catch (err) {
    return { findings: [{ check, status: 'fail', message: `${modulePath}: ${err instanceof Error ? err.message : String(err)}`, fix: 'export default defineResourceType({...}) from the module' }] };
  }
  const verdict = shimRefusal(manifestOf(def), modulePath);
  if (verdict !== undefined) {
    return { findings: [{ check, status: 'fail', message: `the shim would refuse the manifest of '${def.name}': ${verdict}`, fix: 'fix the definition; wsfc-resource manifest shows what it produces' }] };
  }
  return { def, findings: [{ check, status: 'ok', message: `${modulePath} defines resource type '${def.name}' with ${Object.keys(def.properties).length} private properties; the shim accepts its manifest` }] };
}

/** `addon`: this platform (and C library), and the prebuild file the mock addon loaded, or why none did. */
function addonFinding(): Finding {
  const check = 'addon';
  const libc = cLibrary();
  const platform = `${platformName()}${libc ? ` (${libc})` : ''}`;
  try {
    native();
    const source = process.env.WSFC_RESOURCE_ADDON_DIR ? ' (from WSFC_RESOURCE_ADDON_DIR)' : '';
    return { check, status: 'ok', message: `platform ${platform}: the native addon loads from ${loadedAddonPath('wsfc-mock')}${source}` };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const own = process.env.WSFC_RESOURCE_ADDON_DIR;
    if (own) {
      return { check, status: 'fail', message: `platform ${platform}: the addon in WSFC_RESOURCE_ADDON_DIR does not load: ${reason}`, fix: 'build that directory, or unset WSFC_RESOURCE_ADDON_DIR to use the package\'s prebuild' };
    }
    const shipped = packagedPrebuilds();
    const matches = shipped.includes(platformName());
    return {
      check, status: 'fail',
      message: matches ? `platform ${platform}: the prebuild for it does not load: ${reason}` : `platform ${platform}: no prebuild matches it (the package has ${shipped.join(', ') || 'none'}): ${reason}`,
      fix: matches && libc !== 'not glibc'
        ? 'reinstall the package; if it still fails, report the message above'
        : `the package ships prebuilds for ${shipped.join(', ') || 'no platform'}${libc === 'not glibc' ? ' (the Linux ones need glibc)' : ''}; elsewhere build from a checkout of the repository (a C++17 compiler and CMake)`,
    };
  }
}

/** `cluster`: also ask the cluster (the default on Windows). */
export async function runDoctorChecks(modulePath: string | undefined, dll: string, cluster = process.platform === 'win32'): Promise<Finding[]> {
  const findings: Finding[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  findings.push(major >= 20
    ? { check: 'node', status: 'ok', message: `Node.js ${process.version}` }
    : { check: 'node', status: 'fail', message: `Node.js ${process.version} is too old`, fix: 'install Node.js 20 or later' });
  findings.push(addonFinding());
  findings.push(...checkDll(dll));
  const module = modulePath ? await checkModule(modulePath) : undefined;
  findings.push(...(module?.findings ?? []));
  if (cluster) findings.push(...(await clusterFindings(module?.def)));
  else findings.push({ check: 'cluster', status: 'skip', message: 'the cluster is checked on Windows (or with --cluster)' });
  return findings;
}

export async function runDoctor(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseCommandArgs('doctor', {
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
