// The files of a new resource type project (`wsfc-resource init`): what each holds, decided here;
// writing them is the command's job.
import { testSource } from './test-source.js';
import { typeSource } from './type-source.js';

export interface ProjectOptions {
  /** The resource type name (a PascalCase identifier). */
  typeName: string;
  /** The npm package name of the project. */
  packageName: string;
  /** What package.json names as the wsfc-resource dependency: a range, or file:<tgz|dir>. */
  dependency: string;
  /** Versions of the development tools (the ones this package is tested with). */
  tools: { typescript: string; vitest: string; typesNode: string };
}

/** The development tools a new project gets: the versions this package is tested with (its
 * devDependencies, which the packed package.json does not carry; a test keeps them equal). */
export const SCAFFOLD_TOOLS: ProjectOptions['tools'] = { typescript: '^5.9.3', vitest: '^3.2.4', typesNode: '^20.19.0' };

/** A type name the scaffold accepts: it also names the source file and the test. */
export const SCAFFOLD_TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

/** ContosoCache -> contoso-cache (the file names). */
export function fileStem(typeName: string): string {
  return typeName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/** my-service, my_service, 'my service' -> MyService; '' when nothing usable is left. */
export function typeNameFrom(text: string): string {
  const name = text.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Z]/.test(name) ? name.slice(0, 64) : '';
}

/** An npm package name from a folder name (lower case, url-safe). */
export function packageNameFrom(text: string, typeName: string): string {
  const name = text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[-]+$/g, '');
  return name && name.length <= 214 ? name : fileStem(typeName);
}

export function projectFiles(o: ProjectOptions): Record<string, string> {
  const stem = fileStem(o.typeName);
  const compiled = `dist/src/${stem}.js`;
  const pkg = {
    name: o.packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      test: 'tsc -p tsconfig.json && vitest run',
      mock: `tsc -p tsconfig.json && wsfc-resource mock ${compiled}`,
      check: `tsc -p tsconfig.json && wsfc-resource check ${compiled}`,
    },
    dependencies: { 'wsfc-resource': o.dependency },
    devDependencies: { '@types/node': o.tools.typesNode, typescript: o.tools.typescript, vitest: o.tools.vitest },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      // What Node.js's type stripping can run as it is (Node 22.18+: node src/x.ts).
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      skipLibCheck: true,
      types: ['node'],
      rootDir: '.',
      outDir: 'dist',
      sourceMap: true,
    },
    include: ['src', 'test'],
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The mock cluster is a native addon with its own threads: one process per test file.
    pool: 'forks',
    // Host processes start and real processes come and go: more than vitest's 5 s default.
    testTimeout: 30000,
    hookTimeout: 30000,
  },
});
`,
    '.gitignore': 'node_modules/\ndist/\n*.log\n',
    [`src/${stem}.ts`]: typeSource(o.typeName),
    [`test/${stem}.test.ts`]: testSource(o.typeName, stem),
    'README.md': readme(o, stem, compiled),
  };
}

function readme(o: ProjectOptions, stem: string, compiled: string): string {
  return `# ${o.packageName}

The Windows Server Failover Clustering resource type **${o.typeName}**, written with
[wsfc-resource](https://www.npmjs.com/package/wsfc-resource): \`src/${stem}.ts\` keeps a Node.js
script running (a built-in server until you set \`Script\`), answers IsAlive by connecting to its
\`Port\`, and answers one control code, \`GET_PID\`.

## Commands

| command | what it does |
|---|---|
| \`npm install\` | installs wsfc-resource (prebuilt native code: no compiler needed), TypeScript and vitest |
| \`npm test\` | compiles, then runs \`test/${stem}.test.ts\` in a mock cluster (the real native shim and monitor) on Resource API V1 and V2, in this process and in a host process |
| \`npm run mock\` | one resource in a mock cluster, polled like a cluster would, its timeline printed (Ctrl-C stops) |
| \`npm run check\` | the conformance battery: lifecycle, Terminate at every stage, property SETs at the schema's bounds, each handler against its deadline, host loss, no process left behind |
| \`npm run build\` | compiles to \`dist/\` |

Options go after \`--\`: \`npm run mock -- --set Port=9000 --host process\`.

## TypeScript without a build step

On Node.js 22.18 or later (which strips types), the CLI and the mock cluster run the source as it
is: \`npx wsfc-resource mock src/${stem}.ts\`, \`npx wsfc-resource check src/${stem}.ts\`,
\`MockCluster.start({ host: 'process', module: 'src/${stem}.ts' })\`. On Node.js 20, name a loader
(\`npm install --save-dev tsx\`, then \`NODE_OPTIONS='--import tsx' npx wsfc-resource ...\`, or
\`hostProcess: { args: ['--import', 'tsx'] }\`), or use the compiled \`${compiled}\` as the scripts do.
The tsconfig keeps to syntax Node can strip (\`erasableSyntaxOnly\`).

## Making it yours

- Point \`Script\` at your service (an absolute path); it gets \`PORT\` and \`HOST\` in its environment
  and should exit when its stdin closes (its host is gone).
- Online must return only once the service answers, call \`progress()\` while it waits, and stop
  at once when its \`signal\` aborts: that is the cluster's Terminate.
- LooksAlive answers within 50 ms and IsAlive within 200 ms; \`npm run check\` tells you when a
  handler takes more than half of that.

## On a cluster

\`npx wsfc-resource register ${compiled}\` on a cluster node, as a cluster administrator, installs
the type on every node; \`npx wsfc-resource doctor ${compiled}\` checks a deployment.
`;
}
