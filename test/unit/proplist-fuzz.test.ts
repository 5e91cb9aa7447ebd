// Deterministic fuzzing of the property-list codec. The decoder must be total: every byte string
// decodes or throws PropertyListError (never a RangeError from an over-read, never a hang), and
// whatever it accepts the encoder must accept and reproduce.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CLUSPROP_SYNTAX,
  PROPERTY_LIST_ERROR_REASONS,
  PropertyListError,
  decodeMultiSz,
  decodePropertyList,
  encodeMultiSz,
  encodePropertyList,
  type PropertyFormat,
  type PropertyValue,
} from '../../lib/proplist.js';
import { prng } from '../../lib/testing/prng.js';

const SEED = 0x5eed1234;
const FUZZ_CASES = 120_000;

class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
  u64(): bigint {
    return (BigInt(this.int(0, 0xffffffff)) << 32n) | BigInt(this.int(0, 0xffffffff));
  }
  string(minLen: number, maxLen: number): string {
    const alphabet = ['a', 'Z', '0', ' ', '%', '\\', '\u00e9', '\u03a9', '\u4e2d', '\ud83d\ude00', '\ud800', '\uffff'];
    let s = '';
    const n = this.int(minLen, maxLen);
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }
}

const FORMATS: PropertyFormat[] = [
  'binary', 'dword', 'sz', 'expandSz', 'multiSz', 'ulargeInteger', 'long', 'largeInteger', 'word', 'filetime',
];

function randomValue(g: Gen, format: PropertyFormat): unknown {
  switch (format) {
    case 'binary': return g.bytes(g.int(0, 9));
    case 'dword': return g.chance(0.2) ? g.pick([0, 1, 0xffffffff]) : g.int(0, 0xffffffff);
    case 'long': return g.chance(0.2) ? g.pick([-2147483648, -1, 0, 2147483647]) : g.int(-2147483648, 2147483647);
    case 'word': return g.int(0, 0xffff);
    case 'ulargeInteger':
    case 'filetime': return g.chance(0.2) ? g.pick([0n, (1n << 64n) - 1n]) : g.u64();
    case 'largeInteger': return BigInt.asIntN(64, g.u64());
    case 'sz':
    case 'expandSz': return g.string(0, 6);
    case 'multiSz': return Array.from({ length: g.int(0, 3) }, () => g.string(1, 4));
  }
}

function randomProperty(g: Gen): PropertyValue {
  const format = g.pick(FORMATS);
  const count = g.chance(0.8) ? 1 : g.int(2, 3);
  const values = Array.from({ length: count }, () => randomValue(g, format));
  const p: Record<string, unknown> = { name: g.string(1, 6), format, value: values[0] };
  if (count > 1) p.values = values;
  if (format === 'expandSz' && g.chance(0.3)) p.expanded = g.string(0, 5);
  return p as unknown as PropertyValue;
}

function randomList(g: Gen): PropertyValue[] {
  return Array.from({ length: g.int(0, 4) }, () => randomProperty(g));
}

const INTERESTING_U32 = [
  0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
  ...Object.values(CLUSPROP_SYNTAX),
];

/** One structural or byte-level corruption, aimed at headers as often as at data. */
function mutate(g: Gen, input: Buffer): Buffer {
  let b = Buffer.from(input);
  switch (g.int(0, 7)) {
    case 0: // flip a bit
      if (b.length > 0) b[g.int(0, b.length - 1)] ^= 1 << g.int(0, 7);
      break;
    case 1: // random byte
      if (b.length > 0) b[g.int(0, b.length - 1)] = g.int(0, 255);
      break;
    case 2: { // boundary value into an aligned DWORD (counts, syntaxes, cbLengths)
      if (b.length >= 4) {
        const at = 4 * g.int(0, (b.length >> 2) - 1);
        const v = g.chance(0.8) ? g.pick(INTERESTING_U32) : b.length - at + g.int(-12, 4);
        b.writeUInt32LE(v >>> 0, at);
      }
      break;
    }
    case 3: // truncate
      b = b.subarray(0, g.int(0, b.length));
      break;
    case 4: // append junk
      b = Buffer.concat([b, g.chance(0.5) ? Buffer.alloc(g.int(1, 8)) : g.bytes(g.int(1, 8))]);
      break;
    case 5: { // delete an aligned DWORD
      if (b.length >= 4) {
        const at = 4 * g.int(0, (b.length >> 2) - 1);
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 4)]);
      }
      break;
    }
    case 6: { // duplicate a slice in place
      if (b.length > 0) {
        const at = g.int(0, b.length - 1);
        const len = g.int(1, Math.min(16, b.length - at));
        b = Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
      }
      break;
    }
    case 7: // unaligned junk insert
      if (b.length > 0) {
        const at = g.int(0, b.length);
        b = Buffer.concat([b.subarray(0, at), g.bytes(g.int(1, 3)), b.subarray(at)]);
      }
      break;
  }
  return b;
}

/** Random bytes that usually get past the first checks (a small count, then a NAME syntax). */
function randomBuffer(g: Gen): Buffer {
  const b = g.bytes(g.int(0, 96));
  if (b.length >= 4 && g.chance(0.7)) b.writeUInt32LE(g.int(0, 3), 0);
  if (b.length >= 8 && g.chance(0.7)) b.writeUInt32LE(CLUSPROP_SYNTAX.NAME, 4);
  if (b.length >= 12 && g.chance(0.5)) b.writeUInt32LE(g.int(0, 24), 8);
  return b;
}

const REASONS = new Set<string>(PROPERTY_LIST_ERROR_REASONS);

type Outcome = { ok: true; value: PropertyValue[] } | { ok: false; offset: number; reason: string };

function outcome(decode: () => PropertyValue[]): Outcome {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (!(e instanceof PropertyListError)) throw e;
    return { ok: false, offset: e.offset, reason: e.reason };
  }
}

function fail(message: string, buf: Buffer): never {
  throw new Error(`${message}\n  input: ${buf.toString('hex')}`);
}

/** Checks one input; returns the outcome so the caller can tally coverage. */
function checkTotal(g: Gen, buf: Buffer): Outcome {
  let result: Outcome;
  try {
    result = outcome(() => decodePropertyList(buf));
  } catch (e) {
    fail(`decoder threw ${String(e)}`, buf);
  }

  if (result.ok) {
    let reencoded: Buffer;
    try {
      reencoded = encodePropertyList(result.value);
    } catch (e) {
      fail(`encoder rejected decoded output: ${String(e)}`, buf);
    }
    if (!isDeepStrictEqual(decodePropertyList(reencoded), result.value)) fail('decode(encode(decode(x))) != decode(x)', buf);
  } else {
    if (!REASONS.has(result.reason)) fail(`unknown reason ${result.reason}`, buf);
    // Errors point at entries or property boundaries, which are all DWORD-aligned and in range.
    if (!Number.isInteger(result.offset) || result.offset < 0 || result.offset > buf.length || result.offset % 4 !== 0) {
      fail(`bad offset ${result.offset} for ${result.reason}`, buf);
    }
  }

  // The decoder must see only its view, whatever surrounds it in memory.
  if (g.chance(0.1)) {
    const before = g.int(1, 7);
    const backing = Buffer.concat([g.bytes(before), buf, g.bytes(g.int(1, 16))]);
    const viewed = outcome(() => decodePropertyList(backing.subarray(before, before + buf.length)));
    if (!isDeepStrictEqual(viewed, result)) fail('result depends on bytes outside the view', buf);
  }
  return result;
}

describe('property-list fuzzing (seeded)', () => {
  it('round-trips random well-formed property lists', () => {
    const g = new Gen(SEED);
    for (let i = 0; i < 5_000; i++) {
      const list = randomList(g);
      const normalized = list.map((p) => {
        const { values, ...rest } = p;
        return values !== undefined && values.length > 1 ? p : rest;
      });
      const decoded = decodePropertyList(encodePropertyList(list));
      if (!isDeepStrictEqual(decoded, normalized)) {
        expect(decoded).toStrictEqual(normalized); // produces a readable diff
      }
    }
  });

  it(`decodes or rejects ${FUZZ_CASES} random and mutated buffers with PropertyListError only`, () => {
    const g = new Gen(SEED ^ 0xa5a5a5a5);
    const fixtures = JSON.parse(
      readFileSync(new URL('../fixtures/proplist-vectors.json', import.meta.url), 'utf8'),
    ) as { propertyLists: { valid: { hex: string }[] } };
    const seeds = fixtures.propertyLists.valid.map((v) => Buffer.from(v.hex.replace(/\s+/g, ''), 'hex'));

    const reasons = new Map<string, number>();
    let accepted = 0;
    for (let i = 0; i < FUZZ_CASES; i++) {
      let buf: Buffer;
      if (i % 4 === 0) {
        buf = randomBuffer(g);
      } else {
        buf = g.chance(0.5) ? g.pick(seeds) : encodePropertyList(randomList(g));
        for (let n = g.int(1, 3); n > 0; n--) buf = mutate(g, buf);
      }
      const r = checkTotal(g, buf);
      if (r.ok) accepted++;
      else reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    }

    // Both paths were exercised, and the mutations reach deep into the format.
    expect(accepted).toBeGreaterThan(FUZZ_CASES / 50);
    expect(FUZZ_CASES - accepted).toBeGreaterThan(FUZZ_CASES / 2);
    expect(reasons.size).toBeGreaterThanOrEqual(16);
  }, 30_000);

  it('decodes or rejects random bare MULTI_SZ buffers with PropertyListError only', () => {
    const g = new Gen(SEED + 7);
    for (let i = 0; i < 20_000; i++) {
      const buf = g.chance(0.5)
        ? Buffer.from(g.bytes(g.int(0, 24)).map((x) => (g.chance(0.5) ? 0 : x)))
        : mutate(g, encodeMultiSz(Array.from({ length: g.int(0, 3) }, () => g.string(1, 3))));
      let strings: string[];
      try {
        strings = decodeMultiSz(buf);
      } catch (e) {
        if (!(e instanceof PropertyListError) || e.offset !== 0) fail(`decodeMultiSz threw ${String(e)}`, buf);
        continue;
      }
      if (!isDeepStrictEqual(decodeMultiSz(encodeMultiSz(strings)), strings)) fail('MULTI_SZ round trip', buf);
    }
  });
});
