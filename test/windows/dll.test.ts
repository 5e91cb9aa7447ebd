// The Windows tier's static checks on the cross-built DLL (scripts/build-win.sh must have run):
// a PE32+ x64 DLL that exports exactly Startup and StartupEx and imports only system DLLs.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { readPe } from '../../lib/pe.js';

const dll = new URL('../../prebuilds/win32-x64/wsfcres.dll', import.meta.url);

test('wsfcres.dll is a PE32+ x64 DLL exporting exactly Startup and StartupEx', () => {
  const pe = readPe(readFileSync(dll));
  expect(pe.format).toBe('PE32+');
  expect(pe.machine).toBe(0x8664);
  expect(pe.isDll).toBe(true);
  expect(pe.exports.sort()).toEqual(['Startup', 'StartupEx']);
});

test('wsfcres.dll imports only system DLLs (static C++ runtime)', () => {
  const imports = readPe(readFileSync(dll)).imports.map((d) => d.toLowerCase());
  expect(imports.filter((d) => /libstdc|libgcc|winpthread/.test(d))).toEqual([]);
  for (const d of imports) expect(['clusapi.dll', 'kernel32.dll', 'msvcrt.dll', 'advapi32.dll', 'user32.dll', 'ws2_32.dll']).toContain(d);
});

test('only wsfcres.dll imports CLUSAPI.dll: the addons and mock-rhs.exe load where there is no cluster API', () => {
  const dir = new URL('../../prebuilds/win32-x64/', import.meta.url);
  for (const name of ['wsfc-host.node', 'wsfc-mock.node', 'mock-rhs.exe']) {
    const imports = readPe(readFileSync(new URL(name, dir))).imports.map((d) => d.toLowerCase());
    expect({ [name]: imports.filter((d) => d === 'clusapi.dll') }).toEqual({ [name]: [] });
    expect(imports.length).toBeGreaterThan(0);
  }
  expect(readPe(readFileSync(dll)).imports.map((d) => d.toLowerCase())).toContain('clusapi.dll');
});
