// The C++ property-list codec (native/protocol/proplist.cc) held to the same shared vectors as the
// TypeScript one: same values, same bytes, same offset and reason for every malformed input.
import { describe, expect, it } from 'vitest';
import { native } from '../../lib/native.js';
import { decodePropertyList, encodePropertyList, PropertyListError } from '../../lib/proplist.js';
import { hex, toProperty, vectors } from '../support/vectors.js';

const n = native();

describe('native codec: shared vectors', () => {
  it.each(vectors.propertyLists.valid.map((v) => [v.name, v] as const))('decodes and re-encodes %s', (_name, v) => {
    const decoded = n.decodePropertyList(hex(v.hex));
    expect(decoded).toEqual({ ok: true, properties: v.properties.map(toProperty) });
    expect(n.encodePropertyList(v.properties.map(toProperty)).toString('hex')).toBe(hex(v.canonicalHex ?? v.hex).toString('hex'));
  });

  it.each(vectors.propertyLists.malformed.map((v) => [v.name, v] as const))('rejects %s', (_name, v) => {
    expect(n.decodePropertyList(hex(v.hex))).toMatchObject({ ok: false, offset: v.offset, reason: v.reason });
  });

  it.each(vectors.multiSz.valid.map((v) => [v.name, v] as const))('bare MULTI_SZ %s', (_name, v) => {
    expect(n.decodeMultiSz(hex(v.hex))).toEqual({ ok: true, strings: v.strings });
  });

  it.each(vectors.multiSz.malformed.map((v) => [v.name, v] as const))('rejects bare MULTI_SZ %s', (_name, v) => {
    expect(n.decodeMultiSz(hex(v.hex))).toMatchObject({ ok: false, offset: v.offset, reason: v.reason });
  });

  it('encodes the DESIGN example (Port = 8080) to the same 40 bytes as TypeScript', () => {
    const p = [{ name: 'Port', format: 'dword', value: 8080 }] as const;
    const bytes = n.encodePropertyList([...p]);
    expect(bytes.length).toBe(40);
    expect(bytes.equals(encodePropertyList([...p]))).toBe(true);
  });
});

it('agrees with the TypeScript decoder on 100,000 random and mutated buffers', () => {
  let seed = 0xc0ffee;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const seeds = vectors.propertyLists.valid.map((v) => hex(v.hex));
  let agreedErrors = 0;
  for (let i = 0; i < 100_000; i++) {
    const base = seeds[Math.floor(rand() * seeds.length)]!;
    const buf = Buffer.from(base.subarray(0, Math.floor(rand() * (base.length + 1))));
    const flips = Math.floor(rand() * 4);
    for (let k = 0; k < flips && buf.length; k++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
    const native = n.decodePropertyList(buf);
    let ts: { ok: true } | { ok: false; offset: number; reason: string };
    try {
      decodePropertyList(buf);
      ts = { ok: true };
    } catch (e) {
      if (!(e instanceof PropertyListError)) throw e;
      ts = { ok: false, offset: e.offset, reason: e.reason };
    }
    if (native.ok !== ts.ok || (!native.ok && !ts.ok && (native.offset !== ts.offset || native.reason !== ts.reason))) {
      throw new Error(`codecs disagree on ${buf.toString('hex')}: native ${JSON.stringify(native)} vs ts ${JSON.stringify(ts)}`);
    }
    if (!ts.ok) agreedErrors++;
  }
  expect(agreedErrors).toBeGreaterThan(20_000);
});
