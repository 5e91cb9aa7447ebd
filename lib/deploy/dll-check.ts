// doctor's and register's check of a resource DLL: a PE32+ x64 DLL that exports Startup and
// StartupEx and needs no C++ runtime a cluster node lacks. The PE image is read in TypeScript, so
// this runs on any OS.
import { existsSync, readFileSync } from 'node:fs';
import { PeFormatError, readPe } from '../pe.js';
import type { Finding } from './finding.js';

// What a statically linked mingw or MSVC build may import: Windows itself, nothing else.
const RUNTIME_DLLS = /^(libstdc\+\+|libgcc|libwinpthread|vcruntime|msvcp)/i;

export function checkDll(path: string): Finding[] {
  const check = 'dll';
  if (!existsSync(path)) {
    return [{ check, status: 'warn', message: `${path} does not exist`, fix: 'reinstall wsfc-resource (its package ships prebuilds/win32-x64/wsfcres.dll; in a checkout: npm run build:win), or pass --dll <path>' }];
  }
  let pe;
  try {
    pe = readPe(readFileSync(path));
  } catch (err) {
    const why = err instanceof PeFormatError ? err.message : String(err);
    return [{ check, status: 'fail', message: `${path}: ${why}`, fix: 'point --dll at wsfcres.dll from prebuilds/win32-x64' }];
  }
  const out: Finding[] = [];
  if (pe.format !== 'PE32+' || pe.machine !== 0x8664) {
    out.push({ check, status: 'fail', message: `${path} is ${pe.format} for machine 0x${pe.machine.toString(16)}, not PE32+ x64`, fix: 'RHS is 64-bit: use the win32-x64 build' });
  }
  if (!pe.isDll) out.push({ check, status: 'fail', message: `${path} is not a DLL`, fix: 'point --dll at wsfcres.dll' });
  const missing = ['Startup', 'StartupEx'].filter((e) => !pe.exports.includes(e));
  if (missing.length) {
    out.push({ check, status: 'fail', message: `${path} does not export ${missing.join(' and ')}`, fix: 'this is not a resource DLL built from wsfc-resource; use wsfcres.dll' });
  }
  const extra = pe.exports.filter((e) => e !== 'Startup' && e !== 'StartupEx');
  if (extra.length) out.push({ check, status: 'warn', message: `${path} also exports ${extra.join(', ')}` });
  const runtime = pe.imports.filter((d) => RUNTIME_DLLS.test(d));
  if (runtime.length) {
    out.push({ check, status: 'fail', message: `${path} needs ${runtime.join(', ')}, which a cluster node does not have`, fix: 'link the C++ runtime statically (scripts/build-win.sh does)' });
  }
  if (out.length === 0) out.push({ check, status: 'ok', message: `${path}: PE32+ x64 DLL exporting Startup and StartupEx, imports ${pe.imports.join(', ')}` });
  return out;
}
