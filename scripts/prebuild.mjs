// The prebuilds the npm tarball ships, so that installing the package needs no compiler (lib/native.ts
// loads prebuilds/<platform>-<arch>/wsfc-host.node or wsfc-mock.node at run time).
//
//   node scripts/prebuild.mjs            builds this machine's native targets with cmake-js into
//                                        build/native (incremental) and installs what ships,
//                                        stripped, into prebuilds/<platform>-<arch>/
//   node scripts/prebuild.mjs --record <name>
//                                        after a build installed prebuilds/<name>/ (the cross
//                                        builds: scripts/build-{arm64,win,darwin}.sh): writes
//                                        prebuilds/<name>.manifest.json, the SHA-256 of each
//                                        input it was built from and of each file it holds
//   node scripts/prebuild.mjs --check <name>...
//                                        exits 1, saying what to run, if one of them is missing,
//                                        holds a file its build did not make, or was built from
//                                        other sources than the checkout's (prepack runs this
//                                        for every prebuild package.json ships)
//
// Freshness is by content, not timestamps: a checkout, a copy or a touch changes mtimes without
// changing what a prebuild was built from, and an edit that keeps the mtime still changes the hash.
// The manifest sits beside the directory, so it never ships.
//
// What ships is the CMake project's `prebuild` install component: the addons (and, for win32-x64,
// wsfcres.dll and mock-rhs.exe); the test-only libraries are never part of it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = `${process.platform}-${process.arch}`;
const build = ['CMakeLists.txt', 'CMakePresets.json', 'cmake', 'native', 'node_modules/node-addon-api/package.json',
  'node_modules/node-api-headers/package.json'];
const addons = [/^wsfc-host\.node$/, /^wsfc-mock\.node$/];

/** What each prebuild directory must hold, what it is built from, and the command that builds it. */
const targets = {
  'linux-x64': {
    files: addons,
    inputs: build,
    command: 'npm run build:prebuild',
  },
  'linux-arm64': {
    files: addons,
    inputs: [...build, 'scripts/build-arm64.sh'],
    command: 'npm run build:arm64',
  },
  'win32-x64': {
    files: [...addons, /^wsfcres\.dll$/, /^mock-rhs\.exe$/],
    inputs: [...build, 'scripts/build-win.sh'],
    command: 'npm run build:win',
  },
  // Zig's version is pinned in the script, so a new toolchain is a new input too.
  'darwin-arm64': {
    files: addons,
    inputs: [...build, 'scripts/build-darwin.sh'],
    command: 'npm run build:darwin',
  },
  'darwin-x64': {
    files: addons,
    inputs: [...build, 'scripts/build-darwin.sh'],
    command: 'npm run build:darwin',
  },
};

function files(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
// Every target hashes the same tree: once per run.
const inputHash = new Map();
const hashInput = (path) => inputHash.get(path) ?? inputHash.set(path, sha256(path)).get(path);
const manifestPath = (name) => join(root, 'prebuilds', `${name}.manifest.json`);

/** path (relative to the checkout) -> SHA-256 of every input of a target. */
function inputHashes(name) {
  const out = {};
  for (const f of targets[name].inputs.flatMap((i) => files(join(root, i))).sort()) out[relative(root, f)] = hashInput(f);
  return out;
}

/** Hashes of one hash map: the source hash a manifest records and --check compares. */
function sourceHash(hashes) {
  return createHash('sha256').update(Object.entries(hashes).map(([f, h]) => `${h}  ${f}\n`).join('')).digest('hex');
}

/** Writes prebuilds/<name>.manifest.json for what prebuilds/<name>/ holds now. */
function record(name) {
  const dir = join(root, 'prebuilds', name);
  const inputs = inputHashes(name);
  const built = Object.fromEntries(readdirSync(dir).sort().map((f) => [f, sha256(join(dir, f))]));
  const manifest = { platform: name, sourceHash: sourceHash(inputs), builtAt: new Date().toISOString(), files: built, inputs };
  writeFileSync(manifestPath(name), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Why prebuilds/<name> is not fit to ship, or undefined when it is. */
function problem(name) {
  const target = targets[name];
  const dir = join(root, 'prebuilds', name);
  const present = existsSync(dir) ? readdirSync(dir) : [];
  const missing = target.files.filter((re) => !present.some((f) => re.test(f)));
  if (missing.length) return `prebuilds/${name} lacks ${missing.map((re) => re.source.replace(/\\|\^|\$/g, '')).join(', ')}`;
  // A file nobody builds any more (an addon under an old name) would ship.
  const extra = present.filter((f) => !target.files.some((re) => re.test(f)));
  if (extra.length) return `prebuilds/${name} holds ${extra.join(', ')}, which no build makes`;
  if (!existsSync(manifestPath(name))) return `prebuilds/${name} has no manifest (prebuilds/${name}.manifest.json): its build did not record it`;
  const manifest = JSON.parse(readFileSync(manifestPath(name), 'utf8'));
  const replaced = present.filter((f) => manifest.files?.[f] !== sha256(join(dir, f)));
  if (replaced.length) return `prebuilds/${name}/${replaced.join(', ')} is not what its build made (the manifest has another hash)`;
  const now = inputHashes(name);
  if (manifest.sourceHash !== sourceHash(now)) {
    const recorded = manifest.inputs ?? {};
    const changed = [...new Set([...Object.keys(now), ...Object.keys(recorded)])].filter((f) => now[f] !== recorded[f]).sort();
    return `prebuilds/${name} is stale: built from other sources (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? `, and ${changed.length - 3} more` : ''} changed since)`;
  }
  return undefined;
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const args = process.argv.slice(2);
if (args[0] === '--check' || args[0] === '--record') {
  const names = args.slice(1);
  const unknown = names.filter((n) => !(n in targets));
  if (!names.length || unknown.length || (args[0] === '--record' && names.length !== 1)) {
    console.error(`usage: prebuild.mjs --check <${Object.keys(targets).join('|')}>... | --record <name>`);
    process.exit(2);
  }
  if (args[0] === '--record') {
    record(names[0]);
    const after = problem(names[0]);
    if (after) {
      console.error(`prebuild: ${after} after the build`);
      process.exit(1);
    }
    console.log(`prebuild: prebuilds/${names[0]}: ${readdirSync(join(root, 'prebuilds', names[0])).join(', ')} (recorded)`);
    process.exit(0);
  }
  const problems = names.flatMap((n) => {
    const p = problem(n);
    return p ? [`${p}: run ${targets[n].command}`] : [];
  });
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}

if (here !== 'linux-x64') {
  // Not an error: `npm test` runs this everywhere, and the package ships no prebuild for here.
  console.log(`prebuild: the package ships prebuilds for ${Object.keys(targets).join(', ')}, all built on Linux x64; none is built on ${here}` +
    (here in targets ? ' (cross-built on Linux: npm run build:win, build:arm64, build:darwin)' : ''));
  process.exit(0);
}
run(process.execPath, [join(root, 'scripts', 'build-native.mjs')]);
// A fresh directory (nothing an older build left), never written over while a process has the
// addon mapped: tests must not be running while this does.
const dir = join(root, 'prebuilds', here);
rmSync(dir, { recursive: true, force: true });
run('cmake', ['--install', join(root, 'build', 'native'), '--component', 'prebuild', '--strip', '--prefix', dir]);
record(here);
const after = problem(here);
if (after) {
  console.error(`prebuild: ${after} after the install`);
  process.exit(1);
}
console.log(`prebuild: prebuilds/${here}: ${readdirSync(dir).join(', ')}`);
