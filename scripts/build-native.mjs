// `npm run build:native`: cmake-js configures (once) and builds the CMake project for this machine
// into build/native — libwsfcres.so, mock-rhs, the addons, the test-only libraries, the native
// tests — with the Node-API headers of node-api-headers and node-addon-api (no download).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cmakeJs = join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
const jobs = process.env.JOBS ?? String(availableParallelism());
const r = spawnSync(process.execPath, [cmakeJs, 'build', '--out', join(root, 'build', 'native'), '--parallel', jobs, '--log-level', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
