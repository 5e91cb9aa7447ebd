// The host log file is bounded: past logMaxBytes it becomes <file>.1 and a new file starts, so a
// host printing without end costs at most twice the bound; lines still reach the cluster log,
// rate-limited. The shim reads the host's output itself (host_output_*.cc, rotating_log.cc).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { userCode } from '../../lib/index.js';
import { MockCluster } from '../../lib/testing/index.js';
import { hostNode } from '../support/host-node.js';
import { removeScratchDirs, scratchDir } from '../support/standalone.js';

afterAll(removeScratchDirs);

const PRINT = userCode(1);
const module = fileURLToPath(new URL('../fixtures/chatty-type.mjs', import.meta.url));
const bound = 64 * 1024;
// The file is briefly absent while it is rotated.
const readLog = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

async function printing(logFile: string, rounds: number, bytesPerRound: number, beforeStop?: (cluster: MockCluster) => Promise<void>) {
  const cluster = await MockCluster.start({ host: 'process', module, hostProcess: { ...hostNode, logFile, logMaxBytes: bound } });
  try {
    const res = await cluster.createResource('ChattyType', 'chatty');
    await res.online();  // Online waits for the host to be ready; a control would not
    const last = `out ${String(Math.floor(bytesPerRound / 100) - 1).padStart(8, '0')} `;
    for (let i = 0; i < rounds; i++) {
      expect((await res.control(PRINT, Buffer.from(`${bytesPerRound},100`))).toString()).toBe('printed');
      // The shim reads the output on its own thread: the round is done when its last line is in.
      const seen = () => readLog(logFile).includes(last) || (i > 0 && readLog(`${logFile}.1`).includes(last));
      for (let waited = 0; waited < 10000 && !seen(); waited += 20) await new Promise((r) => setTimeout(r, 20));
    }
    await beforeStop?.(cluster);
    return { cluster, last };
  } finally {
    await cluster.stop();
  }
}

test('a host printing 20 times its bound leaves two files, each within the bound, the newest output kept', async () => {
  const logFile = join(scratchDir('wsfc-host-log-'), 'chatty.log');
  // The host dies before the cluster stops: what it printed is summed up in the cluster log then.
  const summary = (c: MockCluster) => c.events.some((e) => e.kind === 'log' && /more line\(s\) not sent to the cluster log \(see /.test(e.message ?? ''));
  const { cluster, last } = await printing(logFile, 20, bound, async (c) => {
    c.killHost();
    for (let waited = 0; waited < 5000 && !summary(c); waited += 20) await new Promise((r) => setTimeout(r, 20));
  });
  const current = statSync(logFile).size;
  const previous = statSync(`${logFile}.1`).size;
  expect(current).toBeLessThanOrEqual(bound);
  expect(previous).toBeLessThanOrEqual(bound);
  expect(existsSync(`${logFile}.2`)).toBe(false);
  // The last round is whole (in this file, or just rotated into .1), and the footer closes the file.
  const both = readFileSync(`${logFile}.1`, 'utf8') + readFileSync(logFile, 'utf8');
  expect(both).toContain(last);
  expect(readFileSync(logFile, 'utf8')).toMatch(/--- wsfc-resource: host process \d+ (exited|was killed)[^\n]*\n(--- wsfc-resource: host process \d+ started: [^\n]*\n)?$/);
  // The cluster log got lines too, at most 50 per 10 s, and the rest counted.
  const hostLines = cluster.events.filter((e) => e.kind === 'log' && /^host (stdout|stderr): /.test(e.message ?? ''));
  expect(hostLines.length).toBeGreaterThan(0);
  expect(hostLines.length).toBeLessThanOrEqual(50);
  expect(summary(cluster)).toBe(true);
}, 60000);

test('a log already past its bound from earlier runs is rotated when the host starts', async () => {
  const logFile = join(scratchDir('wsfc-host-log-'), 'old.log');
  writeFileSync(logFile, 'x'.repeat(bound + 10));
  await printing(logFile, 1, 1000);
  expect(readFileSync(`${logFile}.1`, 'utf8')).toBe('x'.repeat(bound + 10));
  expect(readFileSync(logFile, 'utf8')).toMatch(/^--- wsfc-resource: host process \d+ started: /);
}, 60000);

test('a logMaxBytes below 64 KiB is refused with the field named', async () => {
  await expect(MockCluster.start({ host: 'process', module, hostProcess: { ...hostNode, logMaxBytes: 1000 } })).rejects.toThrow(
    /host\.logMaxBytes: must be an integer from 65536 to 4294967295/,
  );
});
