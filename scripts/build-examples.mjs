// Compiles the examples (user code importing 'wsfc-resource') and copies their plain-JS assets.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.examples.json')], { stdio: 'inherit' });
for (const example of readdirSync(join(root, 'examples'), { withFileTypes: true })) {
  if (!example.isDirectory()) continue;
  const from = join(root, 'examples', example.name);
  for (const file of readdirSync(from)) {
    if (/\.(mjs|cjs|json|html)$/.test(file)) cpSync(join(from, file), join(root, 'dist', 'examples', example.name, file));
  }
}
