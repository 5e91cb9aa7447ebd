// The mock cluster database on disk (MockClusterOptions.propertiesFile): each resource's private
// properties as the exact property-list bytes, hex in a versioned JSON file.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** The stored property lists by resource name; {} without a file or before it exists. */
export function readPropertyStore(file: string | undefined): Record<string, Buffer> {
  if (!file || !existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; resources?: Record<string, string> };
  if (parsed.version !== 1 || typeof parsed.resources !== 'object') throw new Error(`${file}: not a mock cluster property store (version 1)`);
  return Object.fromEntries(Object.entries(parsed.resources).map(([k, hex]) => [k, Buffer.from(hex, 'hex')]));
}

/** Writes the store (every entry of `entries`) to `file`: to a temporary file first, then
 * renamed, so a crash never leaves half a store. */
export function writePropertyStore(file: string, entries: Readonly<Record<string, Buffer>>): void {
  const resources = Object.fromEntries(Object.entries(entries).map(([k, b]) => [k, b.toString('hex')]));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, resources }, null, 2)}\n`);
  renameSync(tmp, file);
}
