// `wsfc-resource init`: the project it writes, the names it derives, and what it refuses (nothing
// written then). That the project passes npm install && npm test is test/package/tarball.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { fileStem, SCAFFOLD_TOOLS, typeNameFrom } from '../../lib/scaffold/project.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}dist/cli/main.js`;
const work = mkdtempSync(join(tmpdir(), 'init-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const init = (...args: string[]) => spawnSync(process.execPath, [cli, 'init', ...args], { cwd: work, encoding: 'utf8' });

function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]).sort();
}

test('writes the project, named from its folder, depending on this version by default', () => {
  const r = init('contoso-cache');
  expect(r.status, r.stderr).toBe(0);
  const dir = join(work, 'contoso-cache');
  expect(tree(dir)).toEqual(['.gitignore', 'README.md', 'package.json', 'src/contoso-cache.ts', 'test/contoso-cache.test.ts', 'tsconfig.json', 'vitest.config.ts']);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; type: string; scripts: Record<string, string>; dependencies: Record<string, string> };
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  expect(pkg).toMatchObject({ name: 'contoso-cache', type: 'module', dependencies: { 'wsfc-resource': `^${version}` } });
  expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'check', 'mock', 'test']);
  expect(readFileSync(join(dir, 'src', 'contoso-cache.ts'), 'utf8')).toContain("name: \"ContosoCache\"");
  const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  expect(tsconfig.compilerOptions).toMatchObject({ strict: true, erasableSyntaxOnly: true, verbatimModuleSyntax: true });
  expect(r.stdout).toContain('npm install && npm test');
});

test('--name and --from: a tarball or a package folder becomes a file: dependency', () => {
  const tgz = join(work, 'wsfc-resource-9.9.9.tgz');
  writeFileSync(tgz, '');
  const r = init('a', '--name', 'Cache2', '--from', tgz);
  expect(r.status, r.stderr).toBe(0);
  expect(existsSync(join(work, 'a', 'src', 'cache2.ts'))).toBe(true);
  expect(JSON.parse(readFileSync(join(work, 'a', 'package.json'), 'utf8')).dependencies['wsfc-resource']).toBe(`file:${tgz}`);
  const d = init('b', '--name', 'Cache3', '--from', root);
  expect(d.status, d.stderr).toBe(0);
  expect(JSON.parse(readFileSync(join(work, 'b', 'package.json'), 'utf8')).dependencies['wsfc-resource']).toBe(`file:${root.replace(/\/$/, '')}`);
});

test('refuses a non-empty folder, a bad type name and a --from that is no package, writing nothing', () => {
  mkdirSync(join(work, 'full'));
  writeFileSync(join(work, 'full', 'keep.txt'), 'mine');
  const full = init('full');
  expect(full.status).toBe(2);
  expect(full.stderr).toContain('is not an empty folder');
  expect(readdirSync(join(work, 'full'))).toEqual(['keep.txt']);

  for (const name of ['lower', 'Has Space', 'Bad-Dash', '9Lives', 'X'.repeat(65)]) {
    const bad = init('named', '--name', name);
    expect(bad.status, name).toBe(2);
    expect(bad.stderr).toContain('a type name here is a letter A-Z');
  }
  const underscore = init('___');
  expect(underscore.status).toBe(2);
  expect(underscore.stderr).toContain("cannot make a type name from the folder name '___': give one with --name TypeName");
  const from = init('c', '--from', join(work, 'missing.tgz'));
  expect(from.status).toBe(2);
  expect(from.stderr).toContain('no such file or folder');
  const notPkg = init('d', '--from', join(work, 'full'));
  expect(notPkg.status).toBe(2);
  expect(notPkg.stderr).toContain('the folder has no package.json');
  for (const d of ['named', '___', 'c', 'd']) expect(existsSync(join(work, d))).toBe(false);
});

test('type names and file names from folder names', () => {
  expect(['contoso-cache', 'my_service', 'web api', 'x1', '1abc'].map(typeNameFrom)).toEqual(['ContosoCache', 'MyService', 'WebApi', 'X1', '']);
  expect(['ContosoCache', 'HTTPService', 'Cache2', 'X'].map(fileStem)).toEqual(['contoso-cache', 'http-service', 'cache2', 'x']);
});

test("a new project's tools are the versions this repository tests with", () => {
  const dev = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
  expect(SCAFFOLD_TOOLS).toEqual({ typescript: dev.typescript, vitest: dev.vitest, typesNode: dev['@types/node'] });
});
