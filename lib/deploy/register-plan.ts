// What `register` will put where, worked out before anything is touched: the same plan is
// printed as PowerShell (--print) or carried out (file copies from here, cluster cmdlets through
// powershell.exe).
import { readFileSync } from 'node:fs';
import { win32 } from 'node:path';
import type { ResourceTypeManifest } from '../manifest.js';
import type { AddTypeInputs } from './cluster-scripts.js';
import { readAppPackage, type AppPackage } from './app-package.js';
import { checkInstallDir, typeFiles, type TypeFiles } from './layout.js';

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
}

export interface RegisterPlan {
  typeName: string;
  files: TypeFiles;
  app: AppPackage;
  appDir: string;
  dllSource: string;
  /** The DllName the type is registered with. */
  dllPath: string;
  /** The type configuration written beside the DLL on every node. */
  configText: string;
  nodes?: string[];
  cluster: AddTypeInputs;
}

export class PlanError extends Error {}

export function planRegistration(o: RegisterOptions): RegisterPlan {
  const bad = checkInstallDir(o.installDir);
  if (bad) throw new PlanError(bad);
  if (!/^[A-Za-z]:\\/.test(o.nodeExe)) throw new PlanError(`--node must be the absolute path of node.exe on the cluster nodes (like C:\\Program Files\\nodejs\\node.exe), not '${o.nodeExe}'`);
  const files = typeFiles(o.manifest.name, o.installDir);
  const app = readAppPackage(o.modulePath);
  const appDir = files.appDir(app.version);
  const inApp = (rel: string) => win32.join(o.installDir, appDir, ...rel.split('/'));
  const config = { version: 1, manifest: o.manifest, host: { node: o.nodeExe, main: inApp(app.hostMainRel), module: inApp(app.moduleRel) } };
  readFileSync(o.dllSource); // fails here, not halfway through a deployment
  return {
    typeName: o.manifest.name,
    files,
    app,
    appDir,
    dllSource: o.dllSource,
    dllPath: win32.join(o.installDir, files.dll),
    configText: `${JSON.stringify(config, null, 2)}\n`,
    nodes: o.nodes,
    cluster: {
      typeName: o.manifest.name,
      displayName: o.displayName ?? o.manifest.name,
      dllPath: win32.join(o.installDir, files.dll),
      looksAliveMs: o.looksAliveMs ?? null,
      isAliveMs: o.isAliveMs ?? null,
      defaultLooksAliveMs: o.manifest.timeouts.looksAlivePollIntervalMs,
      defaultIsAliveMs: o.manifest.timeouts.isAlivePollIntervalMs,
    },
  };
}
