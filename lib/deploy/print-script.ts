// `register --print`: the whole registration as one PowerShell script an administrator can read
// and run on a cluster node: the same checks, copies (robocopy for the application folder),
// configuration writes and cmdlets that `register` performs itself.
import { ADD_TYPE_STATEMENTS, addTypeParameters } from './cluster-scripts.js';
import { PS_PRELUDE, psParameters } from './powershell.js';
import type { RegisterPlan } from './register-plan.js';

const BODY = `# Which nodes: the ones named, or every node of the cluster. All must be up.
if ($null -eq $Nodes) { $Nodes = @(Get-ClusterNode | ForEach-Object { [string]$_.Name }) }
$Down = @(Get-ClusterNode | Where-Object { ($Nodes -contains $_.Name) -and ([string]$_.State -ne 'Up') } | ForEach-Object { [string]$_.Name })
if ($Down.Count -gt 0) { throw ('these nodes are not up: ' + ($Down -join ', ')) }
$Existing = Get-ClusterResourceType | Where-Object { $_.Name -eq $TypeName }
if ($Existing -and ($Existing.DllName -ne $DllPath)) { throw ('the type is registered with DllName ' + $Existing.DllName + '; unregister it first or use its folder') }
function Get-NodePath([string]$Node) {
  if ($Node -eq $env:COMPUTERNAME) { return $InstallDir }
  return '\\\\' + $Node + '\\' + ($InstallDir -replace '^([A-Za-z]):', '$1$')
}

# 1. The application and the DLL on every node. A loaded DLL cannot be overwritten but can be
#    renamed: the old one moves aside and RHS loads the new one on the resources' next start.
$Stamp = [string]$PID + '-' + [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
foreach ($Node in $Nodes) {
  $Dest = Get-NodePath $Node
  New-Item -ItemType Directory -Force -Path $Dest | Out-Null
  $App = Join-Path $Dest $AppDir
  if (-not (Test-Path -LiteralPath $App)) {
    robocopy $AppSource ($App + '.partial-' + $Stamp) /E /XD .git .cache .hg .svn /NFL /NDL /NJH /NJS /NP | Out-Null
    if ($LASTEXITCODE -ge 8) { throw ('copying the application to ' + $Node + ' failed (robocopy ' + $LASTEXITCODE + ')') }
    Rename-Item -LiteralPath ($App + '.partial-' + $Stamp) -NewName $AppDir
  }
  $Dll = Join-Path $Dest $DllName
  if ((Test-Path -LiteralPath $Dll) -and ((Get-FileHash -LiteralPath $Dll).Hash -eq (Get-FileHash -LiteralPath $DllSource).Hash)) { continue }
  Copy-Item -LiteralPath $DllSource -Destination ($Dll + '.incoming-' + $Stamp)
  if (Test-Path -LiteralPath $Dll) { Rename-Item -LiteralPath $Dll -NewName ($DllName + '.replaced-' + $Stamp) }
  Rename-Item -LiteralPath ($Dll + '.incoming-' + $Stamp) -NewName $DllName
}

# 2. The type configuration beside the DLL, written whole and renamed into place.
foreach ($Node in $Nodes) {
  $Path = Join-Path (Get-NodePath $Node) $ConfigName
  [IO.File]::WriteAllText($Path + '.incoming-' + $Stamp, $Config)
  Move-Item -LiteralPath ($Path + '.incoming-' + $Stamp) -Destination $Path -Force
}

# 3. The cluster: add the type unless it exists, set its poll intervals.
${ADD_TYPE_STATEMENTS}
$Online = @(Get-ClusterResource | Where-Object { ($_.ResourceType.Name -eq $TypeName) -and ([string]$_.State -ne 'Offline') } | ForEach-Object { [string]$_.Name })
if ($Online.Count -gt 0) { Write-Output ('restart these resources to run the new version: ' + ($Online -join ', ')) }`;

export function printScript(plan: RegisterPlan): string {
  // Inputs reach the script only as literals in the parameter block, never in comments or code.
  const header = [
    '# wsfc-resource register, as a script: review it, then run it on a cluster node as a cluster',
    '# administrator (powershell.exe -NoProfile -File <this file>).',
  ];
  const params = psParameters({
    ...addTypeParameters(plan.cluster),
    InstallDir: plan.files.installDir,
    DllName: plan.files.dll,
    DllSource: plan.dllSource,
    AppDir: plan.appDir,
    AppSource: plan.app.root,
    ConfigName: plan.files.config,
    Config: plan.configText,
    Nodes: plan.nodes ?? null,
  });
  return [...header, params, PS_PRELUDE, BODY].join('\n') + '\n';
}
