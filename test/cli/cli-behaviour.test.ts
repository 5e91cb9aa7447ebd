// A CLI that behaves (issue 14 item 5), run as a user would: options checked before anything
// starts, strict numbers, helpful unknown options, --version, a closed pipe, and keys on a real
// pseudo-terminal (util-linux `script` gives the command a pty, as a terminal would).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { nearest, parseCommandArgs, parseInteger } from '../../lib/cli/options.js';
import { parsePropertyValue, splitMultiSz } from '../../lib/cli/property-args.js';
import { freePort } from '../support/free-port.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}dist/cli/main.js`;
const demo = `${root}test/fixtures/demo-type.mjs`;
const example = `${root}dist/examples/http-service/http-service.js`;

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; out: string; err: string; ms: number }>((resolve) => {
    const started = Date.now();
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 30000 }, (error, out, err) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out, err, ms: Date.now() - started }));
  });
}

describe('options are checked before anything starts', () => {
  test.each([
    [['--duration-s', '0'], '--duration-s: 0 is out of range (1..2147483)'],
    [['--duration-s', '1.5'], "--duration-s: '1.5' is not a decimal integer"],
    [['--looks-alive-ms', '0x10'], "--looks-alive-ms: '0x10' is not a decimal integer (digits only: no 0x, exponent, fraction or blanks)"],
    [['--is-alive-ms', '1e4'], "--is-alive-ms: '1e4' is not a decimal integer"],
    [['--pending-timeout-ms', ''], '--pending-timeout-ms is empty'],
    [['--set', 'Port='], '--set Port is empty; give a decimal integer'],
    [['--set', 'Port= 80'], "--set Port: ' 80' is not a decimal integer"],
    [['--set', 'Port=-1'], '--set Port: -1 is out of range (0..4294967295)'],
    [['--resapi', 'v3'], "--resapi is 'v1' or 'v2', not 'v3'"],
    [['--host', 'proces'], "--host is 'inprocess' or 'process', not 'proces' (did you mean 'process'?)"],
    [['--inspect=80'], '--inspect: 80 is out of range (1024..65535)'],
    [['--name', ''], '--name is empty'],
  ])('mock %j: exit 2 without running the resource', async (args, message) => {
    const r = await run(['mock', demo, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain("run 'wsfc-resource mock --help'");
    expect(r.out).toBe('');
  });

  test('an unknown option names the nearest one and the command\'s --help', async () => {
    const r = await run(['mock', demo, '--looks-alive', '5']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("wsfc-resource: mock: unknown option '--looks-alive' (did you mean --looks-alive-ms?); run 'wsfc-resource mock --help' for its options\n");
    const m = await run(['manifest', demo, '--confg']);
    expect(m.err).toContain("manifest: unknown option '--confg' (did you mean --config?); run 'wsfc-resource manifest --help'");
    const flagValue = await run(['mock', demo, '--quiet-polls=yes']);
    expect(flagValue.err).toContain("mock: option '--quiet-polls' does not take an argument; run 'wsfc-resource mock --help'");
    const command = await run(['mokc']);
    expect(command.code).toBe(2);
    expect(command.err).toContain("unknown command 'mokc' (did you mean mock?)");
  });

  test('--version prints the package version; mock --help documents keys, numbers and multiSz', async () => {
    const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
    expect((await run(['--version'])).out).toBe(`${version}\n`);
    const help = (await run(['mock', '--help'])).out;
    expect(help).toContain('o online   f offline   t terminate   k kill the host   s set a property');
    expect(help).toContain('multiSz as comma-separated strings');
    expect(help).toContain('Numbers are decimal digits only');
    expect(help).toContain('--inspect[=port]');
  });
});

describe('the shared option parser', () => {
  const options = { inspect: { type: 'string' }, 'looks-alive-ms': { type: 'string' }, quiet: { type: 'boolean' } } as const;
  test('an optional value never takes the next argument', () => {
    expect(parseCommandArgs('x', { args: ['--inspect', 'mod.js'], options, allowPositionals: true, optionalValue: ['inspect'] })).toMatchObject({ values: { inspect: '' }, positionals: ['mod.js'] });
    expect(parseCommandArgs('x', { args: ['--inspect=9230', 'mod.js'], options, allowPositionals: true, optionalValue: ['inspect'] }).values.inspect).toBe('9230');
  });
  test('positionals only where the command takes them; the nearest option by edit distance or prefix', () => {
    expect(() => parseCommandArgs('x', { args: ['extra'], options })).toThrow("x: unexpected argument 'extra'; run 'wsfc-resource x --help' for its options");
    expect(nearest('qiet', Object.keys(options))).toBe('quiet');
    expect(nearest('looks', Object.keys(options))).toBe('looks-alive-ms');
    expect(nearest('zzzzzz', Object.keys(options))).toBeUndefined();
  });
});

describe('strict values', () => {
  test('integers are decimal digits in range, nothing else', () => {
    expect(parseInteger('65535', 'n', { min: 0, max: 65535 })).toBe(65535);
    expect(parseInteger('-5', 'n')).toBe(-5);
    for (const bad of ['', ' 1', '1 ', '+1', '0x1', '1e4', '1.0', '0b1', 'Infinity', '9007199254740993']) expect(() => parseInteger(bad, 'n')).toThrow();
  });

  test('multiSz splits at commas, with \\, and \\\\ escapes; 64-bit formats are exact', () => {
    expect(splitMultiSz('', 'x')).toEqual([]);
    expect(splitMultiSz('a,b', 'x')).toEqual(['a', 'b']);
    expect(splitMultiSz('a\\,b,c\\\\', 'x')).toEqual(['a,b', 'c\\']);
    expect(splitMultiSz('a,', 'x')).toEqual(['a', '']);
    expect(() => splitMultiSz('a\\b', 'x')).toThrow("'\\' must be followed by ',' or '\\'");
    expect(parsePropertyValue('ulargeInteger', '18446744073709551615', 'x')).toBe(2n ** 64n - 1n);
    expect(() => parsePropertyValue('ulargeInteger', '18446744073709551616', 'x')).toThrow('out of range');
    expect(() => parsePropertyValue('largeInteger', '0x10', 'x')).toThrow('not a decimal integer');
    expect(() => parsePropertyValue('binary', 'abc', 'x')).toThrow('not hex digit pairs');
    expect(parsePropertyValue('sz', '', 'x')).toBe('');
  });
});

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    // Binding the port succeeds only when the example's server is gone.
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

test.each([
  ['head -3', 3],
  // The reader leaves once the resource is online, i.e. the example's server listens.
  ["grep -m1 'is Online'", 1],
])('mock | %s: the resource goes offline and mock exits quietly (the example\'s server stops)', async (reader, lines) => {
  const port = await freePort();
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cli}" mock "${example}" --set Root=${root}examples/http-service --set Port=${port} --looks-alive-ms 20 | ${reader}`], { cwd: root, encoding: 'utf8', timeout: 30000 });
  expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(lines);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(await refused(port)).toBe(true);
}, 40000);

test('mock on a terminal: keys drive the resource, and the help line shows them', async () => {
  const child = spawn('script', ['-qfec', `"${process.execPath}" "${cli}" mock "${demo}" --looks-alive-ms 100000`, '/dev/null'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TERM: 'xterm', NO_COLOR: '1' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const seen = async (re: RegExp, what: string) => {
    const until = Date.now() + 10000;
    while (!re.test(out)) {
      if (Date.now() > until) throw new Error(`no ${what} in:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const press = async (keys: string, re: RegExp, what: string) => {
    child.stdin.write(keys);
    await seen(re, what);
  };
  await seen(/keys: o online, f offline, t terminate, k kill the host, s set a property, p print properties, h this help, q quit/, 'help line');
  await seen(/CliDemo-1 is Online/, 'Online');
  await press('p', /CliDemo-1: Greeting=hello Port=1/, 'properties');
  await press('s', /set \(Prop=value, empty to cancel\): /, 'the prompt');
  await press('Port=x\r', /error: --set Port: 'x' is not a decimal integer/, 'a refused value');
  await press('s', /set \(Prop=value[\s\S]*set \(Prop=value/, 'the prompt again');
  await press('Greeting=yo\r', /stored Greeting \(takes effect at the next Online\)/, 'a stored SET');
  await press('f', /CliDemo-1 is Offline/, 'Offline');
  await press('o', /\[info\] yo on 1[\s\S]*CliDemo-1 is Online/, 'Online with the new value');
  await press('t', /CliDemo-1 is Offline \(terminated\)|CliDemo-1 is Failed \(terminated\)/, 'Terminate');
  await press('o', /terminated\)[\s\S]*CliDemo-1 is Online/, 'Online after Terminate');
  await press('k', /dropped the in-process host's channel/, 'the host killed');
  await seen(/CliDemo-1 state Failed/, 'the resource failed');
  await press('q', /stopped cleanly, no contract violations/, 'quit');
  expect(await exited).toBe(0);
}, 60000);
