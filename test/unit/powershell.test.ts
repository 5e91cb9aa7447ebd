// PowerShell literals: whatever a type name, display name or path holds, it reaches the script
// as data. Checked by reading the scripts back with PowerShell's tokenizer rules
// (test/support/powershell-scan.ts), not by comparing strings alone.
import { expect, test } from 'vitest';
import { addTypeScript, queryScript, removeTypeScript } from '../../lib/deploy/cluster-scripts.js';
import { fileBaseName, nodePath, typeFiles } from '../../lib/deploy/layout.js';
import { powerShellArgs, psArray, psLiteral, psParameters } from '../../lib/deploy/powershell.js';
import { prng } from '../../lib/testing/prng.js';
import { scanPowerShell, scriptParameters } from '../support/powershell-scan.js';

const HOSTILE = [
  "it's",
  "'; Stop-Computer; '",
  '$(Stop-Computer)',
  '${env:PATH}',
  '`n`0',
  '\u2018smart\u2019 \u201Aquotes\u201B',
  '\u2019; Remove-Item C:\\ -Recurse; \u2018',
  '"double" \u201Cdouble\u201D \u201Elow\u201D',
  'line\nbreak\r\n# not a comment',
  "''''",
  '@\' here-string \'@',
  'Ünïcødé 名前 🚀',
];

test('a literal holds exactly its value: the five single quotes are doubled, nothing else changes', () => {
  expect(psLiteral("it's")).toBe("'it''s'");
  expect(psLiteral('\u2018x\u2019')).toBe("'\u2018\u2018x\u2019\u2019'");
  expect(psLiteral('$(calc) `n "q"')).toBe("'$(calc) `n \"q\"'");
  for (const value of HOSTILE) {
    expect(scanPowerShell(psLiteral(value))).toEqual({ skeleton: "''", literals: [value] });
  }
  expect(() => psLiteral('a\0b')).toThrow(/NUL/);
});

test('random strings over the dangerous alphabet round-trip through the tokenizer', () => {
  const rand = prng(20261123);
  const alphabet = ["'", '\u2018', '\u2019', '\u201A', '\u201B', '"', '\u201C', '$', '`', '(', ')', ';', '#', '\n', 'a', ' ', '\\', '@', '{'];
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let n = Math.floor(rand() * 12); n > 0; n--) s += alphabet[Math.floor(rand() * alphabet.length)];
    const code = `$X = ${psLiteral(s)}; Write-Output ${psArray([s, s])}`;
    expect(scanPowerShell(code)).toEqual({ skeleton: "$X = ''; Write-Output @('', '')", literals: [s, s, s] });
  }
});

test('the cluster scripts have the same code whatever their inputs; inputs appear only as literals', () => {
  const benign = { typeName: 'Contoso', displayName: 'Contoso', dllPath: 'C:\\x\\Contoso.dll', looksAliveMs: 5000, isAliveMs: null, defaultLooksAliveMs: 5000, defaultIsAliveMs: 60000 };
  for (const hostile of HOSTILE) {
    const evil = { ...benign, typeName: hostile, displayName: hostile, dllPath: `C:\\${hostile}.dll` };
    for (const [a, b] of [
      [queryScript(benign.typeName), queryScript(evil.typeName)],
      [addTypeScript(benign), addTypeScript(evil)],
      [removeTypeScript(benign.typeName), removeTypeScript(evil.typeName)],
    ] as const) {
      expect(scanPowerShell(b).skeleton).toBe(scanPowerShell(a).skeleton);
    }
    expect(scriptParameters(addTypeScript(evil))).toEqual({
      TypeName: hostile,
      DisplayName: hostile,
      DllPath: `C:\\${hostile}.dll`,
      LooksAliveMs: '5000',
      IsAliveMs: null,
      DefaultLooksAliveMs: '5000',
      DefaultIsAliveMs: '60000',
    });
  }
  expect(() => psParameters({ 'a;b': 'x' })).toThrow(/variable name/);
});

test('the script travels as -EncodedCommand: UTF-16LE base64, no quoting on the command line', () => {
  const script = addTypeScript({ typeName: 'Ünï ‘x’', displayName: 'd', dllPath: 'C:\\d.dll', looksAliveMs: null, isAliveMs: null, defaultLooksAliveMs: 1, defaultIsAliveMs: 2 });
  const args = powerShellArgs(script);
  expect(args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
  expect(args[5]).toMatch(/^[A-Za-z0-9+/]+=*$/);
  expect(Buffer.from(args[5]!, 'base64').toString('utf16le')).toBe(script);
});

test('file names and node paths', () => {
  expect(fileBaseName('Contoso Cache')).toBe('Contoso Cache');
  expect(fileBaseName('a<b>c|d?e*f')).toBe('a_b_c_d_e_f');
  expect(fileBaseName('trailing. ')).toBe('trailing');
  expect(fileBaseName('CON')).toBe('_CON');
  expect(fileBaseName('nul.txt')).toBe('_nul.txt');
  const files = typeFiles('Contoso', 'C:\\Program Files\\wsfc-resource\\Contoso');
  expect([files.dll, files.config, files.log, files.appDir('0123456789ab')]).toEqual(['Contoso.dll', 'Contoso.json', 'Contoso.host.log', 'Contoso.app-0123456789ab']);
  expect(['Contoso.dll', 'Contoso.json', 'Contoso.app-0123456789ab', 'Contoso.dll.replaced-12-34', 'Contoso.app-0123456789ab.partial-1-2'].every(files.owns)).toBe(true);
  expect(['Contoso.Other.dll', 'Contoso2.json', 'Contoso.app-x', 'notes.txt'].some(files.owns)).toBe(false);
  const env = {};
  expect(nodePath('N2', 'C:\\Program Files\\x', 'N1', env)).toBe('\\\\N2\\C$\\Program Files\\x');
  expect(nodePath('n1', 'C:\\Program Files\\x', 'N1', env)).toBe('C:\\Program Files\\x');
  expect(nodePath('N2', 'd:\\x\\y', 'N1', { WSFC_RESOURCE_SHARE_ROOT: '/tmp/shares' })).toBe('/tmp/shares/N2/D/x/y');
});
