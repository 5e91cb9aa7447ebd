// The user's application as deployed: the package folder that holds the module (the nearest
// package.json above it), with its node_modules, which must include wsfc-resource itself (the
// host entry point and the win32 addon come from there).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

export interface AppFile {
  /** Path inside the package, '/'-separated. */
  rel: string;
  abs: string;
  size: number;
}

export interface AppPackage {
  root: string;
  files: AppFile[];
  /** Short content hash: the name of the folder this version lives in on each node. */
  version: string;
  /** Inside the package, '/'-separated. */
  moduleRel: string;
  hostMainRel: string;
}

// Never deployed: version control and tool caches.
const SKIPPED_DIRS = new Set(['.git', '.cache', '.hg', '.svn']);

export class AppPackageError extends Error {}

export function findPackageRoot(modulePath: string): string {
  for (let dir = dirname(modulePath); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new AppPackageError(`no package.json above ${modulePath}; register deploys the package that holds the module (npm init there)`);
  }
}

function toRel(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

function listFiles(root: string): AppFile[] {
  const out: AppFile[] = [];
  const walk = (dir: string, seen: Set<string>) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const st = statSync(abs); // follows links: a linked package is deployed as files
      if (st.isDirectory()) {
        if (SKIPPED_DIRS.has(name)) continue;
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue; // a link cycle
        walk(abs, new Set(seen).add(key));
      } else if (st.isFile()) {
        out.push({ rel: toRel(root, abs), abs, size: st.size });
      }
    }
  };
  walk(root, new Set());
  return out;
}

function contentVersion(files: AppFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f.rel}\0${f.size}\0`);
    hash.update(readFileSync(f.abs));
  }
  return hash.digest('hex').slice(0, 12);
}

export function readAppPackage(modulePath: string): AppPackage {
  const root = findPackageRoot(modulePath);
  let runtimePackageJson: string;
  try {
    runtimePackageJson = createRequire(modulePath).resolve('wsfc-resource/package.json');
  } catch {
    throw new AppPackageError(`wsfc-resource is not installed for ${modulePath}; run 'npm install wsfc-resource' in ${root}`);
  }
  const hostMain = join(dirname(runtimePackageJson), 'dist', 'host', 'main.js');
  const hostMainRel = toRel(root, hostMain);
  if (hostMainRel.startsWith('..')) {
    throw new AppPackageError(`the wsfc-resource that ${modulePath} imports lives outside its package (${dirname(runtimePackageJson)}); install it inside ${root} so it is deployed with the module`);
  }
  if (!existsSync(hostMain)) throw new AppPackageError(`${hostMain} is missing; reinstall wsfc-resource`);
  const files = listFiles(root);
  return { root, files, version: contentVersion(files), moduleRel: toRel(root, modulePath), hostMainRel };
}
