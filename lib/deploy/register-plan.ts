// What `register` will put where, worked out and checked against Windows' limits before anything
// is touched: the same plan is printed as PowerShell (--print) or carried out (file copies from
// here, ACL and cluster cmdlets through powershell.exe).
import { readFileSync } from 'node:fs';
import { win32 } from 'node:path';
import type { ResourceTypeManifest } from '../manifest.js';
import { addTypeScript, type AddTypeInputs } from './cluster-scripts.js';
import { readAppPackage, type AppPackage } from './app-package.js';
import { MAX_PATH_CHARS, checkInstallDir, checkWindowsPath, normalInstallDir, typeFiles, type TypeFiles } from './layout.js';
import { commandLineRefusal } from './powershell.js';

export interface RegisterOptions {
  modulePath: string;
  manifest: ResourceTypeManifest;
  /** The wsfcres.dll to deploy (already checked). */
  dllSource: string;
  installDir: string;
  /** node.exe on every node. */
  nodeExe: string;
  displayName?: string;
  looksAliveMs?: number;
  isAliveMs?: number;
  /** undefined: every node of the cluster. */
  nodes?: string[];
  /** The host's log file on every node (default: <install dir>\<Type>.host.log, the shim's). */
  logFile?: string;
  /** Take over an install folder that another account owns. */
  takeOwnership?: boolean;
}

export interface RegisterPlan {
  typeName: string;
  files: TypeFiles;
  app: AppPackage;
  appDir: string;
  dllSource: string;
  /** The DllName the type is registered with. */
  dllPath: string;
  nodeExe: string;
  /** Where the host's output goes on each node. */
  logFile: string;
  takeOwnership: boolean;
  /** The type configuration written beside the DLL on every node. */
  configText: string;
  nodes?: string[];
  cluster: AddTypeInputs;
}

export class PlanError extends Error {}

export function planRegistration(o: RegisterOptions): RegisterPlan {
  const bad = checkInstallDir(o.installDir);
  if (bad) throw new PlanError(bad);
  const installDir = normalInstallDir(o.installDir);
  if (!/\.exe$/i.test(o.nodeExe)) throw new PlanError(`--node must be the path of node.exe on the cluster nodes (like C:\\Program Files\\nodejs\\node.exe), not '${o.nodeExe}'`);
  const badNode = checkWindowsPath(o.nodeExe, '--node');
  if (badNode) throw new PlanError(badNode);
  const files = typeFiles(o.manifest.name, installDir);
  const logFile = o.logFile ?? win32.join(installDir, files.log);
  const badLog = checkWindowsPath(logFile, '--log-file');
  if (badLog) throw new PlanError(badLog);
  const app = readAppPackage(o.modulePath);
  const appDir = files.appDir(app.version);
  const inApp = (rel: string) => win32.join(installDir, appDir, ...rel.split('/'));
  // Every path a node will open, within MAX_PATH (RHS loads the DLL by its DllName; tools such as
  // Explorer cannot handle longer ones either).
  const longest = app.files.map((f) => inApp(f.rel)).reduce((a, b) => (b.length > a.length ? b : a), win32.join(installDir, files.dll));
  if (longest.length > MAX_PATH_CHARS) {
    throw new PlanError(`${longest} would be ${longest.length} characters long, over Windows' MAX_PATH (260); choose a shorter --install-dir or type name`);
  }
  const host: Record<string, string> = { node: o.nodeExe, main: inApp(app.hostMainRel), module: inApp(app.moduleRel) };
  if (o.logFile !== undefined) host.logFile = o.logFile;
  const config = { version: 1, manifest: o.manifest, host };
  readFileSync(o.dllSource); // fails here, not halfway through a deployment
  const cluster: AddTypeInputs = {
    typeName: o.manifest.name,
    displayName: o.displayName ?? o.manifest.name,
    dllPath: win32.join(installDir, files.dll),
    looksAliveMs: o.looksAliveMs ?? null,
    isAliveMs: o.isAliveMs ?? null,
    defaultLooksAliveMs: o.manifest.timeouts.looksAlivePollIntervalMs,
    defaultIsAliveMs: o.manifest.timeouts.isAlivePollIntervalMs,
  };
  const tooLong = commandLineRefusal('Add-ClusterResourceType', addTypeScript(cluster));
  if (tooLong) throw new PlanError(tooLong);
  return {
    typeName: o.manifest.name,
    files,
    app,
    appDir,
    dllSource: o.dllSource,
    dllPath: cluster.dllPath,
    nodeExe: o.nodeExe,
    logFile,
    takeOwnership: o.takeOwnership ?? false,
    configText: `${JSON.stringify(config, null, 2)}\n`,
    nodes: o.nodes,
    cluster,
  };
}
