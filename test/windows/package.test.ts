// The tarball `npm publish` would make once both tiers built their prebuilds: the Linux one (npm
// test) and the cross-built Windows one (scripts/build-win.sh, run by this tier first).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { npmCli } from '../support/npm.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('npm pack lists the win32-x64 addons, wsfcres.dll and mock-rhs.exe beside the linux-x64 and linux-arm64 addons', () => {
  // What prepack checks before a real pack: both prebuilds present and newer than their sources.
  const check = spawnSync(process.execPath, [join(root, 'scripts', 'prebuild.mjs'), '--check', 'linux-x64', 'linux-arm64', 'win32-x64'], { encoding: 'utf8' });
  expect(check.status, check.stderr).toBe(0);
  // --ignore-scripts: prepare would recompile dist/ while the Wine tests copy it.
  const r = spawnSync(process.execPath, [npmCli(), 'pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  expect(pack.files.map((f) => f.path).filter((p) => p.startsWith('prebuilds/')).sort()).toEqual([
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
