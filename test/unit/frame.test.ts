// The C++ frame decoder (native/protocol/frame.cc) against hostile input: truncated, oversized and
// garbage frames are rejected cleanly, never read past the buffer, never crash.
import { describe, expect, test } from 'vitest';
import { native } from '../../lib/native.js';

const { decodeFrame, maxPayload } = native();

function frame(type: number, payload: Buffer, { magic = 0x4657, version = 1, length = payload.length } = {}): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt32LE(length >>> 0, 0);
  h.writeUInt16LE(magic, 4);
  h.writeUInt8(version, 6);
  h.writeUInt8(type, 7);
  h.writeUInt32LE(3, 8);   // slot
  h.writeUInt32LE(9, 12);  // generation
  h.writeUInt32LE(27, 16); // request
  return Buffer.concat([h, payload]);
}

describe('frame decoder', () => {
  test('a well-formed frame decodes with its header fields', () => {
    expect(decodeFrame(frame(4, Buffer.from([1, 2, 3])))).toEqual({
      status: 'ok', consumed: 23, type: 'online', slot: 3, generation: 9, request: 27, payloadLength: 3,
    });
  });

  test('trailing bytes belong to the next frame', () => {
    const two = Buffer.concat([frame(9, Buffer.alloc(0)), frame(8, Buffer.alloc(0))]);
    expect(decodeFrame(two)).toMatchObject({ status: 'ok', consumed: 20, type: 'isAlive' });
  });

  test('every truncation of a valid frame asks for more, never decodes', () => {
    const f = frame(10, Buffer.from('payload bytes'));
    for (let n = 0; n < f.length; n++) expect(decodeFrame(f.subarray(0, n)).status).toBe('needMore');
  });

  test('an oversized length is rejected from its first four bytes', () => {
    const f = frame(4, Buffer.alloc(0), { length: maxPayload + 1 });
    expect(decodeFrame(f.subarray(0, 4))).toMatchObject({ status: 'error', error: expect.stringContaining('exceeds the limit') });
    expect(decodeFrame(frame(4, Buffer.alloc(0), { length: 0xffffffff })).status).toBe('error');
    // The limit itself is fine (it only needs more bytes).
    expect(decodeFrame(frame(4, Buffer.alloc(0), { length: maxPayload })).status).toBe('needMore');
  });

  test.each([
    ['bad magic', frame(4, Buffer.alloc(0), { magic: 0x1234 }), 'bad frame magic'],
    ['unsupported version', frame(4, Buffer.alloc(0), { version: 2 }), 'unsupported frame version 2'],
    ['unknown type', frame(99, Buffer.alloc(0)), 'unknown frame type 99'],
    ['type zero', frame(0, Buffer.alloc(0)), 'unknown frame type 0'],
  ])('%s is an error', (_, bytes, message) => {
    expect(decodeFrame(bytes)).toEqual({ status: 'error', error: message });
  });

  test('100,000 random and mutated buffers: each is ok, needMore or error — no crash', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const valid = frame(11, Buffer.from('0123456789abcdef'));
    const counts = { ok: 0, needMore: 0, error: 0 };
    for (let i = 0; i < 100_000; i++) {
      let buf: Buffer;
      if (i % 2 === 0) {
        buf = Buffer.alloc(Math.floor(rand() * 64));
        for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rand() * 256);
      } else {
        buf = Buffer.from(valid.subarray(0, Math.floor(rand() * (valid.length + 1))));
        const flips = 1 + Math.floor(rand() * 3);
        for (let k = 0; k < flips && buf.length; k++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
      }
      const r = decodeFrame(buf);
      counts[r.status]++;
      if (r.status === 'ok') {
        expect(r.consumed).toBeLessThanOrEqual(buf.length);
        expect(r.consumed).toBe(20 + (r.payloadLength ?? -1));
      }
    }
    expect(counts.ok + counts.needMore + counts.error).toBe(100_000);
    expect(counts.error).toBeGreaterThan(10_000);
    expect(counts.ok).toBeGreaterThan(0);
  });
});
