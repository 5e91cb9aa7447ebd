// A command run as a user runs it from a terminal, for the CLI tests: its output collected, and
// Ctrl-C (SIGINT) sent once the output shows what the test waits for, as `wsfc-resource mock`
// is ended.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The package's CLI as `npx wsfc-resource` finds it: this checkout's dist/cli/main.js, or, where
 * the suites run beside an installed tarball (scripts/installed-tier.sh), the installed package's
 * (not the dist symlink there, which Windows node does not resolve: the CLI would look for its
 * prebuilds beside the symlink). */
export const cliMain = join(dirname(createRequire(import.meta.url).resolve('wsfc-resource/package.json')), 'dist', 'cli', 'main.js');

export interface CommandResult {
  code: number | null;
  out: string;
  err: string;
}

/** How often a spawn that Windows refuses with an error libuv cannot name is tried (see below). */
const spawnAttempts = process.platform === 'win32' ? 3 : 1;

export async function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; interruptAfter?: (out: string) => boolean } = {},
): Promise<CommandResult> {
  // Under Wine 8 (the Windows node tier) CreateProcess now and then fails with an error libuv
  // cannot name, and spawn throws `spawn UNKNOWN` before the command ran at all (seen once in CI,
  // in test/process/typescript-modules.test.ts, with the machine busy). That is the test
  // environment refusing to start the command, not the command's behaviour: try it again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(command, args, options);
    } catch (err) {
      if (attempt >= spawnAttempts || (err as NodeJS.ErrnoException).code !== 'UNKNOWN') throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function runOnce(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; interruptAfter?: (out: string) => boolean },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && options.interruptAfter?.(out)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}
