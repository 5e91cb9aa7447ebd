// Where a registered type's files live on each node (resdll-contract.md §10.3: every node holds
// the resource DLL at the same path and file name), and how this node reaches another node's copy.
//
//   <install dir>\<Type>.dll         a copy of wsfcres.dll, named for the type (the DllName)
//   <install dir>\<Type>.json        the type configuration the DLL's Startup reads
//   <install dir>\<Type>.app-<hash>\  the module's package, one folder per content version, so an
//                                    upgrade never overwrites files a running host has open
//   <install dir>\<Type>.host.log    the host's output (the shim's default), and .host.log.1,
//                                    the part before the shim's last rotation
import { join, win32 } from 'node:path';

/** Windows path characters a file name cannot hold, and names Windows reserves for devices. */
const UNSAFE_FILE_CHARS = /[<>:"/\\|?*\u0000-\u001f]/g;
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;

/** The type name as a file name: unsafe characters become '_' (the type name itself is kept
 * exactly in the configuration and the cluster). */
export function fileBaseName(typeName: string): string {
  let base = typeName.replace(UNSAFE_FILE_CHARS, '_').replace(/[. ]+$/, '');
  if (base === '' || RESERVED_NAMES.test(base)) base = `_${base}`;
  return base;
}

export interface TypeFiles {
  installDir: string;
  /** The DLL's file name: the DllName the type is registered with ends in it. */
  dll: string;
  config: string;
  log: string;
  /** The folder of one application version. */
  appDir(version: string): string;
  /** Whether a file name in the install directory is one of this type's (current, older, or a
   * temporary copy cut off midway), so that two types may share a directory. */
  owns(name: string): boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What follows the file base name in the name of each of a type's files, temporary copies cut
 * off midway included: a regular expression that means the same in JavaScript and .NET, for the
 * checks here and for the scripts that run on the nodes. */
export const TYPE_FILE_SUFFIX = '\\.(dll|json|host\\.log(\\.1)?|app-[0-9a-f]{12})(\\.(incoming|replaced|partial)-\\d+-\\d+)?$';

export function typeFiles(typeName: string, installDir: string): TypeFiles {
  const base = fileBaseName(typeName);
  const mine = new RegExp(`^${escapeRegExp(base)}${TYPE_FILE_SUFFIX}`);
  return {
    installDir,
    dll: `${base}.dll`,
    config: `${base}.json`,
    log: `${base}.host.log`,
    appDir: (version) => `${base}.app-${version}`,
    owns: (name) => mine.test(name),
  };
}

/** %ProgramFiles%\wsfc-resource\<Type> (C:\Program Files when printing from another OS). */
export function defaultInstallDir(typeName: string, env: NodeJS.ProcessEnv = process.env): string {
  const programFiles = (process.platform === 'win32' && env.ProgramFiles) || 'C:\\Program Files';
  return win32.join(programFiles, 'wsfc-resource', fileBaseName(typeName));
}

// Windows limits (learn.microsoft.com, "Naming Files, Paths, and Namespaces"): a path a
// program opens without the \\?\ prefix, such as the DllName RHS loads, is under MAX_PATH (260
// characters with its terminating NUL); a file name component is at most 255 characters.
export const MAX_PATH_CHARS = 259;
export const MAX_COMPONENT_CHARS = 255;

/** An absolute local Windows path (drive letter): the only kind every node shares by admin share.
 * Returns why not, or undefined. Each component must be a name Windows can create. */
export function checkInstallDir(dir: string): string | undefined {
  return checkWindowsPath(dir, 'the install directory', 20);
}

/** An absolute local Windows path of a file or folder that a name of up to `room` characters
 * goes into (or 0): why not, or undefined. */
export function checkWindowsPath(dir: string, what: string, room = 0): string | undefined {
  const bad = (why: string) => `${what} '${dir}' ${why}`;
  if (!/^[A-Za-z]:\\/.test(dir)) return `${what} must be an absolute local path like C:\\Program Files\\..., not '${dir}'`;
  const parts = dir.slice(3).replace(/\\$/, '').split('\\');
  if (parts.length === 1 && parts[0] === '') return bad('is a drive root; name a folder for the type');
  for (const part of parts) {
    if (part === '') return bad('has an empty component (\\\\)');
    if (part === '.' || part === '..') return bad(`has a '${part}' component; give the folder itself`);
    if (/[<>:"/|?*\u0000-\u001f]/.test(part)) return bad(`has a component '${part}' with a character Windows file names cannot hold (< > : " / | ? * or a control character)`);
    if (/[. ]$/.test(part)) return bad(`has a component '${part}' ending in a dot or space, which Windows drops`);
    if (RESERVED_NAMES.test(part)) return bad(`has a component '${part}', a name Windows reserves for a device`);
    if (part.length > MAX_COMPONENT_CHARS) return bad(`has a component longer than ${MAX_COMPONENT_CHARS} characters`);
  }
  if (dir.length > MAX_PATH_CHARS - room) return bad(`is ${dir.length} characters long; ${room ? 'the paths inside it' : 'it'} must stay under MAX_PATH (260)`);
  return undefined;
}

/** The install directory as register uses it: without a trailing backslash. */
export const normalInstallDir = (dir: string) => dir.replace(/\\+$/, '');

/**
 * How this machine reaches `winPath` on `node`: the path itself on this computer, the node's
 * administrative share (\\NODE\C$\...) elsewhere. WSFC_RESOURCE_SHARE_ROOT replaces the shares
 * with local folders (<root>/<node>/<drive>/...), for tests and for staging on another OS.
 */
export function nodePath(node: string, winPath: string, thisComputer: string, env: NodeJS.ProcessEnv = process.env): string {
  const drive = winPath[0]!.toUpperCase();
  const rest = winPath.slice(3);
  const shareRoot = env.WSFC_RESOURCE_SHARE_ROOT;
  if (shareRoot) return join(shareRoot, node, drive, ...rest.split('\\').filter(Boolean));
  if (node.toLowerCase() === thisComputer.toLowerCase()) return winPath;
  return win32.join(`\\\\${node}\\${drive}$`, rest);
}
