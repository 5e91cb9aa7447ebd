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
import { scanPowerShell, scriptParameters } from '../support/powershell-scan.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const dll = join(root, 'prebuilds', 'win32-x64', 'wsfcres.dll');
const work = mkdtempSync(join(tmpdir(), 'wsfc-register-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOSTILE_TYPE = "Contoso 'Cache' $(Stop-Computer) \u2018x\u2019";
const INSTALL = 'C:\\Program Files\\wsfc-resource\\Contoso';

/** A user's project: package.json, the compiled module, and wsfc-resource in node_modules. */
function makeProject(name: string, typeName: string, greeting = 'hello'): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', dependencies: { 'wsfc-resource': '*' } }));
  const source = readFileSync(join(root, 'test', 'fixtures', 'demo-type.mjs'), 'utf8')
    .replace("name: 'CliDemo'", `name: ${JSON.stringify(typeName)}`)
    .replace("default: 'hello'", `default: ${JSON.stringify(greeting)}`);
  writeFileSync(join(dir, 'dist', 'type.mjs'), source);
  const pkg = join(dir, 'node_modules', 'wsfc-resource');
  mkdirSync(pkg, { recursive: true });
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (src) => !src.includes(`${join('dist', 'examples')}`) });
  return dir;
}

// The stand-in: records every call (the decoded script and the files on the shares at that
// moment) and answers from a scenario file.
const bin = join(work, 'bin');
const shares = join(work, 'shares');
const log = join(work, 'powershell.log');
const scenarioFile = join(work, 'scenario.json');
mkdirSync(bin);
writeFileSync(join(bin, 'powershell.exe'), `#!${process.execPath}
const fs = require('fs'), path = require('path');
const args = process.argv.slice(2);
const script = Buffer.from(args[args.indexOf('-EncodedCommand') + 1], 'base64').toString('utf16le');
const kind = script.includes('Remove-ClusterResourceType') ? 'remove' : script.includes('Add-ClusterResourceType') ? 'add' : 'query';
const files = [];
const walk = (d, rel) => { for (const n of fs.existsSync(d) ? fs.readdirSync(d).sort() : []) { const p = path.join(d, n); if (fs.statSync(p).isDirectory()) walk(p, rel + n + '/'); else files.push(rel + n); } };
walk(process.env.WSFC_RESOURCE_SHARE_ROOT, '');
fs.appendFileSync(process.env.FAKE_PS_LOG, JSON.stringify({ kind, args: args.slice(0, 5), script, files }) + '\\n');
const answer = JSON.parse(fs.readFileSync(process.env.FAKE_PS_SCENARIO, 'utf8'))[kind] || {};
if (answer.stderr) process.stderr.write(answer.stderr);
if (answer.result !== undefined) process.stdout.write('noise from a cmdlet\\r\\nWSFC-RESULT ' + JSON.stringify(answer.result) + '\\r\\n');
process.exit(answer.exitCode || 0);
`);
chmodSync(join(bin, 'powershell.exe'), 0o755);

interface Call {
  kind: 'query' | 'add' | 'remove';
  args: string[];
  script: string;
  files: string[];
}
const calls = (): Call[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : []);

interface Cluster {
  nodes?: { name: string; state: string }[];
  type?: { dllName: string; looksAlivePollInterval: number; isAlivePollInterval: number } | null;
  resources?: { name: string; state: string; ownerNode: string }[];
  add?: { exitCode?: number; stderr?: string };
  remove?: { exitCode?: number; stderr?: string };
}
function scenario(c: Cluster = {}): void {
  const state = {
    computer: 'N1',
    nodes: c.nodes ?? [{ name: 'N1', state: 'Up' }, { name: 'N2', state: 'Up' }],
    type: c.type ?? null,
    resources: c.resources ?? [],
  };
  writeFileSync(scenarioFile, JSON.stringify({
    query: { result: state },
    add: { result: { created: state.type === null, dllName: `${INSTALL}\\x.dll` }, ...c.add },
    remove: { result: { removed: true }, ...c.remove },
  }));
}

function wsfc(...args: string[]) {
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, WSFC_RESOURCE_SHARE_ROOT: shares, FAKE_PS_LOG: log, FAKE_PS_SCENARIO: scenarioFile };
  return spawnSync(process.execPath, [cli, ...args], { cwd: work, env, encoding: 'utf8' });
}
const onNode = (node: string, ...parts: string[]) => join(shares, node, 'C', 'Program Files', 'wsfc-resource', 'Contoso', ...parts);
const listing = (node: string) => (existsSync(onNode(node)) ? readdirSync(onNode(node)).sort() : []);
const registered = (typeName: string) => ({ dllName: `${INSTALL}\\${typeName.replace(/[<>:"/\\|?*]/g, '_')}.dll`, looksAlivePollInterval: 5000, isAlivePollInterval: 60000 });

beforeEach(() => {
  rmSync(shares, { recursive: true, force: true });
  rmSync(log, { force: true });
});

test('register --print: the whole job as one script whose code no input changes', () => {
  const plain = makeProject('plain', 'Contoso');
  const hostile = makeProject('hostile', HOSTILE_TYPE);
  const print = (project: string, ...extra: string[]) => {
    const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--print', '--install-dir', INSTALL, '--nodes', 'N1,N2', '--looks-alive-ms', '2000', '--dll', dll, ...extra);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const a = print(plain, '--display-name', 'Contoso Cache', '--node', 'C:\\Program Files\\nodejs\\node.exe');
  const b = print(hostile, '--display-name', "Contoso's \u201Ccache\u201D `$x` \u2019; calc; \u2018", '--node', "C:\\Users\\O'Brien $HOME\\node.exe");
  expect(scanPowerShell(b).skeleton).toBe(scanPowerShell(a).skeleton);
  expect(calls()).toEqual([]); // printing runs nothing

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
    DllSource: dll,
    AppDir: appDir,
    AppSource: hostile,
    ConfigName: `${HOSTILE_TYPE}.json`,
    Config: params.Config,
    Nodes: ['N1', 'N2'],
  });
  expect(config.manifest.name).toBe(HOSTILE_TYPE);
  expect(config.host).toEqual({
    node: "C:\\Users\\O'Brien $HOME\\node.exe",
    main: `${INSTALL}\\${appDir}\\node_modules\\wsfc-resource\\dist\\host\\main.js`,
    module: `${INSTALL}\\${appDir}\\dist\\type.mjs`,
  });
  // The literal as printed, character for character: every single quote of any kind doubled.
  expect(b).toContain("$TypeName = 'Contoso ''Cache'' $(Stop-Computer) \u2018\u2018x\u2019\u2019'\n");
  expect(b).toContain("$DisplayName = 'Contoso''s \u201Ccache\u201D `$x` \u2019\u2019; calc; \u2018\u2018'\n");
});

test('register: query, then the application and DLL on every node, then the configuration, then Add-ClusterResourceType', () => {
  const project = makeProject('fresh', 'Contoso');
  scenario();
  const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll, '--display-name', 'Contoso Cache');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const [query, add, ...rest] = calls();
  expect(rest).toEqual([]);
  expect(query!.kind).toBe('query');
  expect(query!.args).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
  expect(query!.files).toEqual([]); // nothing copied before the cluster was read
  expect(add!.kind).toBe('add');
  expect(scriptParameters(add!.script)).toMatchObject({ TypeName: 'Contoso', DisplayName: 'Contoso Cache', DllPath: `${INSTALL}\\Contoso.dll`, LooksAliveMs: null, DefaultLooksAliveMs: '5000' });
  for (const node of ['N1', 'N2']) {
    // When the cluster was asked to add the type, both nodes had everything.
    expect(add!.files).toEqual(expect.arrayContaining([`${node}/C/Program Files/wsfc-resource/Contoso/Contoso.dll`, `${node}/C/Program Files/wsfc-resource/Contoso/Contoso.json`]));
    const names = listing(node);
    expect(names).toEqual([expect.stringMatching(/^Contoso\.app-[0-9a-f]{12}$/), 'Contoso.dll', 'Contoso.json']);
    expect(readFileSync(onNode(node, 'Contoso.dll')).equals(readFileSync(dll))).toBe(true);
    const config = JSON.parse(readFileSync(onNode(node, 'Contoso.json'), 'utf8')) as { host: { module: string } };
    const appDir = names.find((n) => n.startsWith('Contoso.app-'))!;
    expect(config.host.module).toBe(`${INSTALL}\\${appDir}\\dist\\type.mjs`);
    expect(existsSync(onNode(node, appDir, 'dist', 'type.mjs'))).toBe(true);
    expect(existsSync(onNode(node, appDir, 'node_modules', 'wsfc-resource', 'dist', 'host', 'main.js'))).toBe(true);
  }
  expect(r.stdout).toContain(`registered resource type 'Contoso' (DllName ${INSTALL}\\Contoso.dll)`);
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
  expect(scriptParameters(calls()[1]!.script)).toMatchObject({ LooksAliveMs: null, IsAliveMs: null });

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
  expect(scriptParameters(calls().at(-1)!.script)).toMatchObject({ IsAliveMs: '30000', LooksAliveMs: null });

  // Once nothing runs the old version, the next run removes it.
  scenario({ type: registered('Contoso'), resources: [{ name: 'cache-1', state: 'Offline', ownerNode: 'N2' }] });
  const tidy = wsfc('register', module, '--install-dir', INSTALL, '--dll', newDll);
  expect(tidy.stdout).toContain("resource type 'Contoso' is up to date");
  expect(listing('N2')).toEqual([newApp, 'Contoso.dll', 'Contoso.json'].sort());
});

test('a copy that fails on the second node: a clear report, no configuration written anywhere, no cluster change', () => {
  const project = makeProject('broken', 'Contoso');
  scenario();
  mkdirSync(join(shares, 'N2'), { recursive: true });
  writeFileSync(join(shares, 'N2', 'C'), 'a file where a folder must go'); // N2 unreachable
  const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/copying to N2 \(.*\) failed; the type configuration was not changed on any node\. Re-run register once N2 is reachable\./);
  expect(calls().map((c) => c.kind)).toEqual(['query']);
  expect(listing('N1').filter((n) => n.endsWith('.json') || n.includes('.incoming-'))).toEqual([]);

  // An upgrade that fails the same way keeps the old configuration byte for byte.
  rmSync(join(shares, 'N2', 'C'));
  expect(wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll).status).toBe(0);
  const oldConfig = readFileSync(onNode('N1', 'Contoso.json'), 'utf8');
  makeProject('broken', 'Contoso', 'changed');
  rmSync(join(shares, 'N2'), { recursive: true });
  mkdirSync(join(shares, 'N2'));
  writeFileSync(join(shares, 'N2', 'C'), 'gone again');
  scenario({ type: registered('Contoso') });
  const again = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(again.status).toBe(1);
  expect(readFileSync(onNode('N1', 'Contoso.json'), 'utf8')).toBe(oldConfig);
});

test('refusals before anything is copied: a node down, an unknown node, a type registered elsewhere', () => {
  const project = makeProject('refused', 'Contoso');
  const module = join(project, 'dist', 'type.mjs');
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
  expect(existsSync(shares)).toBe(false);
  expect(calls().every((c) => c.kind === 'query')).toBe(true);
});

test('Add-ClusterResourceType failing: the report says the files are in place and to re-run', () => {
  const project = makeProject('addfails', 'Contoso');
  scenario({ add: { exitCode: 1, stderr: 'Add-ClusterResourceType : Access is denied' } });
  const r = wsfc('register', join(project, 'dist', 'type.mjs'), '--install-dir', INSTALL, '--dll', dll);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('Add-ClusterResourceType failed (powershell.exe exit code 1):\n  Add-ClusterResourceType : Access is denied');
  expect(r.stderr).toContain('the files are in place on N1, N2, but the cluster was not updated. Re-run register.');
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
  const bad = wsfc('register', join(makeProject('baddll', 'Contoso'), 'dist', 'type.mjs'), '--dll', join(root, 'package.json'), '--print');
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
  expect(wsfc('register', module, '--install-dir', INSTALL, '--node', 'C:\\node\\node.exe', '--dll', dll).status).toBe(0);
  scenario({ type: registered('Contoso') });
  for (const node of ['N1', 'N2']) {
    mkdirSync(join(shares, node, 'C', 'node'), { recursive: true });
    writeFileSync(join(shares, node, 'C', 'node', 'node.exe'), '');
  }
  const healthy = doctor();
  expect(healthy.status).toBe(0);
  expect(healthy.cluster.map((f) => `${f.status} ${f.message}`)).toEqual([
    'ok cluster nodes: N1 (Up), N2 (Up)',
    `ok 'Contoso' is registered with DllName ${INSTALL}\\Contoso.dll`,
    'ok N1: DLL, configuration (same manifest), node.exe and module in place',
    'ok N2: DLL, configuration (same manifest), node.exe and module in place',
  ]);
  rmSync(join(shares, 'N2', 'C', 'node', 'node.exe'));
  makeProject('doctor', 'Contoso', 'a new default'); // the module changed, not redeployed
  const stale = doctor();
  expect(stale.status).toBe(1);
  expect(stale.cluster[2]!.message).toMatch(/^N1: the module's manifest differs from the type configuration's .*properties\[0\]\.default: "hello" in the configuration, "a new default" in the module$/);
  expect(stale.cluster[3]!.message).toMatch(/^N2: the module's manifest differs/);
  writeFileSync(scenarioFile, JSON.stringify({ query: { exitCode: 1, stderr: 'Get-ClusterNode : The cluster service is not running.' } }));
  const down = doctor();
  expect(down.status).toBe(1);
  expect(down.cluster).toEqual([expect.objectContaining({ status: 'fail', message: expect.stringContaining('The cluster service is not running.') })]);
});
