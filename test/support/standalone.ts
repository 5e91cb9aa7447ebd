// The standalone build (the CMake project, `npm run build:native`): libwsfcres.so
// deployed like a resource DLL — copied into a directory with its `<library name>.json` — and
// mock-rhs driving it from a scenario of JSON lines.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TimelineEvent } from '../../lib/testing/index.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const builtLibrary = join(root, 'build', 'native', 'libwsfcres.so');
export const mockRhs = join(root, 'build', 'native', 'mock-rhs');
export const hostMain = join(root, 'dist', 'host', 'main.js');

const scratch: string[] = [];

/** Removes every scratchDir made so far; each test file that makes some calls it in afterAll
 * (a hook registered here would attach to the first file that imported this module only). */
export function removeScratchDirs(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temporary directory, removed by removeScratchDirs(). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A fresh directory holding a copy of the library and, if given, its configuration. */
export function deploy(config?: unknown): { dir: string; library: string; logFile: string } {
  const dir = scratchDir('wsfcres-');
  const library = join(dir, 'libwsfcres.so');
  copyFileSync(builtLibrary, library);
  if (config !== undefined) writeFileSync(join(dir, 'libwsfcres.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return { dir, library, logFile: join(dir, 'host.log') };
}

export interface MockRhsRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Record<string, unknown>[];
  events: TimelineEvent[];
  stderr: string;
}

/** Runs mock-rhs over a scenario (one command object per line) and collects its JSON lines. */
export function runMockRhs(library: string, type: string, scenario: object[], args: string[] = [], timeoutMs = 20000): Promise<MockRhsRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(mockRhs, [...args, library, type], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mock-rhs did not finish within ${timeoutMs} ms:\n${out}\n${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const events = lines.filter((l) => 'event' in l).map((l) => l.event as TimelineEvent);
      resolve({ code, signal, lines, events, stderr });
    });
    child.stdin.end(scenario.map((c) => JSON.stringify(c)).join('\n') + '\n');
  });
}
