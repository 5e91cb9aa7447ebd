// `wsfc-resource doctor` on the real cross-built files: the DLL passes; the other PE files fail
// with the precise reason.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [`${root}dist/cli/main.js`, 'doctor', ...args], { cwd: root, encoding: 'utf8' });
const prebuilt = `${root}prebuilds/win32-x64`;

test('the mingw-built wsfcres.dll passes', () => {
  const r = run('--dll', `${prebuilt}/wsfcres.dll`);
  expect(r.stdout).toMatch(/OK {3}dll {5}.*PE32\+ x64 DLL exporting Startup and StartupEx, imports CLUSAPI\.dll, KERNEL32\.dll, msvcrt\.dll/);
  expect(r.status).toBe(0);
});

test('an executable and a DLL with other exports are refused, each precisely', () => {
  const exe = run('--dll', `${prebuilt}/mock-rhs.exe`);
  expect(exe.status).toBe(1);
  expect(exe.stdout).toContain(`${prebuilt}/mock-rhs.exe is not a DLL`);
  const addon = run('--dll', `${prebuilt}/wsfc-host.node`);
  expect(addon.status).toBe(1);
  expect(addon.stdout).toContain(`${prebuilt}/wsfc-host.node does not export Startup and StartupEx`);
  expect(addon.stdout).toMatch(/WARN dll .*also exports napi_register_module_v1/);
});
