// doctor's cluster checks (on Windows, or anywhere with --cluster): the cluster service answers,
// every node is up, and for a module's type: it is registered, and each node holds its DLL (the
// DllName), a configuration whose manifest is the module's, node.exe and the module.
import { existsSync, readFileSync } from 'node:fs';
import { win32 } from 'node:path';
import type { ResourceTypeDefinition } from '../define.js';
import { queryCluster, type ClusterState } from '../deploy/cluster-scripts.js';
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
  for (const node of state.nodes.filter((n) => n.state === 'Up')) out.push(nodeFinding(node.name, state.computer, dllName, files.config, def));
  return out;
}

function nodeFinding(node: string, computer: string, dllName: string, configName: string, def: ResourceTypeDefinition): Finding {
  const on = (winPath: string) => nodePath(node, winPath, computer);
  const redeploy = `wsfc-resource register <module> (re-run deploys to every node)`;
  if (!existsSync(on(dllName))) return { check, status: 'fail', message: `${node}: ${dllName} is missing`, fix: redeploy };
  const configPath = win32.join(win32.dirname(dllName), configName);
  let config: { manifest?: unknown; host?: { node?: string; module?: string } };
  try {
    config = JSON.parse(readFileSync(on(configPath), 'utf8')) as typeof config;
  } catch (err) {
    return { check, status: 'fail', message: `${node}: ${configPath} is unreadable (${err instanceof Error ? err.message : String(err)})`, fix: redeploy };
  }
  const mismatch = manifestMismatch(JSON.stringify(config.manifest), def);
  if (mismatch) return { check, status: 'fail', message: `${node}: ${mismatch}`, fix: redeploy };
  for (const [what, path] of [['node.exe', config.host?.node], ['the module', config.host?.module]] as const) {
    if (!path || !existsSync(on(path))) return { check, status: 'fail', message: `${node}: ${what} (${path ?? 'not configured'}) is missing`, fix: what === 'node.exe' ? 'install Node.js at the same path on every node, or register with --node' : redeploy };
  }
  return { check, status: 'ok', message: `${node}: DLL, configuration (same manifest), node.exe and module in place` };
}
