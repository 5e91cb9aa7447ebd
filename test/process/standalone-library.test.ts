// libwsfcres.so as RHS would load it: it exports exactly Startup and StartupEx, and Startup reads
// the type configuration beside it — a missing or bad file fails Startup with a clear code and
// one LogEvent line, never a crash.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { builtLibrary, deploy, hostMain, removeScratchDirs, root, runMockRhs } from '../support/standalone.js';

afterAll(removeScratchDirs);

const ERROR_CLUSTER_RESNAME_NOT_FOUND = 5080;
const ERROR_BAD_CONFIGURATION = 1610;
const demo = `${root}test/fixtures/demo-type.mjs`;
const manifest = JSON.parse(execFileSync(process.execPath, [`${root}dist/cli/main.js`, 'manifest', demo], { encoding: 'utf8' })) as object;
const good = { version: 1, manifest, host: { node: process.execPath, main: hostMain, module: demo } };

test('the library exports Startup and StartupEx and nothing else', () => {
  const symbols = execFileSync('nm', ['-D', '--defined-only', builtLibrary], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((l) => l.split(' ').pop());
  expect(symbols.sort()).toEqual(['Startup', 'StartupEx']);
});

describe('Startup and the configuration file', () => {
  const startupOf = async (config?: unknown) => {
    const { library } = deploy(config);
    const run = await runMockRhs(library, 'CliDemo', []);
    const startup = run.events.filter((e) => e.kind === 'call' && e.name === 'StartupEx');
    const errors = run.events.filter((e) => e.kind === 'log' && e.level === 2);
    return { run, status: startup[0]?.result, errors: errors.map((e) => e.message) };
  };

  test('a good file: Startup succeeds and launches the host', async () => {
    const { run, status, errors } = await startupOf(good);
    expect(status).toBe(0);
    expect(errors).toEqual([]);
    expect(run.code).toBe(0);
  });

  test('no file: ERROR_CLUSTER_RESNAME_NOT_FOUND and one line naming the file', async () => {
    const { run, status, errors } = await startupOf();
    expect(status).toBe(ERROR_CLUSTER_RESNAME_NOT_FOUND);
    expect(errors).toEqual([expect.stringMatching(/^Startup: no configuration for resource type 'CliDemo' \(\/.*\/libwsfcres\.json: No such file or directory\)$/)]);
    expect(run.code).toBe(3);
  });

  test('a file for another type: ERROR_CLUSTER_RESNAME_NOT_FOUND', async () => {
    const { status, errors } = await startupOf({ ...good, manifest: { ...manifest, name: 'Other' } });
    expect(status).toBe(ERROR_CLUSTER_RESNAME_NOT_FOUND);
    expect(errors).toEqual([expect.stringMatching(/libwsfcres\.json configures resource type 'Other', not 'CliDemo'\)$/)]);
  });

  test.each([
    ['not JSON', '{ "version": 1', /line 1, column 15: expected ',' or '}'$/],
    ['raw invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('latin1'), /./],
    ['a relative module path', { ...good, host: { ...good.host, module: 'demo-type.mjs' } }, /host\.module: must be an absolute path/],
    ['over 64 KiB', JSON.stringify(good) + ' '.repeat(64 * 1024), /larger than 64 KiB$/],
    ['binary garbage', '\u0000\u0001\u0002', /line 1, column 1: unexpected character/],
  ])('%s: ERROR_BAD_CONFIGURATION and one line saying what is wrong', async (_what, config, expected) => {
    const { run, status, errors } = await startupOf(config);
    expect(status).toBe(ERROR_BAD_CONFIGURATION);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Startup: bad configuration for resource type 'CliDemo': \/.*\/libwsfcres\.json: /);
    expect(errors[0]).toMatch(expected);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(3);
  });
});
