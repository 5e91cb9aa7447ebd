// The TypeScript layers of DESIGN §7, enforced: the library core (lib/*.ts) imports nothing above
// it; deploy/ and host/ build on the core, testing/ on the host (its in-process host), scaffold/
// (init's project files) on nothing; none reaches
// into the CLI, which is the top; and no command imports another command (shared CLI code lives
// in non-command modules such as cli/usage.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const lib = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'lib');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** lib-relative paths of the project modules a file imports (static and type imports, re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
  specs.push(...[...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!));
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(lib, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** The layer of a lib-relative path: its first folder, or 'core' for files directly in lib/. */
const layerOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : 'core');

// Which layers each layer may import (itself included).
const allowed: Record<string, string[]> = {
  core: ['core'],
  deploy: ['core', 'deploy'],
  host: ['core', 'host'],
  testing: ['core', 'host', 'testing'],   // the in-process host runs the handlers in the test process
  scaffold: ['scaffold'],                 // the files of a new project (init): text only
  cli: ['core', 'deploy', 'testing', 'scaffold', 'cli'],
};

/** A command is a CLI module that exports a `run<Command>` function; main.ts dispatches to them. */
const isCommand = (path: string) =>
  path.startsWith('cli/') && path !== 'cli/main.ts' && /export async function run[A-Z]/.test(readFileSync(join(lib, path), 'utf8'));

const files = sources(lib).map((f) => relative(lib, f));

describe('TypeScript layers', () => {
  it('finds the layers it checks', () => {
    expect(new Set(files.map(layerOf))).toEqual(new Set(Object.keys(allowed)));
  });

  it.each(files)('%s imports only from the layers under it', (file) => {
    const bad = importsOf(join(lib, file)).filter((dep) => !allowed[layerOf(file)]!.includes(layerOf(dep)));
    expect(bad, `${file} reaches up a layer`).toEqual([]);
  });

  it('no command imports another command', () => {
    const crossings = files
      .filter(isCommand)
      .flatMap((file) => importsOf(join(lib, file)).filter((dep) => dep !== file && isCommand(dep)).map((dep) => `${file} -> ${dep}`));
    expect(crossings).toEqual([]);
  });
});
