// Whether the shim would accept a type configuration built from this manifest: the shim's own
// validator (checkTypeConfig in the addon), so doctor and register refuse exactly what the DLL
// would refuse at Startup.
import { resolve } from 'node:path';
import type { manifestOf } from '../manifest.js';
import { native } from '../native.js';
import { hostMainPath } from '../package-paths.js';

/** Why the shim's own configuration check would refuse this manifest, or undefined. */
export function shimRefusal(manifest: ReturnType<typeof manifestOf>, modulePath: string): string | undefined {
  const config = { version: 1, manifest, host: { node: process.execPath, main: hostMainPath(), module: resolve(modulePath) } };
  const verdict = native().checkTypeConfig(JSON.stringify(config));
  return typeof verdict === 'string' ? verdict : undefined;
}
