// `wsfc-resource manifest <module>`: the manifest as JSON, and with --config a whole type
// configuration that the shim's own reader accepts as it is.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { native } from '../../lib/native.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}dist/cli/main.js`;
const demo = `${root}test/fixtures/demo-type.mjs`;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });

test('prints the manifest JSON the module defines', () => {
  const r = run('manifest', demo);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    name: 'CliDemo',
    properties: [
      { name: 'Greeting', format: 'sz', required: false, readOnly: false, default: 'hello' },
      { name: 'Port', format: 'dword', required: false, readOnly: false, default: 1, min: 1, max: 65535 },
    ],
    characteristics: 0,
    flags: 0,
    resourceClass: 0,
    resourceSubClass: 0,
    requiredDependencies: { classes: [], types: [] },
    timeouts: { looksAliveMs: 50, isAliveMs: 200, controlMs: 250, terminateAckMs: 250, pendingTimeoutMs: 180000, looksAlivePollIntervalMs: 5000, isAlivePollIntervalMs: 60000 },
    restartOnPropertyChange: true,
    hasValidate: false,
  });
  expect(run('manifest', demo, '--json').stdout).toBe(r.stdout);
});

test('--config prints a type configuration the shim accepts', () => {
  const r = run('manifest', demo, '--config', '--log-file', '/var/log/clidemo.log');
  expect(r.status).toBe(0);
  const cfg = JSON.parse(r.stdout) as { host: Record<string, string> };
  expect(cfg.host).toEqual({ node: process.execPath, main: `${root}dist/host/main.js`, module: demo, logFile: '/var/log/clidemo.log' });
  expect(native().checkTypeConfig(r.stdout)).toMatchObject({ typeName: 'CliDemo' });
});

test('usage errors exit 2', () => {
  expect(run('manifest').status).toBe(2);
  expect(run('manifest', demo, '--log-file', 'x').stderr).toContain('--log-file only goes with --config');
  expect(run('manifest', `${root}nope.js`).stderr).toContain('module not found');
});
