// Loads a user's resource module and finds its definition (the default export, or the only
// exported definition).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isResourceTypeDefinition, type ResourceTypeDefinition } from '../define.js';

export class UsageError extends Error {}

export async function loadResourceType(modulePath: string): Promise<ResourceTypeDefinition> {
  const file = resolve(modulePath);
  if (!existsSync(file)) throw new UsageError(`module not found: ${file}`);
  if (/\.(c|m)?ts$/.test(file)) {
    throw new UsageError(`${modulePath} is TypeScript; compile it first (npx tsc) and pass the .js file`);
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (isResourceTypeDefinition(mod.default)) return mod.default;
  const found = Object.values(mod).filter(isResourceTypeDefinition);
  if (found.length === 1) return found[0]!;
  throw new UsageError(
    found.length === 0
      ? `${modulePath} exports no resource type; export default defineResourceType({...})`
      : `${modulePath} exports ${found.length} resource types; export the one to run as default`,
  );
}
