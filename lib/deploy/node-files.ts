// The file operations on one node's install directory. Each one either completes or leaves what
// was there before: files land under a temporary name and are renamed into place, so a copy cut
// off midway never leaves a half-written configuration or application behind.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppFile } from './app-package.js';
import type { TypeFiles } from './layout.js';

/** The file an application folder holds once its copy is complete (register and --print). */
export const COMPLETE_MARK = '.wsfc-complete';
const stamp = () => `${process.pid}-${Date.now()}`;

export type PlaceResult = 'copied' | 'present' | 'replaced' | 'unchanged';

/** One application version in its own folder; present already if a completed copy is.
 * `copied` is told each file's size as it lands. */
export function placeApp(dest: string, appDir: string, files: readonly AppFile[], copied: (bytes: number) => void = () => {}): PlaceResult {
  const target = join(dest, appDir);
  if (existsSync(join(target, COMPLETE_MARK))) return 'present';
  const partial = `${target}.partial-${stamp()}`;
  try {
    for (const f of files) {
      const to = join(partial, ...f.rel.split('/'));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f.abs, to);
      copied(f.size);
    }
    writeFileSync(join(partial, COMPLETE_MARK), '');
    rmSync(target, { recursive: true, force: true }); // an incomplete copy from an earlier run
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  return 'copied';
}

/**
 * The resource DLL. An RHS process may have the old one loaded, which Windows lets us rename but
 * not overwrite: it moves aside (removed by a later prune once no RHS holds it) and the new one
 * takes its name. RHS processes that load the type afterwards get the new file.
 */
export function placeDll(dest: string, dllName: string, source: string): PlaceResult {
  const target = join(dest, dllName);
  const fresh = readFileSync(source);
  const existed = existsSync(target);
  if (existed && readFileSync(target).equals(fresh)) return 'unchanged';
  const incoming = `${target}.incoming-${stamp()}`;
  const aside = `${target}.replaced-${stamp()}`;
  writeFileSync(incoming, fresh);
  try {
    if (existed) renameSync(target, aside);
    renameSync(incoming, target);
  } catch (err) {
    rmSync(incoming, { force: true });
    if (existed && !existsSync(target)) renameSync(aside, target); // never leave the type without its DLL
    throw err;
  }
  return existed ? 'replaced' : 'copied';
}

/** The type configuration, written whole under a temporary name and renamed over the old one.
 * Returns whether it changed. */
export function writeConfig(dest: string, configName: string, text: string): boolean {
  const target = join(dest, configName);
  if (existsSync(target) && readFileSync(target, 'utf8') === text) return false;
  const incoming = `${target}.incoming-${stamp()}`;
  writeFileSync(incoming, text);
  try {
    renameSync(incoming, target);
  } catch (err) {
    rmSync(incoming, { force: true });
    throw err;
  }
  return true;
}

/**
 * Removes this type's moved-aside DLLs, copies cut off midway and, unless `keepOldApps` (a
 * resource still runs one: deleting under a live host would leave it half a package), earlier
 * application versions. What is still open stays and is listed.
 */
export function pruneOld(dest: string, files: TypeFiles, currentAppDir: string, keepOldApps: boolean): string[] {
  const current = new Set([files.dll, files.config, files.log, `${files.log}.1`, currentAppDir]);
  const isOldApp = (name: string) => /\.app-[0-9a-f]{12}$/.test(name);
  return removeWhere(dest, (name) => files.owns(name) && !current.has(name) && !(keepOldApps && isOldApp(name)));
}

/** Everything register put in `dest` for this type, and `dest` itself once empty. */
export function removeTypeFiles(dest: string, files: TypeFiles): string[] {
  const left = removeWhere(dest, (name) => files.owns(name));
  if (existsSync(dest) && readdirSync(dest).length === 0) rmSync(dest, { recursive: true, force: true });
  return left;
}

function removeWhere(dest: string, match: (name: string) => boolean): string[] {
  const left: string[] = [];
  for (const name of existsSync(dest) ? readdirSync(dest) : []) {
    if (!match(name)) continue;
    try {
      rmSync(join(dest, name), { recursive: true, force: true });
    } catch {
      left.push(name);
    }
  }
  return left;
}
