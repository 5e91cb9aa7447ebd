// `wsfc-resource init [dir]`: writes a new resource type project (lib/scaffold) that passes
// `npm install && npm test` as it is, into a folder that is empty or new.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { packageRoot } from '../package-paths.js';
import { fileStem, packageNameFrom, projectFiles, SCAFFOLD_TOOLS, SCAFFOLD_TYPE_NAME, typeNameFrom } from '../scaffold/project.js';
import { parseCommandArgs } from './options.js';
import { UsageError } from './usage.js';

export const initHelp = `Usage: wsfc-resource init [dir] [--name TypeName] [--from <tgz|dir>]

Writes a new resource type project into dir (default: the current folder), which must be empty
or not exist yet:
  package.json       ESM; scripts build, test, mock, check
  tsconfig.json      strict, and within what Node.js can run without a build step
  vitest.config.ts   one process per test file (the mock cluster is native code)
  src/<type>.ts      a small real type: a child process, a health check, two properties, a
                     control code
  test/<type>.test.ts  its lifecycle on Resource API V1 and V2, in-process and in a host
                     process, a property SET, Terminate during an Online that never finishes
  .gitignore, README.md
Then: cd dir && npm install && npm test.

Options:
  --name <TypeName>      the resource type name: a letter A-Z, then letters and digits (default:
                         from the folder's name, e.g. contoso-cache -> ContosoCache)
  --from <tgz|dir>       the wsfc-resource package to depend on: a packed tarball or a package
                         folder (default: the registry, at this CLI's version)
  -h, --help             this text
`;

interface PackageJson {
  version: string;
}

function dependencyFrom(from: string | undefined, version: string): string {
  if (from === undefined) return `^${version}`;
  const path = resolve(from);
  if (!existsSync(path)) throw new UsageError(`--from ${from}: no such file or folder`);
  const isDir = statSync(path).isDirectory();
  if (isDir && !existsSync(join(path, 'package.json'))) throw new UsageError(`--from ${from}: the folder has no package.json`);
  if (!isDir && !/\.(tgz|tar\.gz)$/.test(path)) throw new UsageError(`--from ${from}: expected a packed tarball (.tgz) or a package folder`);
  return `file:${path}`;
}

export async function runInit(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseCommandArgs('init', {
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, from: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out(initHelp);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('init takes at most one folder');
  const dir = resolve(positionals[0] ?? '.');
  const typeName = values.name ?? typeNameFrom(basename(dir));
  if (!SCAFFOLD_TYPE_NAME.test(typeName)) {
    throw new UsageError(values.name === undefined
      ? `cannot make a type name from the folder name '${basename(dir)}': give one with --name TypeName`
      : `--name ${JSON.stringify(values.name)}: a type name here is a letter A-Z, then up to 63 letters and digits (it also names src/<type>.ts)`);
  }
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new UsageError(`${dir} is not an empty folder; init writes a new project only into an empty or new one`);
  }
  const own = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as PackageJson;
  const files = projectFiles({
    typeName,
    packageName: packageNameFrom(basename(dir), typeName),
    dependency: dependencyFrom(values.from, own.version),
    tools: SCAFFOLD_TOOLS,
  });
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' });
  }
  const rel = relative(process.cwd(), dir);
  const where = rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
  out(`wrote resource type ${typeName} in ${dir}:`);
  for (const path of Object.keys(files).sort()) out(`  ${path}`);
  out(`next: ${where === '.' ? '' : `cd ${where} && `}npm install && npm test   (then npm run check; src/${fileStem(typeName)}.ts is yours)`);
  return 0;
}
