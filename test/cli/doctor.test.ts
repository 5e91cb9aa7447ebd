// `wsfc-resource doctor`: one finding per line, a precise one for each kind of wrong DLL, and an
// exit code that says whether anything failed. (The real mingw DLL is checked in test/windows.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
