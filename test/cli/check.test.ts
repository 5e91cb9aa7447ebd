// `wsfc-resource check <module>`, run as a user would: exit 0 on the example type, exit 1 on the
// careless fixture naming its three faults, exit 2 on bad usage; one line per finding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { freePort } from '../support/free-port.js';
import { root, runCommand } from '../support/run-command.js';

const cli = `${root}dist/cli/main.js`;
const example = `${root}dist/examples/http-service/http-service.js`;
const careless = `${root}test/fixtures/careless-type.mjs`;
const served = mkdtempSync(join(tmpdir(), 'check-cli-'));
afterAll(() => rmSync(served, { recursive: true, force: true }));

const run = (args: string[]) => runCommand(process.execPath, [cli, ...args]);

test('the example type passes with its handlers in a host process: exit 0', async () => {
  const r = await run(['check', example, '--host', 'process', '--set', `Root=${served}`, '--set', `Port=${await freePort()}`]);
  expect(r.code, `${r.out}\n${r.err}`).toBe(0);
  expect(r.out).toContain('checking resource type ExampleHttpService');
  for (const line of ['lifecycle v1', 'lifecycle v2', 'terminate-online v2', 'host-loss v2', 'processes-after-host-loss v2', 'budget:looksAlive']) {
    expect(r.out).toMatch(new RegExp(`^PASS ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`, 'm'));
  }
  expect(r.out).toMatch(/^\d+ passed, 0 warned, 0 failed, \d+ skipped in \d+\.\d s$/m);
}, 60000);

test('the careless fixture fails: exit 1, naming its three faults', async () => {
  const r = await run(['check', careless, '--resapi', 'v1']);
  expect(r.code, `${r.out}\n${r.err}`).toBe(1);
  const failed = r.out.split('\n').filter((l) => l.startsWith('FAIL')).map((l) => l.split(/\s+/)[1]);
  expect(failed.sort()).toEqual(['budget:looksAlive', 'processes-after-offline', 'terminate-online']);
  expect(r.out).toMatch(/failed: (processes-after-offline|terminate-online|budget:looksAlive)(, (processes-after-offline|terminate-online|budget:looksAlive)){2}$/m);
}, 60000);

test('bad usage exits 2 with what to do; a missing required property fails the setup', async () => {
  const host = await run(['check', example, '--host', 'remote']);
  expect(host.code).toBe(2);
  expect(host.err).toContain("--host is 'inprocess' or 'process'");
  const none = await run(['check']);
  expect(none.code).toBe(2);
  expect(none.err).toContain('check expects exactly one module path');
  const unknown = await run(['check', example, '--set', 'Nope=1']);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain('--set Nope: the type has no such property');
  const required = await run(['check', example]);
  expect(required.code).toBe(1);
  expect(required.out).toContain('FAIL setup');
  expect(required.out).toContain('required properties without a value: Root; give them (--set Root=...)');
});
