// `wsfc-resource register <module>`: installs the module's resource type on every cluster node
// and registers it with the cluster; re-running it upgrades the files of a registered type.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { addTypeScript, queryCluster, runClusterScript, type ClusterState } from '../deploy/cluster-scripts.js';
import { defaultInstallDir, nodePath } from '../deploy/layout.js';
import { placeApp, placeDll, pruneOld, writeConfig, type PlaceResult } from '../deploy/node-files.js';
import { printScript } from '../deploy/print-script.js';
import { AppPackageError } from '../deploy/app-package.js';
import { PlanError, planRegistration, type RegisterPlan } from '../deploy/register-plan.js';
import { manifestOf } from '../manifest.js';
import { shimRefusal } from '../deploy/config-check.js';
import { checkDll } from '../deploy/dll-check.js';
import { loadResourceType } from '../load-module.js';
import { packagedDll } from '../package-paths.js';
import { parsePollInterval, selectNodes } from './cluster-nodes.js';
import { consoleIo, failed, UsageError, type CliIo } from './usage.js';
import { parseCommandArgs } from './options.js';

export const registerHelp = `Usage: wsfc-resource register <module.js> [options]

Installs the module's resource type on a Windows Server failover cluster: on every node, a copy
of wsfcres.dll named for the type, the type configuration beside it (<Type>.json: manifest and
host command), and the module's package folder (with its node_modules); then
Add-ClusterResourceType and the type's poll intervals. Run it on a cluster node as a cluster
administrator. Re-running it upgrades an installed type; resources that are online keep the old
version until they restart (it says which).

Options:
  --install-dir <dir>    where the files go on every node
                         (default: %ProgramFiles%\\wsfc-resource\\<Type>)
  --node <path>          node.exe on every node (default: the node running this command)
  --display-name <name>  the type's display name (default: the type name)
  --looks-alive-ms <n>   the type's LooksAlivePollInterval (default: the module's, on first
                         registration; an upgrade keeps the cluster's value unless given)
  --is-alive-ms <n>      the type's IsAlivePollInterval (likewise)
  --nodes all|A,B,...    the nodes to deploy to (default: all; each must be up)
  --dll <path>           the resource DLL to deploy (default: this package's
                         prebuilds/win32-x64/wsfcres.dll)
  --print                print the whole job as a PowerShell script instead of doing it (any OS)
  -h, --help             this text

Exit codes: 0 done, 1 failed (what was and was not done is printed), 2 bad usage.
`;

const defaultNodeExe = () => (process.platform === 'win32' ? process.execPath : 'C:\\Program Files\\nodejs\\node.exe');


export async function runRegister(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('register', {
    args: argv,
    allowPositionals: true,
    options: {
      'install-dir': { type: 'string' },
      node: { type: 'string' },
      'display-name': { type: 'string' },
      'looks-alive-ms': { type: 'string' },
      'is-alive-ms': { type: 'string' },
      nodes: { type: 'string' },
      dll: { type: 'string' },
      print: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(registerHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('register expects exactly one module path');
  const looksAliveMs = parsePollInterval('--looks-alive-ms', values['looks-alive-ms']);
  const isAliveMs = parsePollInterval('--is-alive-ms', values['is-alive-ms']);
  const nodes = values.nodes === undefined || values.nodes === 'all' ? undefined : values.nodes.split(',').map((n) => n.trim()).filter(Boolean);
  if (nodes?.length === 0) throw new UsageError('--nodes expects all or a comma-separated list of node names');
  const displayName = values['display-name'];
  if (displayName !== undefined && displayName.trim() === '') throw new UsageError('--display-name cannot be empty');

  const modulePath = resolve(positionals[0]!);
  const manifest = manifestOf(await loadResourceType(modulePath, { loader: 'cli' }));
  const verdict = shimRefusal(manifest, modulePath);
  if (verdict !== undefined) {
    io.err(`wsfc-resource: the shim would refuse the manifest of '${manifest.name}': ${verdict}`);
    return 1;
  }
  const dllSource = resolve(values.dll ?? packagedDll());
  if (!existsSync(dllSource)) {
    io.err(`wsfc-resource: ${dllSource} does not exist (fix: reinstall wsfc-resource, whose package ships it; in a checkout: npm run build:win; or pass --dll <path to wsfcres.dll>)`);
    return 1;
  }
  for (const f of checkDll(dllSource).filter((f) => f.status !== 'ok')) {
    io.err(`wsfc-resource: ${f.status === 'fail' ? '' : 'warning: '}${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`);
    if (f.status === 'fail') return 1;
  }
  let plan: RegisterPlan;
  try {
    plan = planRegistration({
      modulePath,
      manifest,
      dllSource,
      installDir: values['install-dir'] ?? defaultInstallDir(manifest.name),
      nodeExe: values.node ?? defaultNodeExe(),
      displayName,
      looksAliveMs,
      isAliveMs,
      nodes,
    });
  } catch (err) {
    if (err instanceof PlanError) throw new UsageError(err.message);
    if (err instanceof AppPackageError) return failed(io, err, 'nothing was changed');
    throw err;
  }
  if (values.print) {
    io.out(printScript(plan));
    return 0;
  }
  return deploy(plan, io);
}

async function deploy(plan: RegisterPlan, io: CliIo): Promise<number> {
  let state: ClusterState;
  try {
    state = await queryCluster(plan.typeName);
  } catch (err) {
    return failed(io, err, 'nothing was changed');
  }
  const targets = selectNodes(state, plan.nodes);
  if (typeof targets === 'string') return failed(io, new Error(targets), 'nothing was changed');
  if (state.type && state.type.dllName.toLowerCase() !== plan.dllPath.toLowerCase()) {
    return failed(io, new Error(`resource type '${plan.typeName}' is registered with DllName ${state.type.dllName}, not ${plan.dllPath}; pass --install-dir with that DLL's folder to upgrade it, or unregister it first`), 'nothing was changed');
  }

  const bytes = plan.app.files.reduce((n, f) => n + f.size, 0);
  io.out(`application ${plan.app.root}: ${plan.app.files.length} files, ${(bytes / 1048576).toFixed(1)} MB, version ${plan.app.version}`);
  // 1. Application and DLL on every node; the configuration stays as it was until all have them.
  const changed: string[] = [];
  for (const node of targets) {
    const dest = nodePath(node, plan.files.installDir, state.computer);
    try {
      mkdirSync(dest, { recursive: true });
      const app = placeApp(dest, plan.appDir, plan.app.files);
      const dll = placeDll(dest, plan.files.dll, plan.dllSource);
      io.out(`${node}: application ${describe(app)}, ${plan.files.dll} ${describe(dll)} (${dest})`);
      if (app === 'copied' || dll !== 'unchanged') changed.push(node);
    } catch (err) {
      return failed(io, err, `copying to ${node} (${dest}) failed; the type configuration was not changed on any node. Re-run register once ${node} is reachable.`);
    }
  }
  // 2. The configuration, node by node, each written whole.
  const configured: string[] = [];
  for (const node of targets) {
    const dest = nodePath(node, plan.files.installDir, state.computer);
    try {
      if (writeConfig(dest, plan.files.config, plan.configText) && !changed.includes(node)) changed.push(node);
      configured.push(node);
    } catch (err) {
      const done = configured.length ? `the new configuration is on ${configured.join(', ')} only` : 'no node has the new configuration';
      return failed(io, err, `writing ${plan.files.config} on ${node} failed; ${done}. Re-run register.`);
    }
  }
  io.out(`${plan.files.config} written on ${configured.join(', ')}`);
  // 3. The cluster.
  const created = state.type === null;
  try {
    await runClusterScript(
      created ? 'Add-ClusterResourceType' : 'setting the poll intervals',
      addTypeScript(plan.cluster),
    );
  } catch (err) {
    return failed(io, err, `the files are in place on ${targets.join(', ')}, but the cluster was not updated. Re-run register.`);
  }
  const running = state.resources.filter((r) => r.state !== 'Offline');
  for (const node of targets) {
    const left = pruneOld(nodePath(node, plan.files.installDir, state.computer), plan.files, plan.appDir, running.length > 0);
    if (left.length) io.out(`${node}: still in use, left for a later run to remove: ${left.join(', ')}`);
  }
  io.out(created ? `registered resource type '${plan.typeName}' (DllName ${plan.dllPath})` : `resource type '${plan.typeName}' ${changed.length ? 'upgraded' : 'is up to date'}`);
  if (!created && changed.length && running.length) {
    io.out(`these resources keep running the previous version until they restart (Stop-ClusterResource, then Start-ClusterResource): ${running.map((r) => `${r.name} (${r.state} on ${r.ownerNode})`).join(', ')}; earlier application folders stay until a register run finds none running`);
  }
  return 0;
}

function describe(r: PlaceResult): string {
  return { copied: 'copied', present: 'already there', replaced: 'replaced (the old one moved aside)', unchanged: 'unchanged' }[r];
}

