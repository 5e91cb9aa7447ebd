// The npm tarball as a user gets it: `npm pack`, then `npm install <tgz>` into an empty project
// whose PATH holds node and nothing else (no compiler, make or python), then the example's own
// mock-mode tests run there with that project's vitest, against the installed package only; and
// `wsfc-resource init --from <tgz>` writes a project whose `npm install && npm test` passes there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { npmCli } from '../support/npm.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'wsfc-tarball-'));
const project = join(work, 'project');
const installed = join(project, 'node_modules', 'wsfc-resource');
afterAll(() => rmSync(work, { recursive: true, force: true }));

// A machine with node and no build tools: PATH is one directory holding only `node`, so any
// attempt to compile (node-gyp, make, cc, python) fails. The environment is built from scratch
// because this test runs under `npm test` and vitest, whose npm_config_* and VITEST_* variables
// would steer the inner npm (its prefix) and the inner vitest.
const bin = join(work, 'bin');
mkdirSync(bin);
symlinkSync(process.execPath, join(bin, 'node'));
const env: NodeJS.ProcessEnv = {
  PATH: bin, HOME: process.env.HOME, npm_execpath: npmCli(), ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
};

interface Run {
  code: number | null;
  stdout: string;
  /** The command, then stdout and stderr as they came: the message of a failed expectation. */
  out: string;
}
function run(args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, out: `$ node ${args.join(' ')}\n${out}` }));
  });
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}
let pack: PackResult;
let files: string[];

beforeAll(async () => {
  // The tarball ships the prebuild as it is: npm test builds it first (npm run build:prebuild);
  // building it here would delete build/ under the other test files.
  const check = spawnSync(process.execPath, [join(root, 'scripts', 'prebuild.mjs'), '--check', 'linux-x64'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(check.stderr.trim());

  // scripts/pack.mjs is `npm run pack` without its prepack check of all five prebuilds, which only
  // the later tiers have built (the Windows tier checks the full tarball); it packs a staged copy with a
  // package.json for users, running no scripts (prepare would recompile dist/ under other tests).
  const packed = await run([join(root, 'scripts', 'pack.mjs'), '--json', '--destination', work], root, 60000);
  expect(packed.code, packed.out).toBe(0);
  pack = (JSON.parse(packed.stdout) as PackResult[])[0];
  files = pack.files.map((f) => f.path).sort();

  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tarball-user', version: '1.0.0', private: true, type: 'module' }, null, 2));
  // vitest at the version this repository tests with, so the npm cache has it (--prefer-offline).
  const vitest = (JSON.parse(readFileSync(join(root, 'node_modules', 'vitest', 'package.json'), 'utf8')) as { version: string }).version;
  const install = await run(
    [npmCli(), 'install', join(work, pack.filename), `vitest@${vitest}`, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
    project,
    60000,
  );
  expect(install.code, install.out).toBe(0);
}, 120000);

test('the tarball holds the library, CLI, host, types, the linux prebuild, README and LICENSE, and nothing else', () => {
  for (const f of [
    'package.json', 'README.md', 'LICENSE',
    'dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'dist/cli/main.js', 'dist/host/main.js',
    'dist/examples/http-service/http-service.js', 'dist/examples/http-service/http-service.d.ts', 'dist/examples/http-service/server.mjs',
  ]) {
    expect(files).toContain(f);
  }
  // The host addon (what a host process loads) and the mock addon (the shim and monitor added).
  expect(files.filter((f) => /^prebuilds\/linux-x64\/[^/]+\.node$/.test(f))).toEqual(['prebuilds/linux-x64/wsfc-host.node', 'prebuilds/linux-x64/wsfc-mock.node']);

  // Every entry point package.json declares is in the tarball.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>>; bin: Record<string, string> };
  const targets = [...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))), ...Object.values(pkg.bin)];
  expect(targets.map((t) => t.replace(/^\.\//, '')).filter((t) => !files.includes(t))).toEqual([]);

  // No tests, native sources, build trees, scratch files, source maps without their sources, repo tooling.
  const forbidden = [/(^|\/)tests?\//, /\.test\./, /^native\//, /^binding\.gyp$/, /^build\//, /^tmp\//, /\.map$/, /^lib\//, /^examples\//, /^scripts\//, /^\.|\/\./, /tsconfig|vitest/i];
  expect(files.filter((f) => forbidden.some((re) => re.test(f)))).toEqual([]);
  // And nothing beyond those kinds of files.
  const allowed = [/^(package\.json|README\.md|LICENSE)$/, /^dist\/.+\.(js|mjs|d\.ts)$/, /^prebuilds\/(linux-x64|linux-arm64|win32-x64|darwin-arm64|darwin-x64)\/[^/]+$/];
  expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
  // dist/ is never cleaned, so output of a since-deleted source would ship: each file needs its source.
  const source = (f: string) =>
    f.startsWith('dist/examples/')
      ? f.replace(/^dist\//, '').replace(/\.(js|d\.ts)$/, '.ts')
      : f.replace(/^dist\//, 'lib/').replace(/\.(js|d\.ts)$/, '.ts');
  expect(files.filter((f) => f.startsWith('dist/') && !existsSync(join(root, source(f))))).toEqual([]);
});

test('the installed package has nothing to compile: no binding.gyp, no scripts at all, no build/', async () => {
  expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'prebuilds']);
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
  // No install script (npm would run it, or node-gyp rebuild for a binding.gyp) and none of the
  // checkout's development scripts (build, test, fuzz, ...) or devDependencies.
  expect(pkg.scripts).toBeUndefined();
  expect(pkg.devDependencies).toBeUndefined();
  // Everything else is the checkout's package.json as it is.
  const checkout = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  expect(Object.keys(pkg).sort()).toEqual(Object.keys(checkout).filter((k) => k !== 'scripts' && k !== 'devDependencies').sort());
  expect(pkg.exports).toEqual(checkout.exports);
  expect(pkg.dependencies).toEqual(checkout.dependencies);
  // What an install with scripts would do, with no compiler on PATH: nothing, successfully.
  const rebuild = await run([npmCli(), 'rebuild', 'wsfc-resource'], project, 30000);
  expect(rebuild.code, rebuild.out).toBe(0);
  expect(existsSync(join(installed, 'build'))).toBe(false);
});

test("the example's mock-mode tests pass against the installed package", async () => {
  // The example's test as it is in the repository, importing the type through the package's
  // export instead of its own source file; everything else it imports must be the package's.
  const source = readFileSync(join(root, 'examples', 'http-service', 'http-service.test.ts'), 'utf8');
  const rewritten = source.replace("from './http-service.js'", "from 'wsfc-resource/examples/http-service'");
  expect(rewritten).not.toBe(source);
  const specifiers = [...rewritten.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
  expect(specifiers.filter((s) => !/^(node:|vitest$|wsfc-resource(\/|$))/.test(s))).toEqual([]);
  mkdirSync(join(project, 'test'));
  writeFileSync(join(project, 'test', 'http-service.test.ts'), rewritten);

  const report = join(work, 'example-report.json');
  // The repository's vitest settings for native addons: one process per file, 30 s per test.
  const r = await run(
    [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--pool=forks', '--testTimeout=30000', '--hookTimeout=30000', '--reporter=default', '--reporter=json', `--outputFile=${report}`],
    project,
    90000,
  );
  expect(r.code, r.out).toBe(0);
  const result = JSON.parse(readFileSync(report, 'utf8')) as { numTotalTests: number; numPassedTests: number; testResults: { name: string }[] };
  expect(result.testResults.map((t) => t.name)).toEqual([join(project, 'test', 'http-service.test.ts')]);
  expect(result.numTotalTests).toBeGreaterThan(0);
  expect(result.numPassedTests).toBe(result.numTotalTests);
}, 120000);

test('the addon loaded, in the test process and in a host process, is the prebuild', async () => {
  // The example type in a child host process the shim starts from the installed dist/host/main.js.
  writeFileSync(
    join(project, 'probe.mjs'),
    `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { MockCluster } from 'wsfc-resource/testing';
const addons = (pid) => [...new Set(readFileSync(\`/proc/\${pid}/maps\`, 'utf8').split('\\n').map((l) => l.split(/\\s+/)[5]).filter((p) => p?.endsWith('.node')))];
const module = fileURLToPath(import.meta.resolve('wsfc-resource/examples/http-service'));
const free = createServer();
await new Promise((r) => free.listen(0, '127.0.0.1', r));
const port = free.address().port;
await new Promise((r) => free.close(r));
const cluster = await MockCluster.start({ host: 'process', module });
const res = await cluster.createResource('ExampleHttpService', 'web', { properties: { Port: port, Root: ${JSON.stringify(project)} } });
const online = await res.online();
const host = addons(cluster.hostPid);
const offline = await res.offline();
await cluster.stop();
console.log(JSON.stringify({ online, offline, violations: cluster.violations, test: addons(process.pid), host }));
`,
  );
  const r = await run(['probe.mjs'], project, 30000);
  expect(r.code, r.out).toBe(0);
  const prebuild = (name: string) => realpathSync(join(installed, 'prebuilds', 'linux-x64', `${name}.node`));
  // The test process drives the shim (the mock addon); the host process has the host addon only.
  expect(JSON.parse(r.stdout)).toEqual({ online: 'Online', offline: 'Offline', violations: [], test: [prebuild('wsfc-mock')], host: [prebuild('wsfc-host')] });
}, 60000);

/** The string literals (8 characters or more) of the C++ files under the given native/ folders. */
function literals(folders: string[]): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(cc|h)$/.test(e.name) ? [join(dir, e.name)] : []));
  for (const folder of folders) {
    for (const file of walk(join(root, 'native', folder))) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (/^\s*#\s*include/.test(line)) continue;
        for (const m of line.matchAll(/"((?:[^"\\]|\\.){8,})"/g)) if (!m[1].includes('\\') && !m[1].includes('%')) out.add(m[1]);
      }
    }
  }
  return out;
}

/** Which of the strings a binary holds, as UTF-8 or UTF-16LE. */
function found(binary: Buffer, strings: Iterable<string>): string[] {
  return [...strings].filter((t) => binary.includes(Buffer.from(t, 'utf8')) || binary.includes(Buffer.from(t, 'utf16le')));
}

test('no shipped binary contains test-only code, and the host addon none of the shim or the monitor', () => {
  const shipped = files.filter((f) => f.startsWith('prebuilds/'));
  expect(shipped.length).toBeGreaterThan(0);
  // Strings only the test-only libraries (native/tests) have: the baselines' type names, the fake
  // host's and the native tests' messages (the contract breaker's names are the monitor's too).
  const everythingElse = ['common', 'protocol', 'platform', 'channel', 'shim', 'monitor', 'addon', 'tools'];
  const shipping = literals(everythingElse);
  const testOnly = [...literals(['tests'])].filter((t) => !shipping.has(t) && ![...shipping].some((s) => s.includes(t)));
  expect(testOnly).toEqual(expect.arrayContaining(['NativeBaseline', 'SpawnPerCall', 'fake host']));
  for (const f of shipped) expect({ [f]: found(readFileSync(join(installed, f)), testOnly) }).toEqual({ [f]: [] });

  // The host addon: the channel, protocol and host endpoint, none of the shim's or monitor's text.
  const host = literals(['common', 'protocol', 'platform', 'channel', 'addon/host']);
  // (Sentences of 16 characters or more: shorter words such as "exception" are also the C++
  // runtime's and node-addon-api's.)
  const shimOnly = [...literals(['shim', 'monitor'])].filter((t) => t.length >= 16 && !host.has(t) && ![...host].some((s) => s.includes(t)));
  expect(shimOnly.length).toBeGreaterThan(50);
  const hostAddon = readFileSync(join(installed, 'prebuilds', 'linux-x64', 'wsfc-host.node'));
  expect(found(hostAddon, shimOnly)).toEqual([]);
  // ...while the mock addon does carry the shim (the same check is not vacuous).
  expect(found(readFileSync(join(installed, 'prebuilds', 'linux-x64', 'wsfc-mock.node')), shimOnly).length).toBeGreaterThan(10);
});

test('init --from the tarball writes a project whose npm install && npm test pass with only node on PATH', async () => {
  const scaffold = join(work, 'contoso-cache');
  const init = await run([join(installed, 'dist', 'cli', 'main.js'), 'init', scaffold, '--from', join(work, pack.filename)], work, 10000);
  expect(init.code, init.out).toBe(0);
  // npm runs every script (esbuild's postinstall, `npm test` itself) through a shell, which it
  // looks up on PATH by name: it is named here by its path instead, so PATH still holds only node.
  const shell = '--script-shell=/bin/sh';
  // typescript and vitest come from the registry (the npm cache has this repository's versions).
  const install = await run([npmCli(), 'install', shell, '--prefer-offline', '--no-audit', '--no-fund'], scaffold, 120000);
  expect(install.code, install.out).toBe(0);
  const t = await run([npmCli(), 'test', shell], scaffold, 150000);
  expect(t.code, t.out).toBe(0);
  expect(t.out).toMatch(/Tests\s+9 passed \(9\)/);
}, 300000);
