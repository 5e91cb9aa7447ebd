// Loads a user's resource module and finds its definition (the default export, or the only
// exported definition). Used by the host process, the mock cluster and every CLI command that
// names a module, so each says the same thing about a module it cannot use.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isResourceTypeDefinition, type ResourceTypeDefinition } from './define.js';

/** The module cannot be used as a resource type (missing, not JavaScript, no definition). */
export class ModuleLoadError extends Error {
  override name = 'ModuleLoadError';
}

export async function loadResourceType(modulePath: string): Promise<ResourceTypeDefinition> {
  const file = resolve(modulePath);
  if (!existsSync(file)) throw new ModuleLoadError(`module not found: ${file}`);
  if (/\.(c|m)?ts$/.test(file)) {
    throw new ModuleLoadError(`${modulePath} is TypeScript; compile it first (npx tsc) and pass the .js file`);
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (isResourceTypeDefinition(mod.default)) return mod.default;
  const found = Object.values(mod).filter(isResourceTypeDefinition);
  if (found.length === 1) return found[0]!;
  throw new ModuleLoadError(
    found.length === 0
      ? `${modulePath} exports no resource type; export default defineResourceType({...})`
      : `${modulePath} exports ${found.length} resource types; export the one to run as default`,
  );
}
