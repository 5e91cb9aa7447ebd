// The prebuilds the npm tarball ships, so that installing the package needs no compiler
// (node-gyp-build picks the one for the platform at run time).
//
//   node scripts/prebuild.mjs            builds prebuilds/<this platform>-<arch>/ with prebuildify
//                                        (N-API, stripped) unless it is newer than every input
//   node scripts/prebuild.mjs linux-arm64
//                                        the same, cross-compiled with Debian's aarch64 toolchain
//   node scripts/prebuild.mjs --check linux-x64 win32-x64
//                                        exits 1, saying what to run, if one of them is missing
//                                        or older than its inputs (prepack runs this)
//
// prebuildify runs `node-gyp rebuild`, which deletes build/ (the CMake and Windows object trees
// too) and moves the addon out of build/Release: run it before anything else that builds into
// build/, and never while tests are loading the addon.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = `${process.platform}-${process.arch}`;

/** What each prebuild directory must hold, what it is built from, and the command that builds it. */
const targets = {
  'linux-x64': {
    files: [/^wsfc-resource\.glibc\.node$/],
    inputs: ['binding.gyp', 'native', 'node_modules/node-addon-api/package.json'],
    command: 'npm run build:prebuild',
  },
  'linux-arm64': {
    files: [/^wsfc-resource\.glibc\.node$/],
    inputs: ['binding.gyp', 'native', 'node_modules/node-addon-api/package.json'],
    command: 'npm run build:arm64',
  },
  'win32-x64': {
    // build-win.sh names the addon as prebuildify would for N-API; the DLL and mock-rhs sit beside it.
    files: [/^node\.napi\.node$/, /^wsfcres\.dll$/, /^mock-rhs\.exe$/],
    inputs: ['scripts/build-win.sh', 'native', 'node_modules/node-addon-api/package.json'],
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
  // A file nobody builds any more (an addon under an old name) could be picked by node-gyp-build.
  const extra = present.filter((f) => !target.files.some((re) => re.test(f)));
  if (extra.length) return `prebuilds/${name} holds ${extra.join(', ')}, which no build makes`;
  const oldest = Math.min(...present.map((f) => statSync(join(dir, f)).mtimeMs));
  const newer = target.inputs.flatMap((i) => files(join(root, i))).find((f) => statSync(f).mtimeMs > oldest);
  if (newer) return `prebuilds/${name} is older than ${relative(root, newer)}`;
  return undefined;
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

// Cross builds from linux-x64: prebuildify passes --arch to node-gyp, which compiles with CC/CXX.
const cross = {
  'linux-arm64': {
    args: ['--arch', 'arm64'],
    env: { CC: 'aarch64-linux-gnu-gcc', CXX: 'aarch64-linux-gnu-g++', PREBUILD_STRIP_BIN: 'aarch64-linux-gnu-strip' },
    apt: 'g++-aarch64-linux-gnu',
  },
};
const wanted = args[0] ?? here;
if (wanted in cross && here === 'linux-x64') {
  const { apt, env } = cross[wanted];
  if (spawnSync('sh', ['-c', `command -v ${env.CXX}`]).status !== 0) {
    console.log(`prebuild: installing ${apt}`);
    const r = spawnSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${apt} >/dev/null`], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
} else if (wanted !== here) {
  console.error(`usage: prebuild.mjs [${Object.keys(cross).join('|')}] (cross builds run on linux-x64)`);
  process.exit(2);
} else if (here !== 'linux-x64') {
  // Not an error: `npm test` runs this everywhere, and the package ships no prebuild for here.
  console.log(`prebuild: the package ships prebuilds for ${Object.keys(targets).join(', ')} only; none is built on ${here}` +
    (here in targets ? ' (they are built on linux-x64: npm run build:win, npm run build:arm64)' : ''));
  process.exit(0);
}
const why = problem(wanted);
if (!why) {
  console.log(`prebuild: prebuilds/${wanted} is up to date`);
  process.exit(0);
}
console.log(`prebuild: ${why}; building`);
const dir = join(root, 'prebuilds', wanted);
if (existsSync(dir)) rmSync(dir, { recursive: true });

// --tag-libc names the file *.glibc.node, so that node-gyp-build on a musl system reports "no
// native build" instead of loading a glibc binary that cannot link.
const run = spawnSync(process.execPath, [join(root, 'node_modules', 'prebuildify', 'bin.js'), '--napi', '--strip', '--tag-libc', ...(cross[wanted]?.args ?? [])], {
  cwd: root,
  stdio: 'inherit',
  // node-gyp's make runs one compiler per core instead of one in all.
  env: { JOBS: 'max', ...process.env, ...(cross[wanted]?.env ?? {}) },
});
if (run.status !== 0) process.exit(run.status ?? 1);
const after = problem(wanted);
if (after) {
  console.error(`prebuild: ${after} after prebuildify`);
  process.exit(1);
}
console.log(`prebuild: prebuilds/${wanted}: ${readdirSync(dir).join(', ')}`);
