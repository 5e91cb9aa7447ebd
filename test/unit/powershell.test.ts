// PowerShell literals: whatever a type name, display name or path holds, it reaches the script
// as data. Checked by reading the scripts back with PowerShell's tokenizer rules
// (test/support/powershell-scan.ts), not by comparing strings alone.
import { expect, test } from 'vitest';
import { addTypeScript, queryScript, removeTypeScript } from '../../lib/deploy/cluster-scripts.js';
import { fileBaseName, nodePath, typeFiles } from '../../lib/deploy/layout.js';
import { commandLineRefusal, powerShellArgs, psLiteral, psParameters, psString } from '../../lib/deploy/powershell.js';
import { checkInstallDir } from '../../lib/deploy/layout.js';
import { decodeStderr, powerShellMessage } from '../../lib/deploy/clixml.js';
import { prng } from '../../lib/testing/prng.js';
import { BASE64_SKELETON, scanPowerShell, scriptParameters } from '../support/powershell-scan.js';

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
    const script = `$X = ${psLiteral(s)}; Write-Output @(${psLiteral(s)}, ${psLiteral(s)})`;
    expect(scanPowerShell(script)).toEqual({ skeleton: "$X = ''; Write-Output @('', '')", literals: [s, s, s] });
  }
});

/** The code of a script with its values blanked: a literal or a base64 value alike. */
const code = (script: string) => scanPowerShell(script).skeleton.replaceAll(BASE64_SKELETON, "''");

test('a value outside ASCII is carried as base64 of its UTF-8: every script is pure ASCII', () => {
  expect(psString('Contoso Cache')).toBe("'Contoso Cache'");
  expect(psString("it's\r\n\t")).toBe("'it''s\r\n\t'");
  expect(psString('\u00d2;Stop-Computer')).toBe(`[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from('\u00d2;Stop-Computer').toString('base64')}'))`);
  for (const value of HOSTILE) {
    const script = psParameters({ X: value, Y: [value, 'plain'] });
    expect(script).toMatch(/^[\t\n\r\x20-\x7e]*$/);
    expect(scriptParameters(script)).toEqual({ X: value, Y: [value, 'plain'] });
  }
  expect(() => psString('a\0b')).toThrow(/NUL/);
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
      expect(code(b)).toBe(code(a));
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

test('install directories are checked as Windows paths', () => {
  for (const good of ['C:\\Program Files\\wsfc-resource\\Contoso', 'D:\\x', 'C:\\tools\\[x]\\y\\', "C:\\O'Brien $HOME\\x"]) expect(checkInstallDir(good), good).toBeUndefined();
  const bad: [string, RegExp][] = [
    ['C:\\C:\\x\\', /character Windows file names cannot hold/],
    ['relative\\x', /absolute local path/],
    ['\\\\server\\share\\x', /absolute local path/],
    ['C:\\', /drive root/],
    ['C:\\a\\\\b', /empty component/],
    ['C:\\a\\..\\b', /'\.\.' component/],
    ['C:\\a\\b. ', /ending in a dot or space/],
    ['C:\\a\\CON\\b', /reserves for a device/],
    ['C:\\a\\lpt1.txt', /reserves for a device/],
    ['C:\\a|b', /cannot hold/],
    [`C:\\${'x'.repeat(256)}`, /longer than 255/],
    [`C:\\${'x\\'.repeat(125)}`, /under MAX_PATH/],
  ];
  for (const [dir, why] of bad) expect(checkInstallDir(dir), dir).toMatch(why);
});

test('a script over the command-line limit is refused before it runs', () => {
  expect(commandLineRefusal('x', 'Write-Output 1')).toBeUndefined();
  // -EncodedCommand: UTF-16LE in base64, 8/3 characters per character of script.
  expect(commandLineRefusal('Add-ClusterResourceType', `$D = '${'d'.repeat(12_300)}'`)).toMatch(/Add-ClusterResourceType would need a command line of 329\d\d characters, over Windows' limit of 32767/);
});

// Windows PowerShell 5.1's ConsoleHost with a redirected stderr (PowerShell/PowerShell#5912).
const CLIXML = '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>' +
  '<S S="Error">Get-ClusterNode : The cluster service is not running &amp; &lt;x&gt; _x005F_x0041_ fine._x000D__x000A_</S><S S="Error">At line:5 char:1_x000D__x000A_</S><S S="Error">+ Get-ClusterNode_x000D__x000A_</S>' +
  '<S S="Error">    + CategoryInfo          : NotSpecified: (:) [Get-ClusterNode], ClusterCmdletException_x000D__x000A_</S><S S="Error"> _x000D__x000A_</S><S S="warning">careful_x000D__x000A_</S></Objs>';

test('CLIXML on stderr is decoded: the error records as text, the message as one line', () => {
  const streams = decodeStderr(CLIXML);
  expect(streams.errors[0]).toBe('Get-ClusterNode : The cluster service is not running & <x> _x0041_ fine.\r\n');
  expect(streams.errors).toHaveLength(5);
  expect(streams.warnings).toEqual(['careful\r\n']);
  expect(powerShellMessage(CLIXML)).toBe('Get-ClusterNode : The cluster service is not running & <x> _x0041_ fine.');
  expect(powerShellMessage('resources of the type exist: late\r\n')).toBe('resources of the type exist: late');
  expect(powerShellMessage('')).toBe('');
});
