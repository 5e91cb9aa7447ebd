// Runs the real Windows artifacts under Wine: a staged install of the package (dist, the win32-x64
// prebuild, a fixture module), wsfcres.dll deployed with its wsfcres.json, and
// mock-rhs.exe driving it from a scenario of JSON lines. Needs `npm run build:win` and
// scripts/wine-env.sh (the Windows tier script runs both first).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TimelineEvent } from '../../lib/testing/index.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const prebuilt = join(root, 'prebuilds', 'win32-x64');

export function wineEnv(): Record<string, string> {
  const text = readFileSync(join(root, '.cache', 'wine', 'env'), 'utf8');
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const staged: string[] = [];
/** Removes every staged install (afterAll). */
export function removeStaged(): void {
  for (const dir of staged.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A POSIX path as Wine's Z: drive shows it. */
export const winPath = (p: string) => `Z:${p.replace(/\//g, '\\')}`;

/** A package install as a Windows user would have it, plus a deployed DLL for `module`; with
 * `unicodePath`, all of it under a folder whose name no ANSI code page holds. */
export function stage(fixture: string, manifest: unknown, unicodePath = false): { dir: string; dll: string; logFile: string } {
  const dir = mkdtempSync(join(tmpdir(), unicodePath ? 'wsfc-wine Ünï 名前 🚀-' : 'wsfc-wine-'));
  staged.push(dir);
  const pkg = join(dir, 'pkg');
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(prebuilt, join(pkg, 'prebuilds', 'win32-x64'), { recursive: true });
  // Inside the package, so its `import 'wsfc-resource'` resolves to the package itself.
  mkdirSync(join(pkg, 'fixtures'));
  cpSync(join(root, 'test', 'fixtures', fixture), join(pkg, 'fixtures', fixture));
  const deployDir = join(dir, 'deploy');
  mkdirSync(deployDir);
  cpSync(join(prebuilt, 'wsfcres.dll'), join(deployDir, 'wsfcres.dll'));
  cpSync(join(prebuilt, 'mock-rhs.exe'), join(deployDir, 'mock-rhs.exe'));
  const logFile = join(deployDir, 'host.log');
  const config = {
    version: 1,
    propertyStore: 'mock', // mock-rhs hands Open mock property keys, not cluster database keys
    manifest,
    host: {
      node: winPath(wineEnv().WSFC_WIN_NODE!),
      main: winPath(join(pkg, 'dist', 'host', 'main.js')),
      module: winPath(join(pkg, 'fixtures', fixture)),
      logFile: winPath(logFile),
    },
  };
  writeFileSync(join(deployDir, 'wsfcres.json'), JSON.stringify(config, null, 2));
  return { dir: deployDir, dll: join(deployDir, 'wsfcres.dll'), logFile };
}

export interface Run {
  code: number | null;
  lines: Record<string, unknown>[];
  events: TimelineEvent[];
  results: Map<number, Record<string, unknown>>;
  stderr: string;
  wallMs: number;
}

/** mock-rhs.exe under Wine over a scenario; node's stdio never a Unix pipe (files, DESIGN §6). */
export function runUnderWine(deployDir: string, type: string, scenario: object[], args: string[] = [], timeoutMs = 60000): Promise<Run> {
  const env = wineEnv();
  const input = join(deployDir, 'scenario.jsonl');
  const output = join(deployDir, 'out.jsonl');
  const errors = join(deployDir, 'err.txt');
  writeFileSync(input, scenario.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const sh = `"${env.WINE}" mock-rhs.exe ${args.join(' ')} '${winPath(join(deployDir, 'wsfcres.dll'))}' ${type} < scenario.jsonl > out.jsonl 2> err.txt`;
    const child = spawn('sh', ['-c', sh], { cwd: deployDir, env: { ...process.env, ...env }, stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mock-rhs.exe under Wine did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const results = new Map<number, Record<string, unknown>>();
      for (const l of lines) if (typeof l.id === 'number') results.set(l.id, l);
      resolve({
        code,
        lines,
        events: lines.filter((l) => 'event' in l).map((l) => l.event as TimelineEvent),
        results,
        stderr: readFileSync(errors, 'utf8'),
        wallMs: Date.now() - started,
      });
    });
  });
}
