// The user's application as deployed: what runs, not the workshop. The package that holds the
// module (the nearest package.json above it) contributes the files `npm pack` would publish
// (npm's own selection: package.json `files`, .npmignore or .gitignore, npm's defaults), and its
// production dependencies (dependencies, optionalDependencies, peerDependencies) contribute their
// installed folders, found the way Node resolves them. devDependencies, caches such as
// node_modules/.vite, and version control never come along, so running the tests does not make a
// new version. wsfc-resource itself must be among what is deployed (the host entry point).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
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
  /** Sum of the files' sizes. */
  bytes: number;
  /** Short content hash: the name of the folder this version lives in on each node. */
  version: string;
  /** Inside the package, '/'-separated. */
  moduleRel: string;
  hostMainRel: string;
  /** Said to the user before deploying (a package without `files`, for instance). */
  notes: string[];
}

export class AppPackageError extends Error {}

export function findPackageRoot(modulePath: string): string {
  for (let dir = dirname(modulePath); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new AppPackageError(`no package.json above ${modulePath}; register deploys the package that holds the module (npm init there)`);
  }
}

const toRel = (root: string, path: string) => relative(root, path).split(sep).join('/');

interface PackageJson {
  name?: string;
  files?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const readPackageJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;

/** npm's command line, run by this node: npm_execpath under npm, else npm-cli.js beside node
 * (Windows: <node dir>\node_modules\npm; elsewhere: <prefix>/lib/node_modules/npm). No shell. */
function npmCli(): string | undefined {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  return candidates.find((c) => c !== undefined && /npm-cli\.js$/.test(c) && existsSync(c));
}

/** The package's own files as `npm pack` selects them (no lifecycle scripts run). */
function packFiles(root: string): string[] {
  const cli = npmCli();
  if (!cli) throw new AppPackageError(`npm is not found beside ${process.execPath}; register asks npm which files of ${root} a package holds (npm pack --dry-run)`);
  const r = spawnSync(process.execPath, [cli, 'pack', '--dry-run', '--json', '--ignore-scripts', '--workspaces=false'], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20, windowsHide: true });
  let listed: { files?: { path: string }[] }[] | undefined;
  try {
    listed = JSON.parse(r.stdout) as typeof listed;
  } catch {
    listed = undefined;
  }
  const files = listed?.[0]?.files;
  if (r.status !== 0 || !Array.isArray(files)) {
    throw new AppPackageError(`npm pack --dry-run in ${root} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  }
  return files.map((f) => f.path.split('\\').join('/'));
}

// Without a `files` list npm publishes nearly everything; for a deployment, leave out dotfiles
// (.env, .eslintrc, .vscode/) and tests, which never run on a node.
const NOT_DEPLOYED_WITHOUT_FILES = /(^|\/)\.[^/]*(\/|$)|(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Every file under a dependency's installed folder, except its own node_modules (its nested
 * dependencies are found by resolution like the others). */
function installedFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      if (rel === '' && name === 'node_modules') continue;
      const abs = join(d, name);
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs, `${rel}${name}/`);
      else if (st.isFile()) out.push(`${rel}${name}`);
    }
  };
  walk(dir, '');
  return out;
}

/** The installed folders of the production dependency tree, found as Node resolves a bare
 * specifier: <dir>/node_modules/<name>, then each parent's node_modules up to the package root. */
function productionDependencies(root: string): string[] {
  const found = new Map<string, string>(); // real path -> where it sits under root
  const queue = [root];
  while (queue.length) {
    const dir = queue.shift()!;
    const pkg = readPackageJson(dir);
    const optional = new Set([...Object.keys(pkg.optionalDependencies ?? {}), ...Object.entries(pkg.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n)]);
    const names = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    for (const name of [...names].sort()) {
      let at: string | undefined;
      for (let d = dir; ; d = dirname(d)) {
        const candidate = join(d, 'node_modules', ...name.split('/'));
        if (existsSync(join(candidate, 'package.json'))) {
          at = candidate;
          break;
        }
        if (d === root || dirname(d) === d) break;
      }
      if (!at) {
        if (optional.has(name)) continue;
        throw new AppPackageError(`${name}, a dependency of ${dir === root ? 'the package' : toRel(root, dir)}, is not installed in ${root}; run npm install there (npm ci --omit=dev deploys the least)`);
      }
      const real = realpathSync(at);
      if (found.has(real) || real === realpathSync(root)) continue;
      found.set(real, at);
      queue.push(at);
    }
  }
  return [...found.values()];
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

  const notes: string[] = [];
  const pkg = readPackageJson(root);
  let own = packFiles(root);
  if (!pkg.files) {
    own = own.filter((rel) => !NOT_DEPLOYED_WITHOUT_FILES.test(rel));
    notes.push(`${join(root, 'package.json')} has no "files" list: deploying what npm pack would publish, without dotfiles and tests; list what runs in "files" to deploy less`);
  }
  const rels = new Set(own);
  for (const dep of productionDependencies(root)) {
    const base = toRel(root, dep);
    for (const rel of installedFiles(dep)) rels.add(`${base}/${rel}`);
  }
  const moduleRel = toRel(root, modulePath);
  for (const [what, rel] of [['the module', moduleRel], ['wsfc-resource\'s host', hostMainRel]] as const) {
    if (!rels.has(rel)) {
      throw new AppPackageError(`${what} (${rel}) is not among the files register deploys from ${root}: ${rel === moduleRel ? 'add it to package.json "files" (or un-ignore it in .npmignore)' : 'wsfc-resource must be in "dependencies", not devDependencies'}`);
    }
  }
  const files = [...rels].sort().map((rel) => {
    const abs = join(root, ...rel.split('/'));
    return { rel, abs, size: statSync(abs).size };
  });
  return { root, files, bytes: files.reduce((n, f) => n + f.size, 0), version: contentVersion(files), moduleRel, hostMainRel, notes };
}
