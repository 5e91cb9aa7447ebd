// `wsfc-resource doctor`: one finding per line, a precise one for each kind of wrong DLL, and an
// exit code that says whether anything failed. (The real mingw DLL is checked in test/windows.)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}dist/cli/main.js`;
const demo = `${root}test/fixtures/demo-type.mjs`;
const dir = mkdtempSync(join(tmpdir(), 'wsfc-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'doctor', ...args], { cwd: root, encoding: 'utf8' });

/** The smallest PE32 (32-bit x86) DLL header there is: no sections, no exports. */
function pe32Dll(): Buffer {
  const b = Buffer.alloc(0x40 + 24 + 224);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x40, 0x3c);
  b.write('PE\0\0', 0x40, 'latin1');
  b.writeUInt16LE(0x14c, 0x44); // IMAGE_FILE_MACHINE_I386
  b.writeUInt16LE(224, 0x40 + 20); // SizeOfOptionalHeader
  b.writeUInt16LE(0x2102, 0x40 + 22); // EXECUTABLE_IMAGE | 32BIT_MACHINE | DLL
  b.writeUInt16LE(0x10b, 0x58); // PE32 magic
  b.writeUInt32LE(16, 0x58 + 92); // NumberOfRvaAndSizes
  return b;
}

test('a file that is not a PE image: one failing line that says so, exit 1', () => {
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'hello');
  const r = run('--dll', file);
  expect(r.status).toBe(1);
  expect(r.stdout).toContain(`FAIL dll     ${file}: not a PE image: no MZ signature`);
});

test('a 32-bit DLL: PE32 for machine 0x14c, and no resource API exports', () => {
  const file = join(dir, 'x86.dll');
  writeFileSync(file, pe32Dll());
  const r = run('--dll', file, '--json');
  expect(r.status).toBe(1);
  const findings = JSON.parse(r.stdout) as { check: string; status: string; message: string; fix?: string }[];
  expect(findings.filter((f) => f.check === 'dll')).toEqual([
    { check: 'dll', status: 'fail', message: `${file} is PE32 for machine 0x14c, not PE32+ x64`, fix: 'RHS is 64-bit: use the win32-x64 build' },
    { check: 'dll', status: 'fail', message: `${file} does not export Startup and StartupEx`, fix: 'this is not a resource DLL built from wsfc-resource; use wsfcres.dll' },
  ]);
});

test('a module: its type and manifest are accepted; a broken one fails with the reason', () => {
  const ok = run(demo, '--dll', join(dir, 'absent.dll'));
  expect(ok.stdout).toMatch(/OK {3}module {2}.*defines resource type 'CliDemo' with 2 private properties; the shim accepts its manifest/);
  expect(ok.stdout).toContain('WARN dll');
  expect(ok.status).toBe(0);
  const bad = join(dir, 'bad.mjs');
  writeFileSync(bad, 'export const x = 1;\n');
  const r = run(bad, '--dll', join(dir, 'absent.dll'));
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('exports no resource type');
});

test('addon: the platform with its C library, and the prebuild file it loaded', () => {
  const r = run('--dll', join(dir, 'absent.dll'), '--json');
  const addon = (JSON.parse(r.stdout) as { check: string; status: string; message: string }[]).find((f) => f.check === 'addon');
  const platform = `${process.platform}-${process.arch}`;
  expect(addon?.status).toBe('ok');
  expect(addon?.message).toMatch(new RegExp(`^platform ${platform}${process.platform === 'linux' ? ' \\(glibc \\d+\\.\\d+\\)' : ''}: the native addon loads from `));
  expect(addon?.message.endsWith(join(root, 'prebuilds', platform, 'wsfc-mock.node'))).toBe(true);
});

test('addon: an installed package with no prebuild for this platform says so, and which it has', () => {
  // The package as installed (dist/ and prebuilds/), with prebuilds for two other platforms only.
  const pkg = join(dir, 'other-platforms');
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'wsfc-resource', version: '0.0.0', type: 'module' }));
  for (const other of ['aix-ppc64', 'sunos-x64']) mkdirSync(join(pkg, 'prebuilds', other), { recursive: true });
  const r = spawnSync(process.execPath, [join(pkg, 'dist', 'cli', 'main.js'), 'doctor', '--dll', join(dir, 'absent.dll'), '--json'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  const addon = (JSON.parse(r.stdout) as { check: string; status: string; message: string; fix: string }[]).find((f) => f.check === 'addon');
  const platform = `${process.platform}-${process.arch}`;
  expect(addon?.status).toBe('fail');
  expect(addon?.message).toContain(`: no prebuild matches it (the package has aix-ppc64, sunos-x64): no native build of wsfc-resource for ${platform}: ${join(pkg, 'prebuilds', platform, 'wsfc-mock.node')} does not exist`);
  expect(addon?.message.startsWith(`platform ${platform}`)).toBe(true);
  expect(addon?.fix).toContain('the package ships prebuilds for aix-ppc64, sunos-x64');
});
