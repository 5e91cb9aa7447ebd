// `wsfc-resource register <module>`: installs the module's resource type on every cluster node
// and registers it with the cluster; re-running it upgrades the files of a registered type.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { addTypeScript, queryCluster, runClusterScript, type ClusterState } from '../deploy/cluster-scripts.js';
import { checkWindowsPath, defaultInstallDir, nodePath } from '../deploy/layout.js';
import { lockScript, nodeMajor, preflightScript, type NodePreflight } from '../deploy/access-scripts.js';
import { placeApp, placeDll, pruneOld, writeConfig, type PlaceResult } from '../deploy/node-files.js';
import { printScript, type PrintSources } from '../deploy/print-script.js';
import { AppPackageError } from '../deploy/app-package.js';
import { PlanError, planRegistration, type RegisterPlan } from '../deploy/register-plan.js';
import { manifestOf } from '../manifest.js';
import { shimRefusal } from '../deploy/config-check.js';
import { checkDll } from '../deploy/dll-check.js';
import { loadResourceType } from '../load-module.js';
import { packagedDll } from '../package-paths.js';
import { parsePollInterval, selectNodes } from './cluster-nodes.js';
import { copyProgress } from './progress.js';
import { consoleIo, failed, UsageError, type CliIo } from './usage.js';
import { parseCommandArgs } from './options.js';

export const registerHelp = `Usage: wsfc-resource register <module.js> [options]

Installs the module's resource type on a Windows Server failover cluster: on every node, a copy
of wsfcres.dll named for the type, the type configuration beside it (<Type>.json: manifest and
host command), and the application: the module's package files as npm pack selects them, with
its production dependencies (no devDependencies, caches or tests); then Add-ClusterResourceType
and the type's poll intervals. Before copying it checks node.exe (Node.js 20 or later) on every
node, and locks the install folder down: Administrators and SYSTEM full control, everyone else
read and execute, nothing inherited. Run it on a cluster node as a cluster administrator.
Re-running it upgrades an installed type; resources that are online keep the old version until
they restart (it says which).

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
  --log-file <path>      the host's output on every node
                         (default: <install dir>\\<Type>.host.log)
  --take-ownership       take over an install folder that an account other than
                         Administrators or SYSTEM owns (refused otherwise)
  --print                print the whole job as a PowerShell script (pure ASCII) instead of
                         doing it; on another OS than Windows give --app-source and
                         --dll-source: where the script's machine finds the package folder and
                         the DLL
  -h, --help             this text

Exit codes: 0 done, 1 failed (what was and was not done is printed), 2 bad usage.
`;

const defaultNodeExe = () => (process.platform === 'win32' ? process.execPath : 'C:\\Program Files\\nodejs\\node.exe');

/** Above this, register warns: every node gets its own copy over SMB. */
const LARGE_APP_BYTES = 100 * 1024 * 1024;
const MIN_NODE_MAJOR = 20;

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
      'log-file': { type: 'string' },
      'take-ownership': { type: 'boolean' },
      print: { type: 'boolean' },
      'app-source': { type: 'string' },
      'dll-source': { type: 'string' },
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
  const sources = printSources(values.print ?? false, values['app-source'], values['dll-source']);

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
      logFile: values['log-file'],
      takeOwnership: values['take-ownership'],
    });
  } catch (err) {
    if (err instanceof PlanError) throw new UsageError(err.message);
    if (err instanceof AppPackageError) return failed(io, err, 'nothing was changed');
    throw err;
  }
  for (const note of plan.app.notes) io.err(`wsfc-resource: note: ${note}`);
  const size = `${plan.app.files.length} files, ${megabytes(plan.app.bytes)} per node`;
  if (plan.app.bytes > LARGE_APP_BYTES) io.err(`wsfc-resource: warning: the application is ${size}, over ${megabytes(LARGE_APP_BYTES)}: every node gets its own copy (npm ci --omit=dev, or a "files" list in package.json, deploys less)`);
  if (sources) {
    io.out(printScript(plan, sources(plan)));
    return 0;
  }
  io.out(`application ${plan.app.root}: ${size}, version ${plan.app.version}`);
  return deploy(plan, io);
}

/** Where a printed script finds the package folder and the DLL: here on Windows, else given. */
function printSources(print: boolean, appSource: string | undefined, dllSource: string | undefined): ((plan: RegisterPlan) => PrintSources) | undefined {
  if (!print) {
    if (appSource !== undefined || dllSource !== undefined) throw new UsageError('--app-source and --dll-source go with --print');
    return undefined;
  }
  if (process.platform !== 'win32' && (appSource === undefined || dllSource === undefined)) {
    throw new UsageError(`--print on ${process.platform} needs --app-source <dir> and --dll-source <path>: the Windows paths where the machine that runs the script finds this package folder and wsfcres.dll (the script copies from there)`);
  }
  for (const [option, path] of [['--app-source', appSource], ['--dll-source', dllSource]] as const) {
    const bad = path === undefined ? undefined : checkWindowsPath(path.replace(/\\+$/, ''), option);
    if (bad) throw new UsageError(bad);
  }
  return (plan) => ({ appSource: appSource ?? plan.app.root, dllSource: dllSource ?? plan.dllSource });
}

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

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
  const on = (node: string, winPath: string) => nodePath(node, winPath, state.computer);

  // 0. Every node: node.exe is Node.js 20 or later; the install folder, if there, is ours to lock.
  let preflight: NodePreflight[];
  try {
    const answer = await runClusterScript('checking node.exe and the install folder on every node', preflightScript(targets.map((node) => ({ node, nodeExe: on(node, plan.nodeExe), installDir: on(node, plan.files.installDir) }))));
    preflight = (answer as { nodes: NodePreflight[] }).nodes;
  } catch (err) {
    return failed(io, err, 'nothing was changed');
  }
  const refusals = preflight.flatMap((p) => {
    const why: string[] = [];
    const major = p.nodeVersion === null ? undefined : nodeMajor(p.nodeVersion);
    if (p.nodeVersion === null) why.push(`${p.node}: ${plan.nodeExe} does not exist (install Node.js ${MIN_NODE_MAJOR} or later there, at the same path on every node, or pass --node)`);
    else if (major === undefined || major < MIN_NODE_MAJOR) why.push(`${p.node}: ${plan.nodeExe} is Node.js ${p.nodeVersion}; the host needs ${MIN_NODE_MAJOR} or later`);
    if (p.foreign.length) {
      why.push(`${p.node}: ${plan.files.installDir} holds files that are not a resource type's (${p.foreign.join(', ')}); register locks the folder down with everything in it, so give the type a folder of its own (--install-dir)`);
    }
    if (p.installDir && !p.installDir.ownerTrusted && !plan.takeOwnership) {
      why.push(`${p.node}: ${plan.files.installDir} is owned by ${p.installDir.owner}, not Administrators or SYSTEM (check who put it there; --take-ownership takes it over)`);
    }
    return why;
  });
  if (refusals.length) return failed(io, new Error(refusals.join('\n')), 'nothing was changed');

  // 1. The install folder on every node, locked down before anything goes in.
  try {
    await runClusterScript('locking the install folder down (Set-Acl)', lockScript(targets.map((node) => on(node, plan.files.installDir)), plan.takeOwnership));
  } catch (err) {
    return failed(io, err, 'no file was copied; the install folder may have been created on some nodes. Re-run register.');
  }
  io.out(`${plan.files.installDir}: Administrators and SYSTEM full control, everyone else read and execute, not inherited (on ${targets.join(', ')})`);

  // 2. Application and DLL on every node; the configuration stays as it was until all have them.
  const changed: string[] = [];
  for (const node of targets) {
    const dest = on(node, plan.files.installDir);
    try {
      mkdirSync(dest, { recursive: true });
      const progress = copyProgress(node, plan.app.files.length, plan.app.bytes, io);
      const app = placeApp(dest, plan.appDir, plan.app.files, progress.step);
      progress.done();
      const dll = placeDll(dest, plan.files.dll, plan.dllSource);
      io.out(`${node}: application ${describe(app)}, ${plan.files.dll} ${describe(dll)} (${dest})`);
      if (app === 'copied' || dll !== 'unchanged') changed.push(node);
    } catch (err) {
      return failed(io, err, `copying to ${node} (${dest}) failed; the type configuration was not changed on any node. Re-run register once ${node} is reachable.`);
    }
  }
  // 3. The configuration, node by node, each written whole.
  const configured: string[] = [];
  for (const node of targets) {
    const dest = on(node, plan.files.installDir);
    try {
      if (writeConfig(dest, plan.files.config, plan.configText) && !changed.includes(node)) changed.push(node);
      configured.push(node);
    } catch (err) {
      const done = configured.length ? `the new configuration is on ${configured.join(', ')} only` : 'no node has the new configuration';
      return failed(io, err, `writing ${plan.files.config} on ${node} failed; ${done}. Re-run register.`);
    }
  }
  io.out(`${plan.files.config} written on ${configured.join(', ')}; the host's output goes to ${plan.logFile}`);
  // 4. The cluster.
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
    const left = pruneOld(on(node, plan.files.installDir), plan.files, plan.appDir, running.length > 0);
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

