// Who may change the installed files, and the node checks made before anything is copied, as
// PowerShell. RHS loads <Type>.dll as LocalSystem and the host runs the module as LocalSystem, so
// a folder an ordinary user can write lets that user run code as SYSTEM on every node: register
// gives the install folder an ACL of its own (no inheritance), doctor reports any other writer.
import { PS_PRELUDE_NO_CLUSTER, emitResult, psParameters } from './powershell.js';
import { TYPE_FILE_SUFFIX } from './layout.js';

/** Well-known SIDs (learn.microsoft.com, "Well-known SIDs"): LocalSystem, BUILTIN\Administrators,
 * NT SERVICE\TrustedInstaller; and BUILTIN\Users, who get read and execute. */
export const TRUSTED_SIDS = ['S-1-5-18', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'];

// FileSystemRights bits that change a file or folder: WriteData/CreateFiles 0x2,
// AppendData/CreateDirectories 0x4, WriteExtendedAttributes 0x10, DeleteSubdirectoriesAndFiles
// 0x40, WriteAttributes 0x100, Delete 0x10000, ChangePermissions 0x40000, TakeOwnership 0x80000,
// and the generic GENERIC_ALL 0x10000000, GENERIC_WRITE 0x40000000 an ACE may hold unmapped.
const ACCESS_FUNCTIONS = `$Trusted = @(${TRUSTED_SIDS.map((s) => `'${s}'`).join(', ')})
$WriteRights = 0x2 -bor 0x4 -bor 0x10 -bor 0x40 -bor 0x100 -bor 0x10000 -bor 0x40000 -bor 0x80000 -bor 0x10000000 -bor 0x40000000
function Get-AccountName($Sid) {
  try { return $Sid.Translate([Security.Principal.NTAccount]).Value } catch { return $Sid.Value }
}
# The owner of a file or folder and every account other than the trusted ones allowed to change it.
function Get-Access([string]$Path) {
  if (-not (Test-Path -LiteralPath $Path)) { return $null }
  $Acl = Get-Acl -LiteralPath $Path
  $Owner = $Acl.GetOwner([Security.Principal.SecurityIdentifier])
  $Writers = @($Acl.GetAccessRules($true, $true, [Security.Principal.SecurityIdentifier]) | Where-Object {
    ([string]$_.AccessControlType -eq 'Allow') -and
    (([int]$_.PropagationFlags -band 2) -eq 0) -and
    (([int]$_.FileSystemRights -band $WriteRights) -ne 0) -and
    ($Trusted -notcontains $_.IdentityReference.Value)
  } | ForEach-Object { Get-AccountName $_.IdentityReference })
  return @{ owner = (Get-AccountName $Owner); ownerTrusted = ($Trusted -contains $Owner.Value); writers = $Writers }
}`;

/** The names register gives any type's files in an install folder (layout.ts typeFiles), as a
 * .NET regular expression. */
export const TYPE_FILE_PATTERN = `^.+${TYPE_FILE_SUFFIX}`;

/** One node's answer to the checks made before copying. */
export interface NodePreflight {
  node: string;
  /** node.exe's product version (like 22.11.0), or null when the file is missing. */
  nodeVersion: string | null;
  /** The install folder's owner and writers, or null when it does not exist yet. */
  installDir: Access | null;
  /** Up to five names in the install folder that no registered type's files would have: the
   * lock-down would change their ACLs too. */
  foreign: string[];
}
export interface Access {
  owner: string;
  ownerTrusted: boolean;
  writers: string[];
}

/** node.exe's version and the install folder's access, on each node (paths as this machine
 * reaches them: the node's admin share). */
export function preflightScript(nodes: { node: string; nodeExe: string; installDir: string }[]): string {
  return [
    psParameters({ Nodes: nodes.map((n) => n.node), NodeExes: nodes.map((n) => n.nodeExe), InstallDirs: nodes.map((n) => n.installDir), Ours: TYPE_FILE_PATTERN }),
    PS_PRELUDE_NO_CLUSTER,
    ACCESS_FUNCTIONS,
    '$Answers = @(for ($I = 0; $I -lt $Nodes.Count; $I++) {',
    '  $Version = $null',
    '  if (Test-Path -LiteralPath $NodeExes[$I] -PathType Leaf) { $Version = [string][Diagnostics.FileVersionInfo]::GetVersionInfo($NodeExes[$I]).ProductVersion }',
    '  $Foreign = @()',
    '  if (Test-Path -LiteralPath $InstallDirs[$I] -PathType Container) { $Foreign = @(Get-ChildItem -LiteralPath $InstallDirs[$I] -Force | Where-Object { $_.Name -notmatch $Ours } | Select-Object -First 5 | ForEach-Object { $_.Name }) }',
    '  @{ node = $Nodes[$I]; nodeVersion = $Version; installDir = (Get-Access $InstallDirs[$I]); foreign = $Foreign }',
    '})',
    emitResult('@{ nodes = $Answers }'),
  ].join('\n');
}

/** Owner and writers of each path (null for a missing one). */
export function accessScript(paths: string[]): string {
  return [
    psParameters({ Paths: paths }),
    PS_PRELUDE_NO_CLUSTER,
    ACCESS_FUNCTIONS,
    emitResult('@{ paths = @($Paths | ForEach-Object { @{ path = $_; access = (Get-Access $_) } }) }'),
  ].join('\n');
}

/**
 * The statements that lock each folder of `$LockDirs` down, creating it if need be: owned by
 * Administrators (a folder another account owns is refused unless `$TakeOwnership`: its owner
 * could always change the ACL back), Administrators and SYSTEM full control, Users read and
 * execute, nothing inherited from the parent; whatever is already inside inherits from it alone.
 */
export const LOCK_STATEMENTS = `${ACCESS_FUNCTIONS}
$Rules = @(@('S-1-5-32-544', 'FullControl'), @('S-1-5-18', 'FullControl'), @('S-1-5-32-545', 'ReadAndExecute'))
foreach ($LockDir in $LockDirs) {
  [void][IO.Directory]::CreateDirectory($LockDir)
  $Before = Get-Access $LockDir
  if (-not $Before.ownerTrusted) {
    if (-not $TakeOwnership) { throw ($LockDir + ' is owned by ' + $Before.owner + ', not Administrators or SYSTEM; check who put it there, then re-run with --take-ownership') }
    # takeown /A: ownership to the Administrators group, recursively (its /F takes * and ? only,
    # which a Windows path cannot hold).
    takeown.exe /F $LockDir /A /R /D Y | Out-Null
    if ($LASTEXITCODE -ne 0) { throw ('takeown.exe /F ' + $LockDir + ' failed with exit code ' + $LASTEXITCODE) }
  }
  $Sec = New-Object Security.AccessControl.DirectorySecurity
  $Sec.SetAccessRuleProtection($true, $false)
  foreach ($Rule in $Rules) {
    $Sid = New-Object Security.Principal.SecurityIdentifier $Rule[0]
    $Sec.AddAccessRule((New-Object Security.AccessControl.FileSystemAccessRule $Sid, $Rule[1], 'ContainerInherit, ObjectInherit', 'None', 'Allow'))
  }
  Set-Acl -LiteralPath $LockDir -AclObject $Sec
  if (Get-ChildItem -LiteralPath $LockDir -Force | Select-Object -First 1) {
    icacls.exe ($LockDir + '\\*') /reset /T /C /Q | Out-Null
    if ($LASTEXITCODE -ne 0) { throw ('icacls.exe /reset under ' + $LockDir + ' failed with exit code ' + $LASTEXITCODE) }
  }
}`;

export function lockScript(dirs: string[], takeOwnership: boolean): string {
  return [psParameters({ LockDirs: dirs, TakeOwnership: takeOwnership }), PS_PRELUDE_NO_CLUSTER, LOCK_STATEMENTS, emitResult('@{ locked = $LockDirs.Count }')].join('\n');
}

/** Node's major version from a product version such as 22.11.0 (or v22.11.0). */
export function nodeMajor(version: string): number | undefined {
  const m = /^v?(\d+)\./.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}
