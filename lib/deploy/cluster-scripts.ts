// The cluster side of register/unregister, as PowerShell (resdll-contract.md §10.2: the
// FailoverClusters cmdlets). Each script takes its inputs in a parameter block of literals and
// answers with one JSON line after RESULT_MARKER.
import { decodeStderr, powerShellMessage } from './clixml.js';
import { POWERSHELL, PS_PRELUDE, emitResult, psParameters, runPowerShell } from './powershell.js';

/** What the query script reports: the nodes, the type if registered, its resources. */
export interface ClusterState {
  computer: string;
  nodes: { name: string; state: string }[];
  type: { dllName: string; looksAlivePollInterval: number; isAlivePollInterval: number } | null;
  resources: { name: string; state: string; ownerNode: string }[];
}

const emit = emitResult;

// Where-Object instead of -Name: Get-ClusterResourceType -Name throws for a missing type, and
// -eq compares the name as data (no wildcard matching of a hostile name).
export const FIND_TYPE = '$Type = Get-ClusterResourceType | Where-Object { $_.Name -eq $TypeName }';
export const FIND_RESOURCES = '$Resources = @(Get-ClusterResource | Where-Object { $_.ResourceType.Name -eq $TypeName })';

export function queryScript(typeName: string): string {
  return [
    psParameters({ TypeName: typeName }),
    PS_PRELUDE,
    FIND_TYPE,
    FIND_RESOURCES,
    '$State = @{',
    '  computer = $env:COMPUTERNAME',
    '  nodes = @(Get-ClusterNode | ForEach-Object { @{ name = [string]$_.Name; state = [string]$_.State } })',
    '  resources = @($Resources | ForEach-Object { @{ name = [string]$_.Name; state = [string]$_.State; ownerNode = [string]$_.OwnerNode } })',
    '  type = $null',
    '}',
    'if ($Type) {',
    '  $State.type = @{ dllName = [string]$Type.DllName; looksAlivePollInterval = [long]$Type.LooksAlivePollInterval; isAlivePollInterval = [long]$Type.IsAlivePollInterval }',
    '}',
    emit('$State'),
  ].join('\n');
}

export interface AddTypeInputs {
  typeName: string;
  displayName: string;
  dllPath: string;
  /** Set when given; null leaves the cluster's value (an upgrade keeps what an administrator set). */
  looksAliveMs: number | null;
  isAliveMs: number | null;
  /** The module's own poll intervals, set when the type is created and no value was given. */
  defaultLooksAliveMs: number;
  defaultIsAliveMs: number;
}

/** The statements that add the type unless it exists and set its poll intervals; they read the
 * variables of addTypeParameters. Re-running them is harmless. */
export const ADD_TYPE_STATEMENTS = [
  FIND_TYPE,
  '$Created = $false',
  'if (-not $Type) {',
  '  Add-ClusterResourceType -Name $TypeName -Dll $DllPath -DisplayName $DisplayName | Out-Null',
  '  $Type = Get-ClusterResourceType | Where-Object { $_.Name -eq $TypeName }',
  '  $Created = $true',
  '  if ($null -eq $LooksAliveMs) { $LooksAliveMs = $DefaultLooksAliveMs }',
  '  if ($null -eq $IsAliveMs) { $IsAliveMs = $DefaultIsAliveMs }',
  '}',
  'if ($null -ne $LooksAliveMs) { $Type.LooksAlivePollInterval = [uint32]$LooksAliveMs }',
  'if ($null -ne $IsAliveMs) { $Type.IsAlivePollInterval = [uint32]$IsAliveMs }',
].join('\n');

export const addTypeParameters = (inputs: AddTypeInputs) => ({
  TypeName: inputs.typeName,
  DisplayName: inputs.displayName,
  DllPath: inputs.dllPath,
  LooksAliveMs: inputs.looksAliveMs,
  IsAliveMs: inputs.isAliveMs,
  DefaultLooksAliveMs: inputs.defaultLooksAliveMs,
  DefaultIsAliveMs: inputs.defaultIsAliveMs,
});

export function addTypeScript(inputs: AddTypeInputs): string {
  return [psParameters(addTypeParameters(inputs)), PS_PRELUDE, ADD_TYPE_STATEMENTS, emit('@{ created = $Created; dllName = [string]$Type.DllName }')].join('\n');
}

/** Removes the type; refuses (exit 3) if a resource of it appeared since the query. */
export function removeTypeScript(typeName: string): string {
  return [
    psParameters({ TypeName: typeName }),
    PS_PRELUDE,
    FIND_TYPE,
    FIND_RESOURCES,
    'if ($Resources.Count -gt 0) { [Console]::Error.WriteLine(\'resources of the type exist: \' + (($Resources | ForEach-Object { $_.Name }) -join \', \')); exit ' + EXIT_RESOURCES_EXIST + ' }',
    '$Removed = $false',
    'if ($Type) { Remove-ClusterResourceType -Name $TypeName -Confirm:$false; $Removed = $true }',
    emit('@{ removed = $Removed }'),
  ].join('\n');
}

export class ClusterCommandError extends Error {
  constructor(message: string, readonly exitCode?: number, readonly details: string[] = []) {
    super(message);
  }
}

/** removeTypeScript's exit code when a resource of the type exists. */
export const EXIT_RESOURCES_EXIST = 3;

/** Runs a script and returns its result line, or throws with what PowerShell said. */
export async function runClusterScript(what: string, script: string): Promise<unknown> {
  const run = await runPowerShell(script);
  if (run.code !== 0 || run.result === undefined) {
    // The error stream arrives as CLIXML; the user reads its first line (the message), and the
    // rest (position, category) is kept for --verbose style reporting.
    const said = powerShellMessage(run.stderr) || run.stdout.trim().split(/\r?\n/).slice(-3).join(' ') || 'no output';
    const streams = decodeStderr(run.stderr);
    throw new ClusterCommandError(`${what} failed (${POWERSHELL} exit code ${run.code}): ${said}`, run.code, streams.errors.join('').split(/\r?\n/).filter((l) => l.trim()));
  }
  return run.result;
}

function isClusterState(v: unknown): v is ClusterState {
  const o = v as ClusterState;
  return typeof o === 'object' && o !== null && typeof o.computer === 'string' && Array.isArray(o.nodes) && Array.isArray(o.resources) &&
    o.nodes.every((n) => typeof n?.name === 'string' && typeof n.state === 'string') &&
    o.resources.every((r) => typeof r?.name === 'string' && typeof r.state === 'string') &&
    (o.type === null || typeof o.type?.dllName === 'string');
}

export async function queryCluster(typeName: string): Promise<ClusterState> {
  const state = await runClusterScript('reading the cluster (Get-ClusterNode, Get-ClusterResourceType, Get-ClusterResource)', queryScript(typeName));
  if (!isClusterState(state)) throw new ClusterCommandError(`reading the cluster gave an answer of an unexpected shape: ${JSON.stringify(state).slice(0, 300)}`);
  return state;
}
