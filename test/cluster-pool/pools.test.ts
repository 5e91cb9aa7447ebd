// Issue 13: clusters are independent, so vitest may run files that start them in worker threads
// of one process (`--pool=threads`) as well as in forks: four files, each with two clusters of
// the same type at once, pass under both.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

for (const pool of ['threads', 'forks']) {
  test(`four files of clusters of one type pass with --pool=${pool}`, () => {
    const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/cluster-pool/vitest.config.ts', `--pool=${pool}`, '--reporter=verbose'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: 120000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).toBe(0);
    expect(out).toMatch(/Test Files\s+4 passed \(4\)/);
    expect(out).toMatch(/Tests\s+8 passed \(8\)/);
  }, 130000);
}
