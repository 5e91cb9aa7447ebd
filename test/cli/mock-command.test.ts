// `wsfc-resource mock <module>`, the README's main job, run as a user would: a child process that
// prints the timeline and exits 0 on Ctrl-C after taking the resource offline.
import { expect, test } from 'vitest';
import { root, runCommand } from '../support/run-command.js';

const cli = `${root}dist/cli/main.js`;
const demo = `${root}test/fixtures/demo-type.mjs`;

const run = (args: string[], interruptAfter?: (output: string) => boolean) => runCommand(process.execPath, [cli, ...args], { interruptAfter });

test('mock runs the type, polls it, and Ctrl-C takes it offline with exit code 0', async () => {
  const polls = (s: string) => (s.match(/call {2}IsAlive -> TRUE/g) ?? []).length;
  const { code, out, err } = await run(
    ['mock', demo, '--set', 'Greeting=hi there', '--set', 'Port=8080', '--looks-alive-ms', '30', '--is-alive-ms', '60'],
    (s) => polls(s) >= 2,
  );
  expect(err).toBe('');
  expect(code).toBe(0);
  expect(out).toContain('mock cluster: resource type CliDemo, resource CliDemo-1, Resource API v2');
  expect(out).toMatch(/CliDemo-1 log {3}\[info\] hi there on 8080/);
  expect(out).toContain('CliDemo-1 is Online');
  expect(out).toMatch(/call {2}LooksAlive -> TRUE/);
  expect(out).toContain('interrupted: taking CliDemo-1 offline');
  expect(out).toMatch(/CliDemo-1 state Offline\n/);
  expect(out).toContain('stopped cleanly, no contract violations');
}, 20000);

test('bad usage exits 2 with a message that says what to do', async () => {
  const unknownProp = await run(['mock', demo, '--set', 'Nope=1']);
  expect(unknownProp.code).toBe(2);
  expect(unknownProp.err).toContain('--set Nope: the type has no such property (known: Greeting, Port)');
  const missing = await run(['mock', `${root}does-not-exist.js`]);
  expect(missing.code).toBe(2);
  expect(missing.err).toContain('module not found');
  const badNumber = await run(['mock', demo, '--set', 'Port=eighty']);
  expect(badNumber.code).toBe(2);
  expect(badNumber.err).toContain("--set Port: 'eighty' is not a decimal integer");
  const outOfRange = await run(['mock', demo, '--set', 'Port=70000']);
  expect(outOfRange.code).toBe(2);
  expect(outOfRange.err).toContain('--set Port: 70000 is above the maximum 65535');
}, 20000);
