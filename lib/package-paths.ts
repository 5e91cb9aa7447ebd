// Files of this package that other code points at: the host entry point a type configuration
// names, and the resource DLL the package ships. Resolved from wherever this file runs (dist/ of
// an installed package, or lib/ of a checkout when tests run the TypeScript sources).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The package's root folder (the one holding package.json). */
export const packageRoot = (): string => join(here, '..');

/** The host entry point of this package (dist/host/main.js). */
export function hostMainPath(): string {
  const beside = join(here, 'host', 'main.js');
  // From the TypeScript sources (tests) the compiled host lives in dist/.
  return existsSync(beside) ? beside : join(packageRoot(), 'dist', 'host', 'main.js');
}

/** The resource DLL this package ships (prebuilds/win32-x64/wsfcres.dll). */
export const packagedDll = (): string => join(packageRoot(), 'prebuilds', 'win32-x64', 'wsfcres.dll');
