// npm run pack: the package tarball, whose package.json carries no development scripts or
// devDependencies. `npm pack` ships package.json as it is in the checkout (build, test, fuzz, ...
// scripts a user's `npm run` would show and could not run), so this copies the files npm would
// pack into a staging folder, writes a package.json for users there, and packs that folder.
// Options: --destination <dir> (default: the checkout), --json (npm pack's JSON), --dry-run.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { destination: { type: 'string' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, refuse: { type: 'boolean' } },
  strict: true,
});
// prepack: a plain `npm pack` (or `npm publish`) in the checkout would ship the checkout's
// package.json; the staged pack below runs no scripts, so it never gets here.
// `npm run pack` runs this too (npm runs pre<script> before any script): npm_command tells them
// apart ('run' there, 'run-script' before npm 10; 'pack' or 'publish' for the commands refused).
if (values.refuse && !['run', 'run-script'].includes(process.env.npm_command ?? '')) {
  console.error("wsfc-resource: use 'npm run pack' (npm pack here would ship the development scripts); publish its tarball with 'npm publish <tgz>'");
  process.exit(1);
}
// And before `npm run pack` packs: every prebuild package.json ships (its "files" entries
// prebuilds/<name>/) must be there, complete, and built from the checkout's sources.
if (values.refuse) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const prebuilds = pkg.files.flatMap((f) => /^prebuilds\/([^/]+)\/$/.exec(f)?.[1] ?? []);
  const check = spawnSync(process.execPath, [join(root, 'scripts', 'prebuild.mjs'), '--check', ...prebuilds], { stdio: 'inherit' });
  if (check.status !== 0) {
    console.error(`wsfc-resource: not packing: the tarball needs every prebuild (${prebuilds.join(', ')}) built from these sources`);
    process.exit(1);
  }
  process.exit(0);
}

// npm as `npm run` started us (npm_execpath), else the one on PATH.
const npmCli = process.env.npm_execpath;
function npm(args, cwd) {
  const [cmd, argv] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${r.stderr}`);
  return r.stdout;
}

/** What users get of package.json: everything but what only a checkout uses. */
export function publishedManifest(pkg) {
  const { scripts: _scripts, devDependencies: _dev, ...rest } = pkg;
  return rest;
}

const [listing] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root));
const stage = mkdtempSync(join(tmpdir(), 'wsfc-resource-pack-'));
try {
  for (const { path } of listing.files) {
    if (path === 'package.json') continue;
    cpSync(join(root, path), join(stage, path), { recursive: false, force: true, preserveTimestamps: true, errorOnExist: false });
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(publishedManifest(pkg), null, 2)}\n`);
  const destination = resolve(values.destination ?? root);
  const out = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', destination, ...(values['dry-run'] ? ['--dry-run'] : [])], stage);
  const [result] = JSON.parse(out);
  if (result.files.length !== listing.files.length) throw new Error(`the staged package has ${result.files.length} files, the checkout's ${listing.files.length}`);
  console.log(values.json ? out.trim() : join(destination, result.filename));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
