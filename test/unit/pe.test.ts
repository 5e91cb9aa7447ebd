// The PE reader on hostile input: precise errors, never a crash.
import { expect, test } from 'vitest';
import { PeFormatError, readPe } from '../../lib/pe.js';

test('rejects non-PE and truncated files with a precise error', () => {
  expect(() => readPe(Buffer.from('hello'))).toThrow(PeFormatError);
  expect(() => readPe(Buffer.alloc(64))).toThrow('no MZ signature');
  const mz = Buffer.alloc(64);
  mz.write('MZ', 0, 'latin1');
  mz.writeUInt32LE(0x1000, 0x3c);
  expect(() => readPe(mz)).toThrow('truncated: PE header at 4096');
});

test('random bytes after a valid MZ header never throw anything but PeFormatError', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.alloc(512);
    for (let k = 0; k < b.length; k++) b[k] = Math.floor(rand() * 256);
    b.write('MZ', 0, 'latin1');
    b.writeUInt32LE(64 + Math.floor(rand() * 64), 0x3c);
    b.writeUInt32LE(0x4550, b.readUInt32LE(0x3c));
    try {
      readPe(b);
    } catch (e) {
      expect(e).toBeInstanceOf(PeFormatError);
    }
  }
});
