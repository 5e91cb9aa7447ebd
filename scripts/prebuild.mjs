// The prebuilds the npm tarball ships, so that installing the package needs no compiler (lib/native.ts
// loads prebuilds/<platform>-<arch>/wsfc-host.node or wsfc-mock.node at run time).
//
//   node scripts/prebuild.mjs            builds this machine's native targets with cmake-js into
//                                        build/native (incremental) and installs what ships,
//                                        stripped, into prebuilds/<platform>-<arch>/
//   node scripts/prebuild.mjs --check linux-x64 linux-arm64 win32-x64
//                                        exits 1, saying what to run, if one of them is missing
//                                        or older than its inputs (prepack runs this)
//
// What ships is the CMake project's `prebuild` install component: the addons (and, for win32-x64,
// wsfcres.dll and mock-rhs.exe); the test-only libraries are never part of it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = `${process.platform}-${process.arch}`;
const build = ['CMakeLists.txt', 'CMakePresets.json', 'cmake', 'native', 'node_modules/node-addon-api/package.json'];

/** What each prebuild directory must hold, what it is built from, and the command that builds it. */
const targets = {
  'linux-x64': {
    files: [/^wsfc-host\.node$/, /^wsfc-mock\.node$/],
    inputs: build,
    command: 'npm run build:prebuild',
  },
  'linux-arm64': {
    files: [/^wsfc-host\.node$/, /^wsfc-mock\.node$/],
    inputs: [...build, 'scripts/build-arm64.sh'],
    command: 'npm run build:arm64',
  },
  'win32-x64': {
    files: [/^wsfc-host\.node$/, /^wsfc-mock\.node$/, /^wsfcres\.dll$/, /^mock-rhs\.exe$/],
    inputs: [...build, 'scripts/build-win.sh'],
    command: 'npm run build:win',
  },
};

function files(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
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
  const oldest = Math.min(...present.map((f) => statSync(join(dir, f)).mtimeMs));
  const newer = target.inputs.flatMap((i) => files(join(root, i))).find((f) => statSync(f).mtimeMs > oldest);
  if (newer) return `prebuilds/${name} is older than ${relative(root, newer)}`;
  return undefined;
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const args = process.argv.slice(2);
if (args[0] === '--check') {
  const names = args.slice(1);
  const unknown = names.filter((n) => !(n in targets));
  if (!names.length || unknown.length) {
    console.error(`usage: prebuild.mjs --check <${Object.keys(targets).join('|')}>...`);
    process.exit(2);
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
  console.log(`prebuild: the package ships prebuilds for ${Object.keys(targets).join(', ')} only; none is built on ${here}` +
    (here in targets ? ' (cross-built on Linux: npm run build:win, npm run build:arm64)' : ''));
  process.exit(0);
}
run(process.execPath, [join(root, 'scripts', 'build-native.mjs')]);
// A fresh directory (nothing an older build left), never written over while a process has the
// addon mapped: tests must not be running while this does.
const dir = join(root, 'prebuilds', here);
rmSync(dir, { recursive: true, force: true });
run('cmake', ['--install', join(root, 'build', 'native'), '--component', 'prebuild', '--strip', '--prefix', dir]);
// cmake keeps the build's timestamps; --check compares against this run instead.
const now = new Date();
for (const f of readdirSync(dir)) utimesSync(join(dir, f), now, now);
const after = problem(here);
if (after) {
  console.error(`prebuild: ${after} after the install`);
  process.exit(1);
}
console.log(`prebuild: prebuilds/${here}: ${readdirSync(dir).join(', ')}`);
