// register's copy progress: a bar redrawn in place on a terminal, one line per node in a log.
import { afterEach, expect, test, vi } from 'vitest';
import { copyProgress } from '../../lib/cli/progress.js';

afterEach(() => vi.restoreAllMocks());

test('not a terminal: one line per node with its files and bytes, no carriage returns', () => {
  const lines: string[] = [];
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const p = copyProgress('N1', 3, 3 * 1048576, { out: (l) => lines.push(l), err: (l) => lines.push(l) }, false);
  for (let i = 0; i < 3; i++) p.step(1048576);
  p.done();
  expect(lines).toEqual(['N1: copying 3 files, 3.0 MB']);
  expect(write).not.toHaveBeenCalled();
});

test('a terminal: a bar of files and bytes, ending with the totals and a newline', () => {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
  const p = copyProgress('N2', 2, 2 * 1048576, { out: () => {}, err: () => {} }, true);
  p.step(1048576);
  p.step(1048576);
  p.done();
  expect(written[0]).toMatch(/^\rN2 \[#{15}-{15}\] 1\/2 files, 1\.0\/2\.0 MB$/);
  expect(written.at(-2)).toBe(`\rN2 [${'#'.repeat(30)}] 2/2 files, 2.0/2.0 MB`);
  expect(written.at(-1)).toBe('\n');
});
