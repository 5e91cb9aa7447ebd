// Loads a user's resource module and finds its definition (the default export, or the only
// exported definition). Used by the host process, the mock cluster and every CLI command that
// names a module, so each says the same thing about a module it cannot use.
//
// TypeScript modules (.ts/.mts/.cts) run without a build step when the node importing them can:
// Node >= 22.18 strips types by itself (process.features.typescript, nodejs.org/api/typescript.html),
// and on an older node a loader does it (`node --import tsx`). A node that can do neither gets a
// message naming the Node version or the loader that would.
import { existsSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isResourceTypeDefinition, type ResourceTypeDefinition } from './define.js';

/** The module cannot be used as a resource type (missing, not runnable here, no definition). */
export class ModuleLoadError extends Error {
  override name = 'ModuleLoadError';
}

/** Who imports the module: the fix for a TypeScript module a node cannot run differs. */
export type ModuleLoader = 'cli' | 'host' | 'library';

export interface LoadModuleOptions {
  /** Default 'library' (MockCluster, runConformance). */
  loader?: ModuleLoader;
  /**
   * The node options a host process gets for this module (`hostProcess.args`, the type
   * configuration's `host.args`). When this node cannot run TypeScript by itself, their loader
   * options (--import, --require, --loader, --experimental-loader) are applied here as well, so
   * that the process which starts the host can read the same module.
   */
  loaderArgs?: readonly string[];
}

const TYPESCRIPT = /\.(c|m)?ts$/;
/** The first release line whose node strips types without a flag. */
export const TYPE_STRIPPING_NODE = '22.18';

/** Whether this node runs .ts files as they are (type stripping; on by default from 22.18). */
export function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

export function isTypeScriptModule(path: string): boolean {
  return TYPESCRIPT.test(path) && !/\.d\.(c|m)?ts$/.test(path);
}

/** The loader options in a node argument list, as [flag, specifier] pairs. */
export function loaderOptions(args: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  const flags = ['--import', '--require', '-r', '--loader', '--experimental-loader'];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (!flags.includes(flag)) continue;
    const spec = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (spec !== undefined) out.push([flag, spec]);
  }
  return out;
}

/** This process's own loader options (`node --import tsx ...`), for a host it starts. */
export function inheritedLoaderArgs(): string[] {
  return loaderOptions(process.execArgv).flat();
}

const applied = new Set<string>();

/** Applies a host's loader options to this process: what node does with them at start. */
async function applyLoaders(args: readonly string[], moduleFile: string): Promise<void> {
  for (const [flag, spec] of loaderOptions(args)) {
    const key = `${flag} ${spec}`;
    if (applied.has(key)) continue;
    const url = resolveLoader(spec, moduleFile);
    if (flag === '--require' || flag === '-r') createRequire(moduleFile)(new URL(url).pathname);
    else if (flag === '--import') await import(url);
    else register(url);
    applied.add(key);
  }
}

/** node resolves a loader specifier from its working directory; the host's may differ from
 * ours, so the module's own folder (where its package's node_modules are) is tried too. */
function resolveLoader(spec: string, moduleFile: string): string {
  if (spec.startsWith('file:')) return spec;
  if (isAbsolute(spec) || spec.startsWith('.')) return pathToFileURL(resolve(spec)).href;
  for (const base of [join(process.cwd(), 'noop.js'), moduleFile]) {
    try {
      return pathToFileURL(createRequire(base).resolve(spec)).href;
    } catch {
      // not found from there; try the next base
    }
  }
  throw new ModuleLoadError(`the loader '${spec}' is not installed (looked from ${process.cwd()} and ${dirname(moduleFile)}): npm install --save-dev ${spec}`);
}

/** What to do about a TypeScript module this node cannot run, for the one who imports it. */
export function typeScriptFix(modulePath: string, loader: ModuleLoader, node = process.version): string {
  const why = `${modulePath} is TypeScript, and Node.js ${node} cannot run TypeScript by itself (type stripping needs Node.js ${TYPE_STRIPPING_NODE} or later)`;
  switch (loader) {
    case 'cli':
      return `${why}. Run the command with Node.js ${TYPE_STRIPPING_NODE}+, or with a loader: npm install --save-dev tsx, then NODE_OPTIONS='--import tsx' npx wsfc-resource ... (a host process inherits it); or compile the module (npx tsc) and pass the .js file`;
    case 'host':
      return `${why}. In the type configuration, set host.node to a Node.js ${TYPE_STRIPPING_NODE}+ executable, or host.args to ["--import", "tsx"] with tsx installed beside the module; or compile the module and name the .js file`;
    case 'library':
      return `${why}. Run the tests with Node.js ${TYPE_STRIPPING_NODE}+, or name a loader for the host, hostProcess: { args: ['--import', 'tsx'] } (this process applies it too); or compile the module and pass the .js file`;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

async function importModule(file: string, modulePath: string, options: LoadModuleOptions): Promise<Record<string, unknown>> {
  const typescript = isTypeScriptModule(file);
  if (typescript && !nodeStripsTypes() && options.loaderArgs) await applyLoaders(options.loaderArgs, file);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const code = errorCode(err);
    if (typescript && code === 'ERR_UNKNOWN_FILE_EXTENSION') throw new ModuleLoadError(typeScriptFix(modulePath, options.loader ?? 'library'));
    if (typescript && code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
      throw new ModuleLoadError(`${modulePath} uses TypeScript that Node.js only compiles, not strips (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): keep to erasable syntax (tsconfig "erasableSyntaxOnly": true), or use a loader such as tsx`);
    }
    if (typescript && code === 'ERR_MODULE_NOT_FOUND' && /\.js'/.test(String(err))) {
      throw new ModuleLoadError(`${modulePath}: ${err instanceof Error ? err.message : String(err)}. Node.js runs a .ts module's relative imports as written: import './x.ts' (tsconfig "allowImportingTsExtensions" and "rewriteRelativeImportExtensions")`);
    }
    throw err;
  }
}

export async function loadResourceType(modulePath: string, options: LoadModuleOptions = {}): Promise<ResourceTypeDefinition> {
  const file = resolve(modulePath);
  if (!existsSync(file)) throw new ModuleLoadError(`module not found: ${file}`);
  const mod = await importModule(file, modulePath, options);
  if (isResourceTypeDefinition(mod.default)) return mod.default;
  const found = Object.values(mod).filter(isResourceTypeDefinition);
  if (found.length === 1) return found[0]!;
  throw new ModuleLoadError(
    found.length === 0
      ? `${modulePath} exports no resource type; export default defineResourceType({...})`
      : `${modulePath} exports ${found.length} resource types; export the one to run as default`,
  );
}
