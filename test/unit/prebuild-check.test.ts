// What prepack refuses: scripts/prebuild.mjs --check on a copy of the build inputs with made-up
// prebuilds (the script finds the checkout from its own path, so the copy is a checkout of its own):
// a missing, incomplete, replaced or stale prebuild is named with the command that rebuilds it, and
// `npm run pack`'s prepack (scripts/pack.mjs --refuse) checks every prebuild package.json ships.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const checkout = mkdtempSync(join(tmpdir(), 'wsfc-prebuild-check-'));
afterAll(() => rmSync(checkout, { recursive: true, force: true }));
const five = ['linux-x64', 'linux-arm64', 'win32-x64', 'darwin-arm64', 'darwin-x64'];

function prebuild(...args: string[]) {
  return spawnSync(process.execPath, [join(checkout, 'scripts', 'prebuild.mjs'), ...args], { encoding: 'utf8' });
}

/** prebuilds/<name>/ with the files its build makes (stand-in bytes), recorded as a build would. */
function fakeBuild(name: string) {
  const dir = join(checkout, 'prebuilds', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = ['wsfc-host.node', 'wsfc-mock.node', ...(name === 'win32-x64' ? ['wsfcres.dll', 'mock-rhs.exe'] : [])];
  for (const f of files) writeFileSync(join(dir, f), `${name} ${f}\n`);
  const r = prebuild('--record', name);
  expect(r.status, r.stderr).toBe(0);
}

beforeAll(() => {
  for (const p of ['CMakeLists.txt', 'CMakePresets.json', 'cmake', 'native', 'package.json', 'scripts/prebuild.mjs', 'scripts/pack.mjs',
    'scripts/build-arm64.sh', 'scripts/build-win.sh', 'scripts/build-darwin.sh',
    'node_modules/node-addon-api/package.json', 'node_modules/node-api-headers/package.json']) {
    cpSync(join(root, p), join(checkout, p), { recursive: true });
  }
  for (const name of five) fakeBuild(name);
});

test('five recorded prebuilds pass; one missing or lacking a file is named with its build command', () => {
  expect(prebuild('--check', ...five).status).toBe(0);
  rmSync(join(checkout, 'prebuilds', 'darwin-x64', 'wsfc-mock.node'));
  rmSync(join(checkout, 'prebuilds', 'linux-arm64'), { recursive: true });
  const r = prebuild('--check', ...five);
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([
    'prebuilds/linux-arm64 lacks wsfc-host.node, wsfc-mock.node: run npm run build:arm64',
    'prebuilds/darwin-x64 lacks wsfc-mock.node: run npm run build:darwin',
  ]);
  fakeBuild('darwin-x64');
  fakeBuild('linux-arm64');
});

test('a source changed since the build makes it stale, whatever the timestamps say; a touch alone does not', () => {
  const source = join(checkout, 'native', 'CMakeLists.txt');
  utimesSync(source, new Date(), new Date(Date.now() + 3600_000));
  expect(prebuild('--check', 'darwin-arm64').status).toBe(0);
  appendFileSync(source, '# changed\n');
  // An edit that keeps the old mtime is still an edit.
  utimesSync(source, new Date(0), new Date(0));
  const r = prebuild('--check', 'darwin-arm64', 'linux-x64');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('prebuilds/darwin-arm64 is stale: built from other sources (native/CMakeLists.txt changed since): run npm run build:darwin');
  expect(r.stderr).toContain('prebuilds/linux-x64 is stale');
  for (const name of five) fakeBuild(name);
  // The toolchain pin is an input of the darwin prebuilds only.
  appendFileSync(join(checkout, 'scripts', 'build-darwin.sh'), '# another zig\n');
  const pin = prebuild('--check', ...five);
  expect(pin.stderr.trim().split('\n')).toEqual([
    'prebuilds/darwin-arm64 is stale: built from other sources (scripts/build-darwin.sh changed since): run npm run build:darwin',
    'prebuilds/darwin-x64 is stale: built from other sources (scripts/build-darwin.sh changed since): run npm run build:darwin',
  ]);
  fakeBuild('darwin-arm64');
  fakeBuild('darwin-x64');
});

test('a prebuild replaced after its build, an unrecorded one and a stray file are refused', () => {
  writeFileSync(join(checkout, 'prebuilds', 'win32-x64', 'wsfcres.dll'), 'another dll\n');
  expect(prebuild('--check', 'win32-x64').stderr).toContain('prebuilds/win32-x64/wsfcres.dll is not what its build made');
  fakeBuild('win32-x64');
  rmSync(join(checkout, 'prebuilds', 'linux-x64.manifest.json'));
  expect(prebuild('--check', 'linux-x64').stderr).toContain('prebuilds/linux-x64 has no manifest');
  fakeBuild('linux-x64');
  writeFileSync(join(checkout, 'prebuilds', 'darwin-arm64', 'old-name.node'), 'x');
  expect(prebuild('--check', 'darwin-arm64').stderr).toContain('prebuilds/darwin-arm64 holds old-name.node, which no build makes');
  fakeBuild('darwin-arm64');
  expect(prebuild('--check', 'macos-universal').status).toBe(2);
});

test("npm run pack's prepack checks every prebuild package.json ships, the five platforms", () => {
  const prepack = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [join(checkout, 'scripts', 'pack.mjs'), '--refuse'], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(prepack({ npm_command: 'run' }).status).toBe(0);
  rmSync(join(checkout, 'prebuilds', 'darwin-arm64'), { recursive: true });
  const r = prepack({ npm_command: 'run' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('prebuilds/darwin-arm64 lacks wsfc-host.node, wsfc-mock.node: run npm run build:darwin');
  expect(r.stderr).toContain(`not packing: the tarball needs every prebuild (${five.join(', ')}) built from these sources`);
  // A plain npm pack is refused before anything is checked.
  expect(prepack({ npm_command: 'pack' }).stderr).toContain("use 'npm run pack'");
});
