// The tarball `npm publish` would make once every prebuild is built: linux-x64 (npm test), the
// cross-built linux-arm64 and darwin ones (.ci/run builds them before this tier) and win32-x64
// (scripts/build-win.sh, run by this tier first).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { npmCli } from '../support/npm.js';
// @ts-expect-error: a plain .mjs script without type declarations
import * as macho from '../../scripts/check-macho.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('npm pack lists the five platforms: the win32-x64 addons, wsfcres.dll and mock-rhs.exe beside the linux and darwin addons', () => {
  // What prepack checks before a real pack: every prebuild present and built from these sources.
  const check = spawnSync(process.execPath, [join(root, 'scripts', 'prebuild.mjs'), '--check', 'linux-x64', 'linux-arm64', 'win32-x64', 'darwin-arm64', 'darwin-x64'], { encoding: 'utf8' });
  expect(check.status, check.stderr).toBe(0);
  // --ignore-scripts: prepare would recompile dist/ while the Wine tests copy it.
  const r = spawnSync(process.execPath, [npmCli(), 'pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  expect(pack.files.map((f) => f.path).filter((p) => p.startsWith('prebuilds/')).sort()).toEqual([
    'prebuilds/darwin-arm64/wsfc-host.node',
    'prebuilds/darwin-arm64/wsfc-mock.node',
    'prebuilds/darwin-x64/wsfc-host.node',
    'prebuilds/darwin-x64/wsfc-mock.node',
    'prebuilds/linux-arm64/wsfc-host.node',
    'prebuilds/linux-arm64/wsfc-mock.node',
    'prebuilds/linux-x64/wsfc-host.node',
    'prebuilds/linux-x64/wsfc-mock.node',
    'prebuilds/win32-x64/mock-rhs.exe',
    'prebuilds/win32-x64/wsfc-host.node',
    'prebuilds/win32-x64/wsfc-mock.node',
    'prebuilds/win32-x64/wsfcres.dll',
  ]);
});

test('the darwin prebuilds that ship pass check-macho: init exported, only Node-API looked up, only libSystem bound, arm64 signed', () => {
  const readMachO = macho.readMachO as (buf: Buffer) => { cpu: string; signature?: { valid: boolean } };
  const addonProblems = macho.addonProblems as (image: unknown) => string[];
  for (const [dir, cpu] of [['darwin-arm64', 'arm64'], ['darwin-x64', 'x86_64']]) {
    for (const addon of ['wsfc-host.node', 'wsfc-mock.node']) {
      const image = readMachO(readFileSync(join(root, 'prebuilds', dir, addon)));
      expect(image.cpu).toBe(cpu);
      expect(addonProblems(image), `${dir}/${addon}`).toEqual([]);
      if (cpu === 'arm64') expect(image.signature?.valid).toBe(true);
    }
  }
});
