// `register` and `unregister` against a recording stand-in for powershell.exe on PATH, with each
// node's administrative share replaced by a local folder (WSFC_RESOURCE_SHARE_ROOT). What is
// checked: the cluster commands and the file copies happen in order, an upgrade moves things
// aside instead of overwriting them, and a failure midway says what was and was not done and
// leaves no half-written configuration. Needs the mingw-built wsfcres.dll (this tier builds it).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, expect, test } from 'vitest';
import { powershellQuotes, psStructure, readAsWindows1252 } from '../support/powershell-grammar.js';
import { BASE64_SKELETON, scanPowerShell, scriptParameters } from '../support/powershell-scan.js';

/** A script's code, with every value (literal or base64) blanked. */
const code = (script: string) => scanPowerShell(script).skeleton.replaceAll(BASE64_SKELETON, "''");

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const dll = join(root, 'prebuilds', 'win32-x64', 'wsfcres.dll');
const work = mkdtempSync(join(tmpdir(), 'wsfc-register-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOSTILE_TYPE = "Contoso 'Cache' $(Stop-Computer) \u2018x\u2019";
const INSTALL = 'C:\\Program Files\\wsfc-resource\\Contoso';

/** A user's project: package.json, the compiled module, and wsfc-resource in node_modules. */
function makeProject(name: string, typeName: string, greeting = 'hello', extra: Record<string, unknown> = { files: ['dist/'] }): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', dependencies: { 'wsfc-resource': '*', 'tiny-dep': '1.0.0' }, ...extra }));
  const source = readFileSync(join(root, 'test', 'fixtures', 'demo-type.mjs'), 'utf8')
    .replace("name: 'CliDemo'", `name: ${JSON.stringify(typeName)}`)
    .replace("default: 'hello'", `default: ${JSON.stringify(greeting)}`);
  writeFileSync(join(dir, 'dist', 'type.mjs'), source);
  const pkg = join(dir, 'node_modules', 'wsfc-resource');
  mkdirSync(pkg, { recursive: true });
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (src) => !src.includes(`${join('dist', 'examples')}`) });
  // A production dependency with one of its own, nested under it (not hoisted).
  const dep = (at: string, pkgJson: object) => {
    mkdirSync(join(dir, at), { recursive: true });
    writeFileSync(join(dir, at, 'package.json'), JSON.stringify(pkgJson));
    writeFileSync(join(dir, at, 'index.js'), 'export {};\n');
  };
  dep('node_modules/tiny-dep', { name: 'tiny-dep', version: '1.0.0', dependencies: { 'nested-dep': '2.0.0' } });
  dep('node_modules/tiny-dep/node_modules/nested-dep', { name: 'nested-dep', version: '2.0.0' });
  return dir;
}

// The stand-in (test/support/powershell-stand-in.mjs): records every call and answers from a
// scenario file, the shares' files and its ACL model; errors come as CLIXML.
const bin = join(work, 'bin');
const shares = join(work, 'shares');
const log = join(work, 'powershell.log');
const scenarioFile = join(work, 'scenario.json');
const aclFile = join(work, 'acl.json');
mkdirSync(bin);
writeFileSync(join(bin, 'powershell.exe'), `#!/bin/sh\nexec '${process.execPath}' '${join(root, 'test', 'support', 'powershell-stand-in.mjs')}' "$@"\n`);
chmodSync(join(bin, 'powershell.exe'), 0o755);

interface Call {
  kind: 'query' | 'preflight' | 'lock' | 'access' | 'add' | 'remove';
  args: string[];
  script: string;
  params: Record<string, unknown>;
  files: string[];
}
const calls = (): Call[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : []);

/** A failure the stand-in reports as powershell.exe would: a CLIXML error record, exit 1. */
interface PsError {
  error: { message: string; cmdlet?: string; exception?: string };
}
interface Cluster {
  nodes?: { name: string; state: string }[];
  type?: { dllName: string; looksAlivePollInterval: number; isAlivePollInterval: number } | null;
  resources?: { name: string; state: string; ownerNode: string }[];
  query?: PsError;
  add?: PsError;
  remove?: { exitCode?: number; stderr?: string };
  /** breakAfter: paths the stand-in replaces by a file once it has locked them (a node gone). */
  lock?: PsError | { breakAfter: string[] };
}
function scenario(c: Cluster = {}): void {
  const state = {
    computer: 'N1',
    nodes: c.nodes ?? [{ name: 'N1', state: 'Up' }, { name: 'N2', state: 'Up' }],
    type: c.type ?? null,
    resources: c.resources ?? [],
  };
  writeFileSync(scenarioFile, JSON.stringify({
    query: { result: state, ...c.query },
    add: { result: { created: state.type === null, dllName: `${INSTALL}\\x.dll` }, ...c.add },
    remove: { result: { removed: true }, ...c.remove },
    lock: { ...c.lock },
  }));
}

function wsfc(...args: string[]) {
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, WSFC_RESOURCE_SHARE_ROOT: shares, FAKE_PS_LOG: log, FAKE_PS_SCENARIO: scenarioFile, FAKE_PS_ACL: aclFile };
  return spawnSync(process.execPath, [cli, ...args], { cwd: work, env, encoding: 'utf8' });
}
const onNode = (node: string, ...parts: string[]) => join(shares, node, 'C', 'Program Files', 'wsfc-resource', 'Contoso', ...parts);
const listing = (node: string) => (existsSync(onNode(node)) ? readdirSync(onNode(node)).sort() : []);
const registered = (typeName: string) => ({ dllName: `${INSTALL}\\${typeName.replace(/[<>:"/\\|?*]/g, '_')}.dll`, looksAlivePollInterval: 5000, isAlivePollInterval: 60000 });

/** node.exe at the default path on a node's share; the stand-in reads its version from it. */
function installNode(node: string, version: string): void {
  const exe = join(shares, node, 'C', 'Program Files', 'nodejs', 'node.exe');
  mkdirSync(join(exe, '..'), { recursive: true });
  writeFileSync(exe, version);
}
/** The stand-in's ACL model: path (as the shares reach it) -> owner and who else may write. */
const setAcl = (acl: Record<string, { owner?: string; ownerTrusted?: boolean; writers: string[] }>) => writeFileSync(aclFile, JSON.stringify(acl));
const acl = () => JSON.parse(readFileSync(aclFile, 'utf8')) as Record<string, { owner: string; writers: string[] }>;
const of = (kind: Call['kind']) => calls().filter((c) => c.kind === kind);

beforeEach(() => {
  rmSync(shares, { recursive: true, force: true });
  rmSync(log, { force: true });
  setAcl({});
  installNode('N1', '22.11.0');
  installNode('N2', '20.18.1');
});

const PRINT_SOURCES = ['--app-source', 'D:\\src\\app', '--dll-source', 'D:\\src\\wsfcres.dll'];

test('register --print: the whole job as one pure-ASCII script whose code no input changes', () => {
  const plain = makeProject('plain', 'Contoso');
  const hostile = makeProject('hostile', HOSTILE_TYPE);
  const print = (project: string, ...extra: string[]) => {
    const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--print', '--install-dir', INSTALL, '--nodes', 'N1,N2', '--looks-alive-ms', '2000', '--dll', dll, ...PRINT_SOURCES, ...extra);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const a = print(plain, '--display-name', 'Contoso Cache', '--node', 'C:\\Program Files\\nodejs\\node.exe');
  const b = print(hostile, '--display-name', "Contoso's \u201Ccache\u201D `$x` \u2019; calc; \u2018", '--node', "C:\\Users\\O'Brien $HOME\\node.exe");
  expect(code(b)).toBe(code(a));
  expect(calls()).toEqual([]); // printing runs nothing
  for (const script of [a, b]) {
    expect(script).toMatch(/^[\t\n\r\x20-\x7e]*$/);
    expect(script).toContain('# This file is pure ASCII');
    expect(script).toContain('#   powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\register.ps1\n');
  }

  const params = scriptParameters(b);
  const config = JSON.parse(params.Config as string) as { manifest: { name: string }; host: Record<string, string> };
  const appDir = params.AppDir as string;
  expect(appDir).toMatch(/^Contoso 'Cache' \$\(Stop-Computer\) \u2018x\u2019\.app-[0-9a-f]{12}$/);
  expect(params).toEqual({
    TypeName: HOSTILE_TYPE,
    DisplayName: "Contoso's \u201Ccache\u201D `$x` \u2019; calc; \u2018",
    DllPath: `${INSTALL}\\${HOSTILE_TYPE}.dll`,
    LooksAliveMs: '2000',
    IsAliveMs: null,
    DefaultLooksAliveMs: '5000',
    DefaultIsAliveMs: '60000',
    InstallDir: INSTALL,
    DllName: `${HOSTILE_TYPE}.dll`,
    DllSource: 'D:\\src\\wsfcres.dll',
    AppDir: appDir,
    AppSource: 'D:\\src\\app',
    AppFiles: params.AppFiles,
    CompleteMark: '.wsfc-complete',
    ConfigName: `${HOSTILE_TYPE}.json`,
    Config: params.Config,
    NodeExe: "C:\\Users\\O'Brien $HOME\\node.exe",
    TakeOwnership: '$false',
    Nodes: ['N1', 'N2'],
  });
  // The package's files as npm pack selects them ("files": dist/), and its production dependencies.
  const appFiles = params.AppFiles as string[];
  expect(appFiles).toEqual(expect.arrayContaining(['dist\\type.mjs', 'package.json', 'node_modules\\wsfc-resource\\dist\\host\\main.js', 'node_modules\\tiny-dep\\index.js', 'node_modules\\tiny-dep\\node_modules\\nested-dep\\index.js']));
  expect(appFiles.filter((f) => f.includes('/'))).toEqual([]);
  expect(config.manifest.name).toBe(HOSTILE_TYPE);
  expect(config.host).toEqual({
    node: "C:\\Users\\O'Brien $HOME\\node.exe",
    main: `${INSTALL}\\${appDir}\\node_modules\\wsfc-resource\\dist\\host\\main.js`,
    module: `${INSTALL}\\${appDir}\\dist\\type.mjs`,
  });
  // An ASCII value stays a readable literal (quotes doubled); anything else travels as base64.
  expect(a).toContain("$DisplayName = 'Contoso Cache'\n");
  expect(b).toContain(`$TypeName = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(HOSTILE_TYPE).toString('base64')}'))\n`);
  expect(b).toContain("$NodeExe = 'C:\\Users\\O''Brien $HOME\\node.exe'\n");
  // The steps an administrator reviews: node.exe checked, the folder locked, robocopy bounded.
  for (const step of ["([int]$Matches[1] -lt 20)", 'Set-Acl -LiteralPath $LockDir -AclObject $Sec', '$Sec.SetAccessRuleProtection($true, $false)', '/R:2 /W:5', "[IO.File]::WriteAllText($Partial + '\\' + $CompleteMark, '')", 'Rename-Item -LiteralPath $Partial -NewName $AppDir']) {
    expect(a).toContain(step);
  }
  expect(a).not.toMatch(/Move-Item|Copy-Item|\s-Path\s/);
});

test('register --print: the issue\'s display names give an ASCII file that reads the same as Windows-1252', async () => {
  const project = makeProject('print1252', 'Contoso');
  const print = (name: string) => {
    const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--print', '--install-dir', INSTALL, '--dll', dll, ...PRINT_SOURCES, `--display-name=${name}`);
    expect(r.status, r.stderr).toBe(0);
    return Buffer.from(r.stdout, 'utf8');
  };
  const benign = await psStructure(print('Contoso Cache').toString('latin1'));
  expect(benign.errors).toBe(0);
  for (const name of ['\u00d2;Stop-Computer -WhatIf;#', '\u0451', '\u{1F642}', 'ESPA\u00d1A \u2019; x; #', '\u041f\u0440\u0438\u0432\u0435\u0442']) {
    const bytes = print(name);
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    const read = await psStructure(powershellQuotes(readAsWindows1252(bytes)));
    expect(read).toEqual(benign);
    expect(scriptParameters(bytes.toString('latin1')).DisplayName).toBe(name);
  }
});

test('--print elsewhere than Windows needs the Windows source paths; unregister --print', () => {
  const project = makeProject('printsrc', 'Contoso');
  const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--print', '--dll', dll);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--print on linux needs --app-source <dir> and --dll-source <path>');
  expect(wsfc('register', join(project, 'dist', 'type.mjs'), '--print', '--dll', dll, '--app-source', '/home/me/app', '--dll-source', 'D:\\x.dll').stderr).toContain("--app-source must be an absolute local path like C:\\Program Files\\..., not '/home/me/app'");
  const u = wsfc('unregister', HOSTILE_TYPE, '--print');
  expect(u.status).toBe(0);
  expect(u.stdout).toMatch(/^[\t\n\r\x20-\x7e]*$/);
  expect(scriptParameters(u.stdout)).toEqual({ TypeName: HOSTILE_TYPE, InstallDir: `C:\\Program Files\\wsfc-resource\\${HOSTILE_TYPE}`, DllName: `${HOSTILE_TYPE}.dll`, FileBase: HOSTILE_TYPE, Nodes: null });
  expect(u.stdout).toContain('Remove-ClusterResourceType -Name $TypeName -Confirm:$false');
  expect(calls()).toEqual([]);
});

test('register: query, node checks, the locked folder, the application and DLL on every node, the configuration, then Add-ClusterResourceType', () => {
  const project = makeProject('fresh', 'Contoso');
  scenario();
  const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll, '--display-name', 'Contoso Cache');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const [query, preflight, lock, add, ...rest] = calls();
  expect(rest).toEqual([]);
  expect([query!.kind, preflight!.kind, lock!.kind, add!.kind]).toEqual(['query', 'preflight', 'lock', 'add']);
  expect(query!.args).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
  const installed = (node: string) => (f: string) => f.startsWith(`${node}/C/Program Files/wsfc-resource/`);
  // Nothing copied before node.exe was checked and the folder locked down.
  expect(lock!.files.filter(installed('N1'))).toEqual([]);
  expect(preflight!.params).toEqual({ Nodes: ['N1', 'N2'], NodeExes: ['N1', 'N2'].map((n) => join(shares, n, 'C', 'Program Files', 'nodejs', 'node.exe')), InstallDirs: [onNode('N1'), onNode('N2')], Ours: expect.any(String) });
  expect(lock!.params).toEqual({ LockDirs: [onNode('N1'), onNode('N2')], TakeOwnership: false });
  expect(acl()[onNode('N2')]).toEqual({ owner: 'BUILTIN\\Administrators', ownerTrusted: true, writers: [] });
  expect(r.stdout).toContain(`${INSTALL}: Administrators and SYSTEM full control, everyone else read and execute, not inherited (on N1, N2)`);
  expect(scriptParameters(add!.script)).toMatchObject({ TypeName: 'Contoso', DisplayName: 'Contoso Cache', DllPath: `${INSTALL}\\Contoso.dll`, LooksAliveMs: null, DefaultLooksAliveMs: '5000' });
  for (const node of ['N1', 'N2']) {
    // When the cluster was asked to add the type, both nodes had everything.
    expect(add!.files).toEqual(expect.arrayContaining([`${node}/C/Program Files/wsfc-resource/Contoso/Contoso.dll`, `${node}/C/Program Files/wsfc-resource/Contoso/Contoso.json`]));
    const names = listing(node);
    expect(names).toEqual([expect.stringMatching(/^Contoso\.app-[0-9a-f]{12}$/), 'Contoso.dll', 'Contoso.json']);
    expect(readFileSync(onNode(node, 'Contoso.dll')).equals(readFileSync(dll))).toBe(true);
    const config = JSON.parse(readFileSync(onNode(node, 'Contoso.json'), 'utf8')) as { host: { module: string; logFile?: string } };
    const appDir = names.find((n) => n.startsWith('Contoso.app-'))!;
    expect(config.host.module).toBe(`${INSTALL}\\${appDir}\\dist\\type.mjs`);
    expect(config.host.logFile).toBeUndefined(); // the shim's default, beside the DLL
    expect(existsSync(onNode(node, appDir, 'dist', 'type.mjs'))).toBe(true);
    expect(existsSync(onNode(node, appDir, 'node_modules', 'wsfc-resource', 'dist', 'host', 'main.js'))).toBe(true);
    expect(existsSync(onNode(node, appDir, 'node_modules', 'tiny-dep', 'node_modules', 'nested-dep', 'index.js'))).toBe(true);
    expect(r.stdout).toContain(`${node}: copying `);
  }
  expect(r.stdout).toMatch(/^application .*fresh: \d+ files, \d+\.\d MB per node, version [0-9a-f]{12}$/m);
  expect(r.stdout).toContain(`Contoso.json written on N1, N2; the host's output goes to ${INSTALL}\\Contoso.host.log`);
  expect(r.stdout).toContain(`registered resource type 'Contoso' (DllName ${INSTALL}\\Contoso.dll)`);

  const logged = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll, '--log-file', 'D:\\logs\\contoso.log');
  expect(logged.status, logged.stderr).toBe(0);
  expect(JSON.parse(readFileSync(onNode('N2', 'Contoso.json'), 'utf8')).host.logFile).toBe('D:\\logs\\contoso.log');
});

test('re-running register upgrades: a new application folder, the old one pruned, online resources named', () => {
  const project = makeProject('upgrade', 'Contoso');
  const module = join(project, 'dist', 'type.mjs');
  scenario();
  expect(wsfc('register', module, '--install-dir', INSTALL, '--dll', dll).status).toBe(0);
  const before = listing('N1');

  // Unchanged: nothing copied, the cluster left as it is (no poll intervals given).
  rmSync(log);
  scenario({ type: registered('Contoso'), resources: [{ name: 'cache-1', state: 'Online', ownerNode: 'N2' }] });
  const same = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(same.status).toBe(0);
  expect(same.stdout).toContain("resource type 'Contoso' is up to date");
  expect(same.stdout).not.toContain('restart');
  expect(listing('N1')).toEqual(before);
  expect(scriptParameters(of('add')[0]!.script)).toMatchObject({ LooksAliveMs: null, IsAliveMs: null });

  // A new version of the module and of the DLL (a byte appended keeps it a valid PE image).
  makeProject('upgrade', 'Contoso', 'bonjour');
  const newDll = join(work, 'wsfcres-v2.dll');
  writeFileSync(newDll, Buffer.concat([readFileSync(dll), Buffer.from([0])]));
  const up = wsfc('register', module, '--install-dir', INSTALL, '--dll', newDll, '--is-alive-ms', '30000');
  expect(up.stderr).toBe('');
  expect(up.status).toBe(0);
  expect(up.stdout).toContain("resource type 'Contoso' upgraded");
  expect(up.stdout).toContain('these resources keep running the previous version until they restart (Stop-ClusterResource, then Start-ClusterResource): cache-1 (Online on N2)');
  expect(up.stdout).toMatch(/N1: application copied, Contoso\.dll replaced \(the old one moved aside\)/);
  // cache-1 still runs the old application: its folder stays; the old DLL was moved aside and removed.
  const oldApp = before.find((n) => n.startsWith('Contoso.app-'))!;
  const after = listing('N2');
  const newApp = after.find((n) => n.startsWith('Contoso.app-') && n !== oldApp)!;
  expect(after).toEqual([oldApp, newApp, 'Contoso.dll', 'Contoso.json'].sort());
  expect(JSON.parse(readFileSync(onNode('N2', 'Contoso.json'), 'utf8')).host.module).toContain(newApp);
  expect(readFileSync(onNode('N2', 'Contoso.dll')).equals(readFileSync(newDll))).toBe(true);
  expect(scriptParameters(of('add').at(-1)!.script)).toMatchObject({ IsAliveMs: '30000', LooksAliveMs: null });

  // Once nothing runs the old version, the next run removes it.
  scenario({ type: registered('Contoso'), resources: [{ name: 'cache-1', state: 'Offline', ownerNode: 'N2' }] });
  const tidy = wsfc('register', module, '--install-dir', INSTALL, '--dll', newDll);
  expect(tidy.stdout).toContain("resource type 'Contoso' is up to date");
  expect(listing('N2')).toEqual([newApp, 'Contoso.dll', 'Contoso.json'].sort());
});

test('what is deployed is what runs: no devDependencies, caches, tests or dotfiles, and running the tests makes no new version', () => {
  const project = makeProject('workshop', 'Contoso', 'hello', { devDependencies: { vitest: '*' } }); // no "files"
  const module = join(project, 'dist', 'type.mjs');
  const put = (rel: string, text = 'x') => {
    mkdirSync(join(project, rel, '..'), { recursive: true });
    writeFileSync(join(project, rel), text);
  };
  put('node_modules/vitest/package.json', '{"name":"vitest","version":"3.0.0"}');
  put('node_modules/vitest/dist/index.js');
  put('node_modules/.vite/vitest/results.json', '{"run":1}');
  put('test/type.test.mjs');
  put('dist/type.test.mjs');
  put('.env', 'SECRET=1');
  put('.vscode/settings.json');
  put('README.md', '# the app');
  scenario();
  const first = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(first.status, first.stderr).toBe(0);
  expect(first.stderr).toContain('has no "files" list: deploying what npm pack would publish, without dotfiles and tests');
  const appDir = listing('N1').find((n) => n.startsWith('Contoso.app-'))!;
  const deployed: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
      else deployed.push(`${rel}${e.name}`);
    }
  };
  walk(onNode('N1', appDir), '');
  expect(deployed).toContain('dist/type.mjs');
  expect(deployed).toContain('README.md');
  expect(deployed).toContain('package.json');
  expect(deployed).toContain('node_modules/wsfc-resource/dist/host/main.js');
  expect(deployed.filter((f) => /vitest|\.vite|\.env|\.vscode|test\//.test(f) || f.endsWith('.test.mjs'))).toEqual([]);

  // A test run rewrites the vitest cache and the devDependency: the same version, nothing copied.
  put('node_modules/.vite/vitest/results.json', '{"run":2}');
  put('node_modules/vitest/dist/index.js', 'y');
  scenario({ type: registered('Contoso') });
  const second = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(second.status, second.stderr).toBe(0);
  expect(second.stdout).toContain("resource type 'Contoso' is up to date");
  expect(listing('N1')).toContain(appDir);

  // wsfc-resource only among the devDependencies: it would not be deployed, so register refuses.
  const dev = makeProject('devonly', 'Contoso', 'hello', { files: ['dist/'], dependencies: {}, devDependencies: { 'wsfc-resource': '*' } });
  const refused = wsfc('register', join(dev, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('wsfc-resource must be in "dependencies", not devDependencies');
});

test('a copy that fails on the second node: a clear report, no configuration written anywhere, no cluster change', () => {
  const project = makeProject('broken', 'Contoso');
  // N2 goes away after its folder was locked: the stand-in leaves a file where the folder was.
  scenario({ lock: { breakAfter: [onNode('N2')] } });
  const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/copying to N2 \(.*\) failed; the type configuration was not changed on any node\. Re-run register once N2 is reachable\./);
  expect(calls().map((c) => c.kind)).toEqual(['query', 'preflight', 'lock']);
  expect(listing('N1').filter((n) => n.endsWith('.json') || n.includes('.incoming-'))).toEqual([]);

  // An upgrade that fails the same way keeps the old configuration byte for byte.
  rmSync(onNode('N2'));
  scenario();
  expect(wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll).status).toBe(0);
  const oldConfig = readFileSync(onNode('N1', 'Contoso.json'), 'utf8');
  makeProject('broken', 'Contoso', 'changed');
  scenario({ type: registered('Contoso'), lock: { breakAfter: [onNode('N2')] } });
  const again = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(again.status).toBe(1);
  expect(readFileSync(onNode('N1', 'Contoso.json'), 'utf8')).toBe(oldConfig);
});

test('refusals before anything is copied: a node down, an unknown node, a type registered elsewhere, node.exe missing or old, a folder someone else owns', () => {
  const project = makeProject('refused', 'Contoso');
  const module = join(project, 'dist', 'type.mjs');
  const nothingInstalled = () => expect([...listing('N1'), ...listing('N2')]).toEqual([]);
  scenario({ nodes: [{ name: 'N1', state: 'Up' }, { name: 'N2', state: 'Down' }] });
  let r = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('N2 is Down: every node needs the files at the same path');
  expect(r.stderr).toContain('nothing was changed');
  r = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll, '--nodes', 'N1,N9');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('not nodes of this cluster: N9 (its nodes: N1, N2)');
  scenario({ type: { dllName: 'C:\\Windows\\Cluster\\contoso.dll', looksAlivePollInterval: 1, isAlivePollInterval: 1 } });
  r = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("resource type 'Contoso' is registered with DllName C:\\Windows\\Cluster\\contoso.dll");
  expect(calls().every((c) => c.kind === 'query')).toBe(true);
  nothingInstalled();

  // node.exe: checked on every node before any copy.
  scenario();
  installNode('N2', 'v18.20.4');
  rmSync(join(shares, 'N1', 'C', 'Program Files', 'nodejs', 'node.exe'));
  r = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('N1: C:\\Program Files\\nodejs\\node.exe does not exist (install Node.js 20 or later there');
  expect(r.stderr).toContain('N2: C:\\Program Files\\nodejs\\node.exe is Node.js v18.20.4; the host needs 20 or later');
  expect(calls().at(-1)!.kind).toBe('preflight');
  nothingInstalled();

  // A folder that holds something else: the lock-down would change its ACL too.
  installNode('N1', '22.11.0');
  mkdirSync(onNode('N1', 'tools'), { recursive: true });
  writeFileSync(onNode('N1', 'notes.txt'), '');
  writeFileSync(onNode('N1', 'Other.dll'), ''); // another type's files are fine
  r = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`N1: ${INSTALL} holds files that are not a resource type's (notes.txt, tools); register locks the folder down with everything in it, so give the type a folder of its own (--install-dir)`);
  expect(calls().at(-1)!.kind).toBe('preflight');
  rmSync(onNode('N1'), { recursive: true });

  // A folder an ordinary account owns: refused, unless taken over; then locked down.
  installNode('N1', '22.11.0');
  installNode('N2', '22.11.0');
  mkdirSync(onNode('N2'), { recursive: true });
  setAcl({ [onNode('N2')]: { owner: 'CONTOSO\\mallory', ownerTrusted: false, writers: ['CONTOSO\\mallory', 'BUILTIN\\Users'] } });
  r = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`N2: ${INSTALL} is owned by CONTOSO\\mallory, not Administrators or SYSTEM (check who put it there; --take-ownership takes it over)`);
  expect(calls().at(-1)!.kind).toBe('preflight');
  nothingInstalled();
  r = wsfc('register', module, '--install-dir', INSTALL, '--dll', dll, '--take-ownership');
  expect(r.status, r.stderr).toBe(0);
  expect(of('lock').at(-1)!.params.TakeOwnership).toBe(true);
  expect(acl()[onNode('N2')]).toEqual({ owner: 'BUILTIN\\Administrators', ownerTrusted: true, writers: [] });
});

test('inputs Windows cannot take are bad usage, refused before anything runs', () => {
  const project = makeProject('limits', 'Contoso');
  const module = join(project, 'dist', 'type.mjs');
  const cases: [string[], string][] = [
    [['--install-dir', 'C:\\C:\\x\\'], "the install directory 'C:\\C:\\x\\' has a component 'C:' with a character Windows file names cannot hold"],
    [['--install-dir', 'C:\\tools\\..\\x'], "has a '..' component"],
    [['--display-name', 'x'.repeat(13_000)], "Add-ClusterResourceType would need a command line of"],
    [['--install-dir', `C:\\${'d'.repeat(200)}`], "over Windows' MAX_PATH (260)"],
    [['--log-file', 'logs\\x.log'], '--log-file must be an absolute local path'],
  ];
  for (const [extra, message] of cases) {
    const r = wsfc('register', module, '--dll', dll, ...extra);
    expect(r.status, extra.join(' ')).toBe(2);
    expect(r.stderr).toContain(message);
  }
  expect(calls()).toEqual([]);
});

test('PowerShell errors arrive as CLIXML and reach the user as one line: Add-ClusterResourceType failing, the cluster not answering', () => {
  const project = makeProject('addfails', 'Contoso');
  scenario({ add: { error: { message: 'Access is denied', cmdlet: 'Add-ClusterResourceType', exception: 'ClusterCmdletException' } } });
  const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toBe('wsfc-resource: Add-ClusterResourceType failed (powershell.exe exit code 1): Add-ClusterResourceType : Access is denied\nthe files are in place on N1, N2, but the cluster was not updated. Re-run register.\n');

  scenario({ query: { error: { message: 'The cluster service is not running. <ClusSvc> & co', cmdlet: 'Get-ClusterNode' } } });
  const q = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(q.status).toBe(1);
  expect(q.stderr).toBe('wsfc-resource: reading the cluster (Get-ClusterNode, Get-ClusterResourceType, Get-ClusterResource) failed (powershell.exe exit code 1): Get-ClusterNode : The cluster service is not running. <ClusSvc> & co\nnothing was changed\n');

  scenario({ lock: { error: { message: 'Attempted to perform an unauthorized operation.', cmdlet: 'Set-Acl', exception: 'UnauthorizedAccessException' } } });
  const l = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(l.status).toBe(1);
  expect(l.stderr).toContain('locking the install folder down (Set-Acl) failed (powershell.exe exit code 1): Set-Acl : Attempted to perform an unauthorized operation.\nno file was copied');
});

test('unregister refuses while resources exist, then removes the type and only its files', () => {
  const project = makeProject('unreg', 'Contoso');
  scenario();
  expect(wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll).status).toBe(0);
  const neighbour = onNode('N2', 'Contoso.Other.json'); // another type sharing the folder
  writeFileSync(neighbour, '{}');
  rmSync(log);

  scenario({ type: registered('Contoso'), resources: [{ name: 'cache-1', state: 'Online', ownerNode: 'N1' }, { name: 'cache-2', state: 'Offline', ownerNode: 'N2' }] });
  let r = wsfc('unregister', 'Contoso');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("resource type 'Contoso' still has resources: cache-1 (Online), cache-2 (Offline)");
  expect(calls().map((c) => c.kind)).toEqual(['query']);
  expect(listing('N1')).toHaveLength(3);

  // A resource created between the query and the removal: the script refuses, nothing changes.
  scenario({ type: registered('Contoso'), remove: { exitCode: 3, stderr: 'resources of the type exist: late' } });
  r = wsfc('unregister', 'Contoso');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('a resource of the type was created meanwhile; nothing was changed');
  expect(listing('N1')).toHaveLength(3);

  rmSync(log);
  scenario({ type: registered('Contoso') });
  r = wsfc('unregister', 'Contoso');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const [query, remove] = calls();
  expect([query!.kind, remove!.kind]).toEqual(['query', 'remove']);
  expect(remove!.files.filter((f) => f.startsWith('N1/')).length).toBeGreaterThan(2); // files removed after the type
  expect(scriptParameters(remove!.script)).toEqual({ TypeName: 'Contoso' });
  expect(existsSync(onNode('N1'))).toBe(false);
  expect(readdirSync(onNode('N2'))).toEqual(['Contoso.Other.json']);
  expect(r.stdout).toContain("removed resource type 'Contoso' from the cluster");
});

test('usage errors exit 2 and say what to do; --help exits 0', () => {
  for (const args of [['register'], ['register', 'a.js', '--looks-alive-ms', '0'], ['register', 'a.js', '--nodes', ','], ['unregister'], ['register', 'a.js', '--bogus']]) {
    const r = wsfc(...args);
    expect(r.status, args.join(' ')).toBe(2);
    // The hint names the command's own help (the shared option parser, lib/cli/options.ts), on
    // the problem's line or the next.
    expect(r.stderr).toMatch(new RegExp(`^wsfc-resource: .+(\\n\\(run |; run )'wsfc-resource ${args[0]} --help'`));
  }
  for (const command of ['register', 'unregister']) {
    const r = wsfc(command, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: wsfc-resource ${command}`);
  }
  expect(wsfc('register', '--help').stdout).toContain('(default: <install dir>\\<Type>.host.log)');
  const bad = wsfc('register', join(makeProject('baddll', 'Contoso'), 'dist', 'type.mjs'), '--dll', join(root, 'package.json'), '--print', ...PRINT_SOURCES);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('no MZ signature');
});

test('doctor --cluster: the registered type, and each node\'s files checked against the module', () => {
  const project = makeProject('doctor', 'Contoso');
  const module = join(project, 'dist', 'type.mjs');
  const doctor = () => {
    const r = wsfc('doctor', module, '--cluster', '--dll', dll, '--json');
    return { status: r.status, cluster: (JSON.parse(r.stdout) as { check: string; status: string; message: string }[]).filter((f) => f.check === 'cluster') };
  };
  scenario();
  expect(doctor().cluster).toEqual([
    { check: 'cluster', status: 'ok', message: 'cluster nodes: N1 (Up), N2 (Up)' },
    { check: 'cluster', status: 'fail', message: "resource type 'Contoso' is not registered", fix: 'wsfc-resource register <module>' },
  ]);
  expect(wsfc('register', module, '--install-dir', INSTALL, '--node', '/usr/bin/env', '--dll', dll).status).toBe(2); // --node must be a Windows path
  for (const node of ['N1', 'N2']) {
    mkdirSync(join(shares, node, 'C', 'node'), { recursive: true });
    writeFileSync(join(shares, node, 'C', 'node', 'node.exe'), '22.11.0');
  }
  expect(wsfc('register', module, '--install-dir', INSTALL, '--node', 'C:\\node\\node.exe', '--dll', dll).status).toBe(0);
  scenario({ type: registered('Contoso') });
  const healthy = doctor();
  expect(healthy.status).toBe(0);
  expect(healthy.cluster.map((f) => `${f.status} ${f.message}`)).toEqual([
    'ok cluster nodes: N1 (Up), N2 (Up)',
    `ok 'Contoso' is registered with DllName ${INSTALL}\\Contoso.dll`,
    'ok N1: DLL, configuration (same manifest), node.exe and module in place',
    'ok N2: DLL, configuration (same manifest), node.exe and module in place',
    'ok N1: only Administrators and SYSTEM can change the DLL, configuration and application',
    'ok N2: only Administrators and SYSTEM can change the DLL, configuration and application',
  ]);
  const asked = of('access').at(-1)!.params.Paths as string[];
  const appDir = listing('N2').find((n) => n.startsWith('Contoso.app-'))!;
  expect(asked.filter((p) => p.startsWith(onNode('N2')) || p === onNode('N2'))).toEqual([onNode('N2'), onNode('N2', 'Contoso.dll'), onNode('N2', 'Contoso.json'), onNode('N2', appDir)]);

  // Someone loosened the configuration's ACL on N2, and made the application folder on N1 theirs.
  setAcl({ ...acl(), [onNode('N2', 'Contoso.json')]: { writers: ['BUILTIN\\Users'] }, [onNode('N1', listing('N1').find((n) => n.startsWith('Contoso.app-'))!)]: { owner: 'CONTOSO\\mallory', ownerTrusted: false, writers: ['CONTOSO\\mallory'] } });
  const loose = doctor();
  expect(loose.status).toBe(1);
  expect(loose.cluster.slice(4)).toEqual([
    { check: 'cluster', status: 'fail', message: expect.stringMatching(/^N1: C:\\Program Files\\wsfc-resource\\Contoso\\Contoso\.app-[0-9a-f]{12} can be changed by CONTOSO\\mallory; .* is owned by CONTOSO\\mallory: code there runs as LocalSystem$/), fix: expect.stringContaining('re-run wsfc-resource register') },
    { check: 'cluster', status: 'fail', message: `N2: ${INSTALL}\\Contoso.json can be changed by BUILTIN\\Users: code there runs as LocalSystem`, fix: expect.stringContaining('locks the install folder down') },
  ]);
  setAcl({});
  rmSync(join(shares, 'N2', 'C', 'node', 'node.exe'));
  makeProject('doctor', 'Contoso', 'a new default'); // the module changed, not redeployed
  const stale = doctor();
  expect(stale.status).toBe(1);
  expect(stale.cluster[2]!.message).toMatch(/^N1: the module's manifest differs from the type configuration's .*properties\[0\]\.default: "hello" in the configuration, "a new default" in the module$/);
  expect(stale.cluster[3]!.message).toMatch(/^N2: the module's manifest differs/);
  scenario({ query: { error: { message: 'The cluster service is not running.', cmdlet: 'Get-ClusterNode' } } });
  const down = doctor();
  expect(down.status).toBe(1);
  expect(down.cluster).toEqual([expect.objectContaining({ status: 'fail', message: expect.stringContaining('The cluster service is not running.') })]);
});
