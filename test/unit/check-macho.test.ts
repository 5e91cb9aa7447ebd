// scripts/check-macho.mjs, the only check a macOS addon gets here (no Mac): on Mach-O files made by
// the same linker as the darwin prebuilds (test/fixtures/macho/build.sh), a good addon passes and
// each kind of bad one fails with its reason, as does a signed image changed after signing.
// (test/windows/package.test.ts runs it on the real darwin prebuilds once they are built.)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import * as macho from '../../scripts/check-macho.mjs';

interface Image {
  cpu: string;
  filetype: string;
  minos?: string;
  libraries: string[];
  exports: string[];
  imports: { name: string; from: string }[];
  signature?: { valid: boolean; pages?: number; adhoc?: boolean; problem?: string };
}
const readMachO = macho.readMachO as (buf: Buffer) => Image;
const addonProblems = macho.addonProblems as (image: Image) => string[];

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/macho/${name}`, import.meta.url));
const read = (name: string) => readMachO(readFileSync(fixture(name)));
const script = fileURLToPath(new URL('../../scripts/check-macho.mjs', import.meta.url));

test('an addon as the prebuilds are linked: arm64, exports its init, Node-API looked up at load, libSystem bound, signed', () => {
  const image = read('addon-arm64.dylib');
  expect(image).toMatchObject({ cpu: 'arm64', filetype: 'dylib', minos: '11.0.0', libraries: ['/usr/lib/libSystem.B.dylib'] });
  expect(image.exports).toContain('_napi_register_module_v1');
  expect(image.imports).toEqual(expect.arrayContaining([
    { name: '_napi_create_object', from: 'dynamic lookup' },
    { name: '_getpid', from: '/usr/lib/libSystem.B.dylib' },
  ]));
  expect(image.signature).toMatchObject({ valid: true, adhoc: true });
  expect(addonProblems(image)).toEqual([]);
});

test('x86_64: the same checks, and no signature is needed', () => {
  const image = read('addon-x64.dylib');
  expect(image).toMatchObject({ cpu: 'x86_64', filetype: 'dylib', minos: '11.0.0' });
  expect(addonProblems(image)).toEqual([]);
});

test('a non-Node-API symbol left to a flat lookup, an init under another name, a dylib no Mac has: each named', () => {
  expect(addonProblems(read('libuv-import.dylib'))).toEqual(['undefined _uv_default_loop (dynamic lookup): neither Node-API nor libSystem/libc++']);
  expect(addonProblems(read('no-init.dylib'))).toEqual(['napi_register_module_v1 is not exported']);
  expect(addonProblems(read('other-dylib.dylib'))).toEqual([
    'links /opt/local/lib/libother.dylib, which is not on every Mac',
    'undefined _other_function (/opt/local/lib/libother.dylib): neither Node-API nor libSystem/libc++',
  ]);
});

test('an arm64 image changed after signing fails its page hash; one without a signature fails', () => {
  const bytes = readFileSync(fixture('addon-arm64.dylib'));
  const changed = Buffer.from(bytes);
  changed[0x4000 + 16] ^= 0xff;
  expect(addonProblems(readMachO(changed))).toEqual([
    'invalid code signature: page 1 (bytes 16384..) does not match its hash: the file changed after it was signed',
  ]);
  // LC_CODE_SIGNATURE (0x1d) renamed to a command the reader skips: the image carries no signature.
  const unsigned = Buffer.from(bytes);
  let at = 32;
  for (let i = 0; i < unsigned.readUInt32LE(16); i++) {
    if (unsigned.readUInt32LE(at) === 0x1d) unsigned.writeUInt32LE(0x7fffffff, at);
    at += unsigned.readUInt32LE(at + 4);
  }
  expect(addonProblems(readMachO(unsigned))).toEqual(['no code signature: arm64 macOS maps no unsigned image']);
});

test('not a Mach-O (this node, an ELF or PE file) and truncated images: an error, not a crash', () => {
  expect(() => readMachO(readFileSync(process.execPath).subarray(0, 4096))).toThrow('not a 64-bit little-endian Mach-O image');
  const bytes = readFileSync(fixture('addon-arm64.dylib'));
  expect(() => readMachO(bytes.subarray(0, 64))).toThrow(/load command 0 runs past the file/);
});

test('the command line: a summary line per file, FAIL lines and exit 1 when one fails', () => {
  const ok = spawnSync(process.execPath, [script, fixture('addon-arm64.dylib'), fixture('addon-x64.dylib')], { encoding: 'utf8' });
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  expect(ok.stdout).toMatch(/addon-arm64\.dylib: arm64 dylib, macOS 11\.0\.0\+, .*napi_register_module_v1 yes.*signed ad hoc \(\d+ page hashes verified\)/);
  const bad = spawnSync(process.execPath, [script, fixture('addon-arm64.dylib'), fixture('no-init.dylib')], { encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stdout).toContain('  FAIL napi_register_module_v1 is not exported');
});
