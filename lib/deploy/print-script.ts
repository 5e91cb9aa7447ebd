// `register --print` and `unregister --print`: the whole job as one PowerShell script an
// administrator can read and run on a cluster node: the same checks, ACL, copies (robocopy, with
// few retries), configuration writes and cmdlets that the command performs itself. The script is
// pure ASCII (psParameters carries other characters as base64 of UTF-8), so Windows PowerShell
// 5.1, which reads a file without a byte-order mark in the ANSI code page, runs what was printed.
import { ADD_TYPE_STATEMENTS, FIND_RESOURCES, FIND_TYPE, addTypeParameters } from './cluster-scripts.js';
import { LOCK_STATEMENTS } from './access-scripts.js';
import { COMPLETE_MARK } from './node-files.js';
import { PS_PRELUDE, psParameters } from './powershell.js';
import type { RegisterPlan } from './register-plan.js';
import { TYPE_FILE_SUFFIX, type TypeFiles } from './layout.js';

/** The header of a printed script: what it is, its encoding, and the command that runs it. */
function header(what: string, file: string): string[] {
  return [
    `# wsfc-resource ${what}, as a script. Review it, then run it on a cluster node as a cluster`,
    '# administrator, from an elevated prompt. Saved as ' + file + ', the command is:',
    `#   powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${file}`,
    '# This file is pure ASCII: inputs outside ASCII are carried as base64 of their UTF-8 and',
    '# decoded by the script, so it means the same whatever encoding PowerShell reads it in.',
  ];
}

const NODE_PATHS = `# Which nodes: the ones named, or every node of the cluster. All must be up.
if ($null -eq $Nodes) { $Nodes = @(Get-ClusterNode | ForEach-Object { [string]$_.Name }) }
$Down = @(Get-ClusterNode | Where-Object { ($Nodes -contains $_.Name) -and ([string]$_.State -ne 'Up') } | ForEach-Object { [string]$_.Name })
if ($Down.Count -gt 0) { throw ('these nodes are not up: ' + ($Down -join ', ')) }
# A path on a node as this one reaches it: itself here, the node's admin share (\\\\NODE\\C$\\...) elsewhere.
function Get-NodePath([string]$Node, [string]$Path) {
  if ($Node -eq $env:COMPUTERNAME) { return $Path }
  return '\\\\' + $Node + '\\' + $Path.Substring(0, 1) + '$' + $Path.Substring(2)
}`;

const REGISTER_BODY = `${NODE_PATHS}
$Existing = Get-ClusterResourceType | Where-Object { $_.Name -eq $TypeName }
if ($Existing -and ($Existing.DllName -ne $DllPath)) { throw ('the type is registered with DllName ' + $Existing.DllName + '; unregister it first or use its folder') }

# 0. Before any copy: node.exe on every node is Node.js 20 or later.
foreach ($Node in $Nodes) {
  $Exe = Get-NodePath $Node $NodeExe
  if (-not (Test-Path -LiteralPath $Exe -PathType Leaf)) { throw ($Node + ': ' + $NodeExe + ' does not exist; install Node.js 20 or later there at the same path') }
  $Version = [string][Diagnostics.FileVersionInfo]::GetVersionInfo($Exe).ProductVersion
  if (-not ($Version -match '^v?(\\d+)\\.') -or ([int]$Matches[1] -lt 20)) { throw ($Node + ': ' + $NodeExe + ' is Node.js ' + $Version + '; the host needs 20 or later') }
}

# 1. The install folder on every node, locked down before anything goes in.
$LockDirs = @($Nodes | ForEach-Object { Get-NodePath $_ $InstallDir })
${LOCK_STATEMENTS}

# 2. The application and the DLL on every node. The application's files, folder by folder, with
#    robocopy: 2 retries 5 s apart (its default is a million, 30 s apart). A loaded DLL cannot be
#    overwritten but can be renamed: the old one moves aside, RHS loads the new one on the next start.
$Stamp = [string]$PID + '-' + [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
$ByFolder = [ordered]@{}
foreach ($File in $AppFiles) {
  $Cut = $File.LastIndexOf('\\')
  $Folder = if ($Cut -lt 0) { '' } else { '\\' + $File.Substring(0, $Cut) }
  if (-not $ByFolder.Contains($Folder)) { $ByFolder[$Folder] = New-Object Collections.Generic.List[string] }
  $ByFolder[$Folder].Add($File.Substring($Cut + 1))
}
foreach ($Node in $Nodes) {
  $Dest = Get-NodePath $Node $InstallDir
  $App = $Dest + '\\' + $AppDir
  if (-not (Test-Path -LiteralPath ($App + '\\' + $CompleteMark) -PathType Leaf)) {
    $Partial = $App + '.partial-' + $Stamp
    foreach ($Folder in $ByFolder.Keys) {
      $Names = $ByFolder[$Folder]
      for ($I = 0; $I -lt $Names.Count; $I += 100) {
        $Chunk = $Names.GetRange($I, [Math]::Min(100, $Names.Count - $I)).ToArray()
        robocopy ($AppSource + $Folder) ($Partial + $Folder) $Chunk /R:2 /W:5 /NFL /NDL /NJH /NJS /NP | Out-Null
        if ($LASTEXITCODE -ge 16) { throw ('copying the application to ' + $Node + ': robocopy exit code ' + $LASTEXITCODE + ', a fatal error: no access to ' + $AppSource + $Folder + ' or ' + $Partial + $Folder) }
        if ($LASTEXITCODE -ge 8) { throw ('copying the application to ' + $Node + ': robocopy exit code ' + $LASTEXITCODE + ', some files in ' + $AppSource + $Folder + ' could not be copied after 2 retries (in use, access denied, or a path too long)') }
      }
    }
    [IO.File]::WriteAllText($Partial + '\\' + $CompleteMark, '')
    if (Test-Path -LiteralPath $App) { Remove-Item -LiteralPath $App -Recurse -Force }
    Rename-Item -LiteralPath $Partial -NewName $AppDir
  }
  $Dll = $Dest + '\\' + $DllName
  $Same = (Test-Path -LiteralPath $Dll -PathType Leaf) -and ((Get-FileHash -LiteralPath $Dll).Hash -eq (Get-FileHash -LiteralPath $DllSource).Hash)
  if (-not $Same) {
    [IO.File]::Copy($DllSource, $Dll + '.incoming-' + $Stamp)
    if (Test-Path -LiteralPath $Dll) { Rename-Item -LiteralPath $Dll -NewName ($DllName + '.replaced-' + $Stamp) }
    Rename-Item -LiteralPath ($Dll + '.incoming-' + $Stamp) -NewName $DllName
  }
}

# 3. The type configuration beside the DLL, written whole (UTF-8) and put in place in one step.
foreach ($Node in $Nodes) {
  $Path = (Get-NodePath $Node $InstallDir) + '\\' + $ConfigName
  [IO.File]::WriteAllText($Path + '.incoming-' + $Stamp, $Config)
  if (Test-Path -LiteralPath $Path) { [IO.File]::Replace($Path + '.incoming-' + $Stamp, $Path, [NullString]::Value) }
  else { [IO.File]::Move($Path + '.incoming-' + $Stamp, $Path) }
}

# 4. The cluster: add the type unless it exists, set its poll intervals.
${ADD_TYPE_STATEMENTS}
$Online = @(Get-ClusterResource | Where-Object { ($_.ResourceType.Name -eq $TypeName) -and ([string]$_.State -ne 'Offline') } | ForEach-Object { [string]$_.Name })
if ($Online.Count -gt 0) { Write-Output ('restart these resources to run the new version: ' + ($Online -join ', ')) }`;

export interface PrintSources {
  /** The application package folder and the DLL as the machine running the script sees them. */
  appSource: string;
  dllSource: string;
}

export function printScript(plan: RegisterPlan, sources: PrintSources): string {
  // Inputs reach the script only in the parameter block, never in comments or code.
  const params = psParameters({
    ...addTypeParameters(plan.cluster),
    InstallDir: plan.files.installDir,
    DllName: plan.files.dll,
    DllSource: sources.dllSource,
    AppDir: plan.appDir,
    AppSource: sources.appSource.replace(/\\+$/, ''),
    AppFiles: plan.app.files.map((f) => f.rel.split('/').join('\\')),
    CompleteMark: COMPLETE_MARK,
    ConfigName: plan.files.config,
    Config: plan.configText,
    NodeExe: plan.nodeExe,
    TakeOwnership: plan.takeOwnership,
    Nodes: plan.nodes ?? null,
  });
  return [...header('register', 'register.ps1'), params, PS_PRELUDE, REGISTER_BODY].join('\n') + '\n';
}

const UNREGISTER_BODY = `${NODE_PATHS}
${FIND_TYPE}
${FIND_RESOURCES}
if ($Resources.Count -gt 0) { throw ('resources of the type exist, remove them first: ' + (($Resources | ForEach-Object { $_.Name }) -join ', ')) }
if ($Type) {
  $InstallDir = [IO.Path]::GetDirectoryName($Type.DllName)
  if ([IO.Path]::GetFileName($Type.DllName) -ne $DllName) { throw ('the type is registered with DllName ' + $Type.DllName + ', which register did not install; remove it yourself') }
  Remove-ClusterResourceType -Name $TypeName -Confirm:$false
}

# The type's files on every node: its DLL, configuration, log, application folders and copies cut
# off midway; another type's files in the same folder stay.
$Mine = '^' + [regex]::Escape($FileBase) + '${TYPE_FILE_SUFFIX}'
foreach ($Node in $Nodes) {
  $Dest = Get-NodePath $Node $InstallDir
  if (-not (Test-Path -LiteralPath $Dest)) { continue }
  foreach ($Item in @(Get-ChildItem -LiteralPath $Dest -Force | Where-Object { $_.Name -match $Mine })) {
    try { Remove-Item -LiteralPath $Item.FullName -Recurse -Force }
    catch { Write-Output ($Node + ': ' + $Item.Name + ' is still in use; remove it after RHS lets go of it') }
  }
  if (-not (Get-ChildItem -LiteralPath $Dest -Force | Select-Object -First 1)) { Remove-Item -LiteralPath $Dest -Force }
}`;

export function printUnregisterScript(typeName: string, files: TypeFiles, fileBase: string, nodes: string[] | undefined): string {
  const params = psParameters({ TypeName: typeName, InstallDir: files.installDir, DllName: files.dll, FileBase: fileBase, Nodes: nodes ?? null });
  return [...header('unregister', 'unregister.ps1'), params, PS_PRELUDE, UNREGISTER_BODY].join('\n') + '\n';
}
