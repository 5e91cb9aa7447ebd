// doctor's cluster checks (on Windows, or anywhere with --cluster): the cluster service answers,
// every node is up, and for a module's type: it is registered, and each node holds its DLL (the
// DllName), a configuration whose manifest is the module's, node.exe and the module; and no one but
// Administrators and SYSTEM can change the install folder, the DLL, the configuration or the
// application folder (RHS loads the DLL and the host runs the module as LocalSystem).
import { existsSync, readFileSync } from 'node:fs';
import { win32 } from 'node:path';
import type { ResourceTypeDefinition } from '../define.js';
import { accessScript, type Access } from './access-scripts.js';
import { queryCluster, runClusterScript, type ClusterState } from '../deploy/cluster-scripts.js';
import { nodePath, typeFiles } from '../deploy/layout.js';
import { manifestMismatch } from '../manifest.js';
import type { Finding } from './finding.js';

const check = 'cluster';

export async function clusterFindings(def: ResourceTypeDefinition | undefined): Promise<Finding[]> {
  let state: ClusterState;
  try {
    state = await queryCluster(def?.name ?? '');
  } catch (err) {
    const said = (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 3).join(' ');
    return [{ check, status: 'fail', message: `the cluster does not answer: ${said}`, fix: 'run on a cluster node as a cluster administrator; the Cluster service (ClusSvc) must be running' }];
  }
  const out: Finding[] = [];
  const down = state.nodes.filter((n) => n.state !== 'Up');
  out.push({
    check,
    status: down.length ? 'warn' : 'ok',
    message: `cluster nodes: ${state.nodes.map((n) => `${n.name} (${n.state})`).join(', ')}`,
    ...(down.length ? { fix: 'files cannot be checked or deployed on a node that is not up' } : {}),
  });
  if (!def) return out;
  if (!state.type) {
    out.push({ check, status: 'fail', message: `resource type '${def.name}' is not registered`, fix: `wsfc-resource register <module>` });
    return out;
  }
  const dllName = state.type.dllName;
  const files = typeFiles(def.name, win32.dirname(dllName));
  if (win32.basename(dllName).toLowerCase() !== files.dll.toLowerCase()) {
    out.push({ check, status: 'fail', message: `'${def.name}' is registered with DllName ${dllName}, which register did not install`, fix: 'unregister the type and register it with wsfc-resource register' });
    return out;
  }
  out.push({ check, status: 'ok', message: `'${def.name}' is registered with DllName ${dllName}` });
  const up = state.nodes.filter((n) => n.state === 'Up').map((n) => n.name);
  const guarded: { node: string; path: string; reached: string }[] = [];
  for (const node of up) {
    const { finding, appDir } = nodeFinding(node, state.computer, dllName, files.config, def);
    out.push(finding);
    const installDir = win32.dirname(dllName);
    for (const path of [installDir, dllName, win32.join(installDir, files.config), ...(appDir ? [appDir] : [])]) {
      guarded.push({ node, path, reached: nodePath(node, path, state.computer) });
    }
  }
  if (guarded.length) out.push(...(await accessFindings(guarded)));
  return out;
}

/** FAIL for each installed file or folder someone other than Administrators and SYSTEM can
 * change or owns. */
async function accessFindings(guarded: { node: string; path: string; reached: string }[]): Promise<Finding[]> {
  let answers: { path: string; access: Access | null }[];
  try {
    answers = ((await runClusterScript('reading the ACLs of the installed files (Get-Acl)', accessScript(guarded.map((g) => g.reached)))) as { paths: typeof answers }).paths;
  } catch (err) {
    return [{ check, status: 'fail', message: `who may change the installed files is unknown: ${err instanceof Error ? err.message : String(err)}`, fix: 'run doctor as a cluster administrator' }];
  }
  const fix = 're-run wsfc-resource register, which locks the install folder down (Administrators and SYSTEM full control, everyone else read and execute, not inherited)';
  const out: Finding[] = [];
  for (const node of [...new Set(guarded.map((g) => g.node))]) {
    const bad: string[] = [];
    guarded.forEach((g, i) => {
      const access = answers[i]?.access;
      if (g.node !== node || !access) return;
      if (access.writers.length) bad.push(`${g.path} can be changed by ${access.writers.join(', ')}`);
      if (!access.ownerTrusted) bad.push(`${g.path} is owned by ${access.owner}`);
    });
    out.push(bad.length
      ? { check, status: 'fail', message: `${node}: ${bad.join('; ')}: code there runs as LocalSystem`, fix }
      : { check, status: 'ok', message: `${node}: only Administrators and SYSTEM can change the DLL, configuration and application` });
  }
  return out;
}

/** The node's files against the module, and the application folder its configuration names. */
function nodeFinding(node: string, computer: string, dllName: string, configName: string, def: ResourceTypeDefinition): { finding: Finding; appDir?: string } {
  const on = (winPath: string) => nodePath(node, winPath, computer);
  const redeploy = `wsfc-resource register <module> (re-run deploys to every node)`;
  if (!existsSync(on(dllName))) return { finding: { check, status: 'fail', message: `${node}: ${dllName} is missing`, fix: redeploy } };
  const configPath = win32.join(win32.dirname(dllName), configName);
  let config: { manifest?: unknown; host?: { node?: string; module?: string } };
  try {
    config = JSON.parse(readFileSync(on(configPath), 'utf8')) as typeof config;
  } catch (err) {
    return { finding: { check, status: 'fail', message: `${node}: ${configPath} is unreadable (${err instanceof Error ? err.message : String(err)})`, fix: redeploy } };
  }
  // The application folder: the install folder's child that holds the module.
  const installDir = win32.dirname(dllName);
  const module = config.host?.module;
  const appDir = module && module.toLowerCase().startsWith(`${installDir.toLowerCase()}\\`) ? win32.join(installDir, module.slice(installDir.length + 1).split('\\')[0]!) : undefined;
  const mismatch = manifestMismatch(JSON.stringify(config.manifest), def);
  if (mismatch) return { appDir, finding: { check, status: 'fail', message: `${node}: ${mismatch}`, fix: redeploy } };
  for (const [what, path] of [['node.exe', config.host?.node], ['the module', config.host?.module]] as const) {
    if (!path || !existsSync(on(path))) return { appDir, finding: { check, status: 'fail', message: `${node}: ${what} (${path ?? 'not configured'}) is missing`, fix: what === 'node.exe' ? 'install Node.js at the same path on every node, or register with --node' : redeploy } };
  }
  return { appDir, finding: { check, status: 'ok', message: `${node}: DLL, configuration (same manifest), node.exe and module in place` } };
}
