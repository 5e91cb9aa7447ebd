// npm as the package tests run it: its own script under this node, so that a PATH without npm
// (or with nothing but node) does not matter.
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of npm-cli.js: the npm running `npm test`, else the npm on PATH. */
export function npmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm?.endsWith('npm-cli.js')) return fromNpm;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (existsSync(join(dir, 'npm'))) return realpathSync(join(dir, 'npm'));
  }
  throw new Error('npm is not on PATH');
}
