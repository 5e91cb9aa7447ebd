// The type configuration (`<library name>.json`): the C++ reader must accept exactly what
// `wsfc-resource manifest --config` writes, normalize the manifest to the same JSON the TypeScript
// side computes, and reject anything else with one line that names the place of the problem.
import { describe, expect, test } from 'vitest';
import { defineResourceType, manifestOf, prop } from '../../lib/index.js';
import { manifestMismatch } from '../../lib/manifest.js';
import { native } from '../../lib/native.js';

const Rich = defineResourceType({
  name: 'RichType',
  properties: {
    Port: prop.dword({ default: 6379, min: 1, max: 65535, description: 'TCP port' }),
    Offset: prop.long({ default: -5, min: -100, max: 100 }),
    Small: prop.word({ default: 7 }),
    Big: prop.ulargeInteger({ default: 18446744073709551615n, min: 1n }),
    Signed: prop.largeInteger({ default: -9223372036854775808n }),
    When: prop.filetime({ default: 133000000000000000n }),
    DataDir: prop.sz({ required: true }),
    Path: prop.expandSz({ default: '%TEMP%\\x' }),
    Tags: prop.multiSz({ default: ['a', 'b c'] }),
    Blob: prop.binary({ default: Buffer.from([0, 1, 0xfe, 0xff]) }),
    Secret: prop.sz({ readOnly: true }),
  },
  characteristics: 0x1,
  requiredDependencies: { classes: [1], types: ['IP Address'] },
  timeouts: { isAliveMs: 150, pendingTimeoutMs: 60000 },
  open: () => ({}),
});

const host = { node: '/usr/bin/node', main: '/opt/pkg/dist/host/main.js', module: '/opt/app/dist/rich.js' };
const config = (over: Record<string, unknown> = {}) => JSON.stringify({ version: 1, manifest: manifestOf(Rich), host, ...over });
const check = (text: string) => native().checkTypeConfig(text);
const problem = (text: string) => {
  const r = check(text);
  if (typeof r !== 'string') throw new Error(`accepted: ${text.slice(0, 200)}`);
  return r;
};

describe('the C++ reader and manifestOf agree', () => {
  test('every format, bound and option round-trips to the same normalized manifest', () => {
    const r = check(config());
    expect(typeof r).toBe('object');
    const { typeName, manifest } = r as { typeName: string; manifest: string };
    expect(typeName).toBe('RichType');
    expect(JSON.parse(manifest)).toEqual(JSON.parse(JSON.stringify(manifestOf(Rich))));
    expect(manifestMismatch(manifest, Rich)).toBeUndefined();
  });

  test('absent optional members take the defaults, and the host still sees no difference', () => {
    const Plain = defineResourceType({ name: 'Plain', open: () => ({}) });
    const r = check(JSON.stringify({ version: 1, manifest: { name: 'Plain' }, host }));
    expect(typeof r).toBe('object');
    expect(manifestMismatch((r as { manifest: string }).manifest, Plain)).toBeUndefined();
  });

  test('a module that changed since the configuration was written is named precisely', () => {
    const { manifest } = check(config()) as { manifest: string };
    const Changed = defineResourceType({ ...Rich, properties: { ...Rich.properties, Port: prop.dword({ default: 7000, min: 1, max: 65535, description: 'TCP port' }) } });
    expect(manifestMismatch(manifest, Changed)).toMatch(/manifest\.properties\[0\]\.default: 6379 in the configuration, 7000 in the module/);
  });
});

describe('a bad configuration is refused with its place named', () => {
  type Editable = Record<string, unknown> & { properties: Record<string, unknown>[]; timeouts: Record<string, number> };
  const m = (): Editable => JSON.parse(JSON.stringify(manifestOf(Rich))) as Editable;
  test.each([
    ['not JSON', '{"version": 1,', /^line 1, column 15: /],
    ['a trailing comma', '{"version": 1,}', /line 1, column 15: expected a member name/],
    ['a comment', '// hi\n{}', /line 1, column 1: unexpected character '\/'/],
    ['a duplicate key', '{"version": 1, "version": 1}', /duplicate member "version"/],
    ['a raw control character in a string', '{"version": "a\tb"}', /line 1, column 15: control character in a string/],
    ['a lone surrogate escape', '{"v": "\\ud800"}', /high surrogate without its low half/],
    ['too deep', '['.repeat(40) + ']'.repeat(40), /nested deeper than 16 levels/],
    ['over 64 KiB', ' '.repeat(65 * 1024) + '{}', /^larger than 64 KiB$/],
    ['a top-level typo', config({ hots: host }), /^hots: unknown setting/],
    ['the wrong version', config({ version: 2 }), /^version: must be an integer from 1 to 1$/],
    ['a relative node path', config({ host: { ...host, node: 'node' } }), /^host\.node: must be an absolute path/],
    ['a missing module', config({ host: { node: host.node, main: host.main } }), /^host\.module: required$/],
    ['an unknown host setting', config({ host: { ...host, heartbeat: 1 } }), /^host\.heartbeat: unknown setting/],
    ['a reserved variable', config({ host: { ...host, env: { WSFC_CHANNEL_FD: '9' } } }), /^host\.env\.WSFC_CHANNEL_FD: not a usable variable name/],
    ['a heartbeat timeout shorter than two intervals', config({ host: { ...host, heartbeatIntervalMs: 500, heartbeatTimeoutMs: 900 } }), /^host\.heartbeatTimeoutMs: must be 0 \(off\) or at least twice/],
    // A key or escape from the file is quoted in the problem, never copied: the problem stays one line.
    ['a key with a line break', '{"version": 1, "a\\nb": 1}', /^"a\\u000ab": unknown setting \(known: /],
    ['a long key', `{"${'k'.repeat(500)}": 1}`, new RegExp(`^"${'k'.repeat(64)}"\\.\\.\\.: unknown setting`)],
    ['a variable name with a line break', config({ host: { ...host, env: { 'A\nB': '1' } } }), /^host\.env\["A\\u000aB"\]: not a usable variable name/],
    ['a backslash before a raw line break', '{"v": "\\\n"}', /^line 2, column 1: unknown escape "\\\\\\u000a"$/],
    ['backoff max below min', config({ host: { ...host, restartBackoffMinMs: 1000, restartBackoffMaxMs: 10 } }), /^host\.restartBackoffMaxMs/],
  ])('%s', (_what, text, expected) => {
    expect(problem(text)).toMatch(expected);
  });

  test.each([
    ['a bad type name', (x: Editable) => (x.name = 'a/b'), /^manifest\.name: must be 1-128 characters/],
    ['an unknown format', (x: Editable) => (x.properties[0]!.format = 'qword'), /^manifest\.properties\[0\]\.format: unknown format "qword"/],
    ['a dword default out of its range', (x: Editable) => (x.properties[0]!.default = 70000), /^manifest\.properties\[0\]\.default: outside min\.\.max$/],
    ['a fractional dword', (x: Editable) => (x.properties[2]!.default = 1.5), /^manifest\.properties\[2\]\.default: must be an integer number \(word\)/],
    ['a 64-bit value as a number', (x: Editable) => (x.properties[3]!.default = 5), /^manifest\.properties\[3\]\.default: must be a decimal string/],
    ['a 64-bit value with a leading zero', (x: Editable) => (x.properties[3]!.default = '05'), /^manifest\.properties\[3\]\.default: must be a decimal string/],
    ['a value past 2^64', (x: Editable) => (x.properties[3]!.default = '18446744073709551616'), /^manifest\.properties\[3\]\.default/],
    ['an empty multiSz element', (x: Editable) => (x.properties[8]!.default = ['a', '']), /^manifest\.properties\[8\]\.default: must be an array of non-empty strings/],
    ['uppercase hex', (x: Editable) => (x.properties[9]!.default = 'FF'), /^manifest\.properties\[9\]\.default: must be a lowercase hex string/],
    ['a range on a string', (x: Editable) => (x.properties[6]!.min = 1), /^manifest\.properties\[6\]\.min: format sz has no range$/],
    ['min above max', (x: Editable) => Object.assign(x.properties[1]!, { min: 5, max: 4, default: 4 }), /^manifest\.properties\[1\]: min is above max$/],
    ['a property defined twice', (x: Editable) => x.properties.push({ ...x.properties[0]!, name: 'PORT' }), /defined twice \(names are case-insensitive\)/],
    ['a deadline over the entry budget', (x: Editable) => (x.timeouts.looksAliveMs = 251), /^manifest\.timeouts\.looksAliveMs: must be an integer from 1 to 250$/],
    ['a string where a flag goes', (x: Editable) => (x.properties[0]!.required = 'yes'), /^manifest\.properties\[0\]\.required: must be true or false$/],
  ] as [string, (x: Editable) => unknown, RegExp][])('%s', (_what, mutate, expected) => {
    const bad = m();
    mutate(bad);
    expect(problem(JSON.stringify({ version: 1, manifest: bad, host }))).toMatch(expected);
  });

  test('a UTF-8 byte order mark is tolerated (Notepad writes one)', () => {
    expect(typeof check('\ufeff' + config())).toBe('object');
  });
});

describe('defineResourceType checks the manifest-only options up front', () => {
  test.each([
    [{ timeouts: { isAliveMs: 300 } }, /timeouts\.isAliveMs must be an integer from 1 to 250/],
    [{ timeouts: { isAlive: 10 } }, /unknown timeout 'isAlive'/],
    [{ characteristics: -1 }, /characteristics must be a 32-bit unsigned integer/],
    [{ requiredDependencies: { types: [''] } }, /requiredDependencies\.types/],
  ])('%o', (extra, expected) => {
    expect(() => defineResourceType({ name: 'X', open: () => ({}), ...(extra as object) })).toThrow(expected);
  });
});
