// `wsfc-resource unregister <type>`: Remove-ClusterResourceType, then the type's files on every
// node (resdll-contract.md §10.4: the cluster does not remove the DLL files itself).
import { win32 } from 'node:path';
import { ClusterCommandError, EXIT_RESOURCES_EXIST, queryCluster, removeTypeScript, runClusterScript, type ClusterState } from '../deploy/cluster-scripts.js';
import { checkInstallDir, defaultInstallDir, fileBaseName, nodePath, normalInstallDir, typeFiles } from '../deploy/layout.js';
import { printUnregisterScript } from '../deploy/print-script.js';
import { removeTypeFiles } from '../deploy/node-files.js';
import { failed, UsageError, type CliIo } from './usage.js';
import { parseCommandArgs } from './options.js';

export const unregisterHelp = `Usage: wsfc-resource unregister <type> [--install-dir <dir>] [--print]

Removes a resource type that register installed: refuses while resources of the type exist
(naming them), otherwise runs Remove-ClusterResourceType and deletes the type's files from every
node that is up (the folder of its DllName). Run it on a cluster node as a cluster administrator.

Options:
  --install-dir <dir>    where to remove files from when the type is no longer registered
                         (default: %ProgramFiles%\\wsfc-resource\\<type>)
  --print                print the job as a PowerShell script (pure ASCII) instead of doing it
  -h, --help             this text

Exit codes: 0 done, 1 failed or refused (with the reason), 2 bad usage.
`;

export async function runUnregister(argv: string[], io: CliIo = { out: console.log, err: console.error }): Promise<number> {
  const { values, positionals } = parseCommandArgs('unregister', {
    args: argv,
    allowPositionals: true,
    options: { 'install-dir': { type: 'string' }, print: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(unregisterHelp);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0]!.trim() === '') throw new UsageError('unregister expects exactly one resource type name');
  const typeName = positionals[0]!;
  if (values.print) {
    const installDir = values['install-dir'] ?? defaultInstallDir(typeName);
    const bad = checkInstallDir(installDir);
    if (bad) throw new UsageError(bad);
    io.out(printUnregisterScript(typeName, typeFiles(typeName, normalInstallDir(installDir)), fileBaseName(typeName), undefined));
    return 0;
  }
  let state: ClusterState;
  try {
    state = await queryCluster(typeName);
  } catch (err) {
    return failed(io, err, 'nothing was changed');
  }
  if (state.resources.length) {
    const list = state.resources.map((r) => `${r.name} (${r.state})`).join(', ');
    return failed(io, new Error(`resource type '${typeName}' still has resources: ${list}`), 'nothing was changed; remove them first (Remove-ClusterResource), then re-run unregister');
  }
  const installDir = state.type ? win32.dirname(state.type.dllName) : (values['install-dir'] ?? defaultInstallDir(typeName));
  const files = typeFiles(typeName, installDir);
  if (state.type && win32.basename(state.type.dllName).toLowerCase() !== files.dll.toLowerCase()) {
    io.err(`wsfc-resource: warning: '${typeName}' is registered with DllName ${state.type.dllName}, which register did not install; its files are left alone`);
  }
  const ours = !state.type || win32.basename(state.type.dllName).toLowerCase() === files.dll.toLowerCase();
  const bad = checkInstallDir(installDir);
  if (ours && bad) throw new UsageError(bad);

  if (state.type) {
    try {
      await runClusterScript('Remove-ClusterResourceType', removeTypeScript(typeName));
    } catch (err) {
      const raced = err instanceof ClusterCommandError && err.exitCode === EXIT_RESOURCES_EXIST;
      return failed(io, err, raced ? 'a resource of the type was created meanwhile; nothing was changed' : 'the type is still registered and its files are in place');
    }
    io.out(`removed resource type '${typeName}' from the cluster`);
  } else {
    io.out(`resource type '${typeName}' is not registered; removing its files from ${installDir}`);
  }
  if (!ours) return 0;
  let status = 0;
  for (const node of state.nodes) {
    const dest = nodePath(node.name, installDir, state.computer);
    if (node.state !== 'Up') {
      io.err(`wsfc-resource: ${node.name} is ${node.state}: remove ${installDir} there once it is back`);
      status = 1;
      continue;
    }
    try {
      const left = removeTypeFiles(dest, files);
      io.out(left.length ? `${node.name}: removed, except what is still in use: ${left.join(', ')} (remove after RHS lets go of it)` : `${node.name}: files removed (${dest})`);
    } catch (err) {
      io.err(`wsfc-resource: ${node.name}: ${err instanceof Error ? err.message : String(err)}`);
      status = 1;
    }
  }
  return status;
}
