// A monitor dropped by its owner while its calls are in flight: the calls still settle and nothing
// touches a freed wrapper (issue 13's one-off double free). Run in a child process, the only way
// to force collections (--expose-gc) without changing this worker's flags; under scripts/sanitize.sh
// the child inherits the sanitizer runtime and report paths, so ASan judges it too.
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { execFile } from 'node:child_process';

const child = fileURLToPath(new URL('../fixtures/dropped-monitor.mjs', import.meta.url));

test('a monitor and its shim instance collected with calls in flight: every call settles, the process stays up', async () => {
  const rounds = 3;
  const calls = 2000;
  // The old wrapper crashed the child or left it spinning on a corrupted heap: a deadline kills it.
  const r = await promisify(execFile)(process.execPath, ['--expose-gc', child, String(rounds), String(calls)], { timeout: 40000, killSignal: 'SIGKILL' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ outcome: 'settled', calls: rounds * calls, settled: rounds * calls, collected: rounds, events: true });
}, 60000);
