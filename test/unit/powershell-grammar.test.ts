// Every script register, unregister and doctor send or print, read by an independent grammar
// (tree-sitter-powershell, test/support/powershell-grammar.ts) beside the project's own scanner:
// hostile inputs leave the structure exactly as benign ones do, read as written, with PowerShell's
// extra single quotes (‘ ’ ‚ ‛) mapped to ', and, for --print output, read as Windows PowerShell
// 5.1 reads a file without a BOM (Windows-1252).
import { describe, expect, test } from 'vitest';
import { accessScript, lockScript, preflightScript } from '../../lib/deploy/access-scripts.js';
import { addTypeScript, queryScript, removeTypeScript, type AddTypeInputs } from '../../lib/deploy/cluster-scripts.js';
import { fileBaseName, typeFiles } from '../../lib/deploy/layout.js';
import { psLiteral } from '../../lib/deploy/powershell.js';
import { printScript, printUnregisterScript } from '../../lib/deploy/print-script.js';
import type { RegisterPlan } from '../../lib/deploy/register-plan.js';
import { powershellQuotes, psStructure, readAsWindows1252 } from '../support/powershell-grammar.js';

const BENIGN = 'Contoso Cache';
// The payloads: each ends a naive literal early under some reading.
const HOSTILE = [
  '\u00d2;Stop-Computer -WhatIf;#',
  '\u0451;Stop-Computer -WhatIf;#',
  '\u{1F642};Stop-Computer -WhatIf;#',
  'ESPA\u00d1A \u2019; x; #',
  '\u041f\u0440\u0438\u0432\u0435\u0442',
  "'; Stop-Computer; '",
  '\u2018; Stop-Computer; \u201b',
  '\u201a$(Stop-Computer)\u2019',
  '"; Stop-Computer; "',
  '`$x` ${env:PATH} @(calc)',
  'line\nbreak\r\n# not a comment\n\'@\n',
];

function plan(name: string, text: string): RegisterPlan {
  const installDir = `C:\\Program Files\\wsfc-resource\\${fileBaseName(name)}`;
  const files = typeFiles(name, installDir);
  const cluster: AddTypeInputs = { typeName: name, displayName: text, dllPath: `${installDir}\\${files.dll}`, looksAliveMs: 2000, isAliveMs: null, defaultLooksAliveMs: 5000, defaultIsAliveMs: 60000 };
  return {
    typeName: name,
    files,
    app: { root: '/p', files: [{ rel: 'package.json', abs: '/p/package.json', size: 1 }, { rel: `dist/${text}.js`, abs: '', size: 1 }], bytes: 2, version: '0123456789ab', moduleRel: 'dist/m.js', hostMainRel: 'node_modules/wsfc-resource/dist/host/main.js', notes: [] },
    appDir: files.appDir('0123456789ab'),
    dllSource: 'C:\\src\\wsfcres.dll',
    dllPath: cluster.dllPath,
    nodeExe: `C:\\${text}\\node.exe`,
    logFile: `${installDir}\\${files.log}`,
    takeOwnership: false,
    configText: JSON.stringify({ manifest: { name, displayName: text } }, null, 2),
    nodes: ['N1', text],
    cluster,
  };
}

const scripts: Record<string, (text: string) => string> = {
  query: (t) => queryScript(t),
  add: (t) => addTypeScript(plan(t, t).cluster),
  remove: (t) => removeTypeScript(t),
  preflight: (t) => preflightScript([{ node: t, nodeExe: `\\\\${t}\\C$\\node.exe`, installDir: `C:\\${t}` }]),
  access: (t) => accessScript([`C:\\${t}`, `\\\\N2\\C$\\${t}`]),
  lock: (t) => lockScript([`C:\\${t}`], true),
  'register --print': (t) => printScript(plan(t, t), { appSource: `C:\\src\\${t}`, dllSource: `C:\\src\\${t}.dll` }),
  'unregister --print': (t) => printUnregisterScript(t, typeFiles(t, `C:\\x\\${fileBaseName(t)}`), fileBaseName(t), [t]),
};

describe.each(Object.keys(scripts))('%s', (kind) => {
  const make = scripts[kind]!;
  test('parses without error, to the same structure for every input, under every reading', async () => {
    const benign = make(BENIGN);
    const reference = await psStructure(benign);
    expect(reference.errors).toBe(0);
    expect(reference.structure).toContain('VALUE');
    for (const text of HOSTILE) {
      const script = make(text);
      expect(script, 'pure ASCII').toMatch(/^[\t\n\r\x20-\x7e]*$/);
      const bytes = Buffer.from(script, 'utf8');
      for (const reading of [script, powershellQuotes(script), powershellQuotes(readAsWindows1252(bytes))]) {
        const read = await psStructure(reading);
        expect(read.errors, JSON.stringify(text)).toBe(0);
        expect(read.structure, JSON.stringify(text)).toBe(reference.structure);
      }
    }
  });
});

test('the check has teeth: a UTF-8 literal read as Windows-1252 runs the payload', async () => {
  const safe = `$DisplayName = ${psLiteral(BENIGN)}\nWrite-Output $DisplayName\n`;
  const naive = `$DisplayName = ${psLiteral(HOSTILE[0]!)}\nWrite-Output $DisplayName\n`;
  const reference = (await psStructure(safe)).structure;
  expect((await psStructure(powershellQuotes(naive))).structure).toBe(reference); // fine as UTF-8
  const asRead = powershellQuotes(readAsWindows1252(Buffer.from(naive, 'utf8')));
  expect(asRead).toContain("'\u00c3';Stop-Computer");
  const read = await psStructure(asRead);
  expect(read.structure).not.toBe(reference);
  expect(read.structure).toContain('"Stop-Computer"');
});
