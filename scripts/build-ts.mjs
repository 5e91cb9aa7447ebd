// Compiles the library into dist/ from scratch (a file left there by a source that is gone would
// still be imported by a test, and packed), then the examples (user code importing
// 'wsfc-resource'), copying their plain-JS assets.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.examples.json')], { stdio: 'inherit' });
for (const example of readdirSync(join(root, 'examples'), { withFileTypes: true })) {
  if (!example.isDirectory()) continue;
  const from = join(root, 'examples', example.name);
  for (const file of readdirSync(from)) {
    if (/\.(mjs|cjs|json|html)$/.test(file)) cpSync(join(from, file), join(root, 'dist', 'examples', example.name, file));
  }
}
