import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CLUSPROP_FORMAT,
  CLUSPROP_SYNTAX,
  CLUSPROP_TYPE,
  PROPERTY_LIST_ERROR_REASONS,
  PropertyListError,
  decodeMultiSz,
  decodePropertyList,
  encodeMultiSz,
  encodePropertyList,
  formatOfSyntax,
  syntaxOfFormat,
  type PropertyFormat,
  type PropertyListErrorReason,
  type PropertyValue,
} from '../../lib/proplist.js';

import { fromJson, hex, toProperty, vectors } from '../support/vectors.js';

function decodeError(run: () => unknown): PropertyListError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(PropertyListError);
    return e as PropertyListError;
  }
  throw new Error('expected a PropertyListError, but decoding succeeded');
}

const ALL_FORMATS: PropertyFormat[] = [
  'binary', 'dword', 'sz', 'expandSz', 'multiSz', 'ulargeInteger', 'long', 'largeInteger', 'word', 'filetime',
];

// ---- tests ----

describe('DESIGN.md example', () => {
  it('encodes Port=8080 as the 40 bytes of the contract worked example', () => {
    const buf = encodePropertyList([{ name: 'Port', format: 'dword', value: 8080 }]);
    expect(buf.length).toBe(40);
    expect(buf.toString('hex')).toBe(
      '01000000' + '03000400' + '0a000000' + '50006f0072007400' + '00000000' + '02000100' + '04000000' + '901f0000' + '00000000',
    );
  });

  it('decodes it to exactly { name, format, value }', () => {
    const [p, ...rest] = decodePropertyList(encodePropertyList([{ name: 'Port', format: 'dword', value: 8080 }]));
    expect(rest).toEqual([]);
    expect(p).toStrictEqual({ name: 'Port', format: 'dword', value: 8080 });
    expect(Object.keys(p)).toEqual(['name', 'format', 'value']);
  });
});

describe('shared vectors: valid property lists', () => {
  it.each(vectors.propertyLists.valid.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const expected = v.properties.map(toProperty);
    expect(decodePropertyList(hex(v.hex))).toStrictEqual(expected);
    expect(encodePropertyList(expected).toString('hex')).toBe(hex(v.canonicalHex ?? v.hex).toString('hex'));
  });

  it('cover every format, multi-value properties, several properties and EXPANDED_SZ', () => {
    const props = vectors.propertyLists.valid.flatMap((v) => v.properties);
    expect(new Set(props.map((p) => p.format))).toEqual(new Set(ALL_FORMATS));
    expect(props.some((p) => (p.values?.length ?? 0) > 1)).toBe(true);
    expect(props.some((p) => p.expanded !== undefined)).toBe(true);
    expect(vectors.propertyLists.valid.some((v) => v.properties.length >= 3)).toBe(true);
  });
});

describe('shared vectors: malformed property lists', () => {
  it.each(vectors.propertyLists.malformed.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const err = decodeError(() => decodePropertyList(hex(v.hex)));
    expect({ offset: err.offset, reason: err.reason }).toEqual({ offset: v.offset, reason: v.reason });
  });

  it('cover every error reason', () => {
    const seen = new Set([...vectors.propertyLists.malformed, ...vectors.multiSz.malformed].map((v) => v.reason));
    expect([...seen].sort()).toEqual([...PROPERTY_LIST_ERROR_REASONS].sort());
  });
});

describe('shared vectors: bare MULTI_SZ', () => {
  it.each(vectors.multiSz.valid.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(decodeMultiSz(hex(v.hex))).toStrictEqual(v.strings);
    expect(encodeMultiSz(v.strings).toString('hex')).toBe(hex(v.canonicalHex ?? v.hex).toString('hex'));
  });

  it.each(vectors.multiSz.malformed.map((v) => [v.name, v] as const))('malformed %s', (_name, v) => {
    const err = decodeError(() => decodeMultiSz(hex(v.hex)));
    expect({ offset: err.offset, reason: err.reason }).toEqual({ offset: v.offset, reason: v.reason });
  });
});

describe('decoder', () => {
  const sample = hex(vectors.propertyLists.valid.find((v) => v.name === 'every-format')!.hex);

  it('reads 8-byte values at any alignment of the underlying memory', () => {
    const expected = decodePropertyList(sample);
    for (let shift = 1; shift < 8; shift++) {
      const backing = Buffer.alloc(sample.length + 16, 0xee);
      sample.copy(backing, shift);
      expect(decodePropertyList(backing.subarray(shift, shift + sample.length))).toStrictEqual(expected);
    }
  });

  it('accepts a plain Uint8Array view', () => {
    const view = new Uint8Array(sample.buffer, sample.byteOffset, sample.byteLength);
    expect(decodePropertyList(view)).toStrictEqual(decodePropertyList(sample));
  });

  it('returns binary values that do not alias the input', () => {
    const input = encodePropertyList([{ name: 'B', format: 'binary', value: Buffer.from([1, 2, 3]) }]);
    const [p] = decodePropertyList(input);
    input.fill(0);
    expect(p.value).toStrictEqual(Buffer.from([1, 2, 3]));
  });

  it('narrows the value type on format', () => {
    const [p] = decodePropertyList(sample);
    if (p.format === 'ulargeInteger') expectTypeOf(p.value).toEqualTypeOf<bigint>();
    if (p.format === 'multiSz') expectTypeOf(p.value).toEqualTypeOf<string[]>();
    if (p.format === 'binary') expectTypeOf(p.value).toEqualTypeOf<Buffer>();
  });

  it('rejects non-byte input with a TypeError (API misuse, not malformed data)', () => {
    expect(() => decodePropertyList('01000000' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => decodeMultiSz([0, 0] as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('describes the error in its message', () => {
    const err = decodeError(() => decodePropertyList(hex('01000000 00000000')));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PropertyListError');
    expect(err.message).toContain('offset 4');
    expect(err.message).toContain('expected-name');
  });
});

describe('encoder', () => {
  it('round-trips lone surrogates as raw UTF-16 code units', () => {
    const props: PropertyValue[] = [{ name: '\ud800', format: 'sz', value: 'x\udc00' }];
    expect(decodePropertyList(encodePropertyList(props))).toStrictEqual(props);
  });

  it('writes a one-element values list like a plain value, and decodes it without values', () => {
    const a = encodePropertyList([{ name: 'A', format: 'word', value: 7, values: [7] }]);
    expect(a).toStrictEqual(encodePropertyList([{ name: 'A', format: 'word', value: 7 }]));
    expect(decodePropertyList(a)).toStrictEqual([{ name: 'A', format: 'word', value: 7 }]);
  });

  it('accepts a Uint8Array for binary values', () => {
    const a = encodePropertyList([{ name: 'B', format: 'binary', value: new Uint8Array([9, 8]) as Buffer }]);
    expect(decodePropertyList(a)).toStrictEqual([{ name: 'B', format: 'binary', value: Buffer.from([9, 8]) }]);
  });

  it('zeroes padding and returns an unpooled buffer', () => {
    const a = encodePropertyList([{ name: 'Ab', format: 'binary', value: Buffer.from([0xff]) }]);
    expect(a.toString('hex')).toBe('01000000' + '03000400060000004100620000000000' + '0100010001000000ff000000' + '00000000');
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(a.length);
  });

  const bad = (p: Record<string, unknown>): PropertyValue[] => [p as unknown as PropertyValue];
  const cases: [string, () => unknown, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor][] = [
    ['non-array list', () => encodePropertyList({} as unknown as PropertyValue[]), TypeError],
    ['null property', () => encodePropertyList([null as unknown as PropertyValue]), TypeError],
    ['non-string name', () => encodePropertyList(bad({ name: 1, format: 'dword', value: 1 })), TypeError],
    ['empty name', () => encodePropertyList(bad({ name: '', format: 'dword', value: 1 })), RangeError],
    ['NUL in name', () => encodePropertyList(bad({ name: 'a\0b', format: 'dword', value: 1 })), RangeError],
    ['unknown format', () => encodePropertyList(bad({ name: 'A', format: 'qword', value: 1 })), TypeError],
    ['inherited key as format', () => encodePropertyList(bad({ name: 'A', format: 'toString', value: 1 })), TypeError],
    ['dword -1', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: -1 })), RangeError],
    ['dword 2^32', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: 2 ** 32 })), RangeError],
    ['dword 1.5', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: 1.5 })), RangeError],
    ['dword NaN', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: Number.NaN })), RangeError],
    ['dword as string', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: '1' })), TypeError],
    ['dword as bigint', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: 1n })), TypeError],
    ['long 2^31', () => encodePropertyList(bad({ name: 'A', format: 'long', value: 2 ** 31 })), RangeError],
    ['long -2^31-1', () => encodePropertyList(bad({ name: 'A', format: 'long', value: -(2 ** 31) - 1 })), RangeError],
    ['word 65536', () => encodePropertyList(bad({ name: 'A', format: 'word', value: 65536 })), RangeError],
    ['word -1', () => encodePropertyList(bad({ name: 'A', format: 'word', value: -1 })), RangeError],
    ['ulargeInteger -1n', () => encodePropertyList(bad({ name: 'A', format: 'ulargeInteger', value: -1n })), RangeError],
    ['ulargeInteger 2^64', () => encodePropertyList(bad({ name: 'A', format: 'ulargeInteger', value: 2n ** 64n })), RangeError],
    ['ulargeInteger as number', () => encodePropertyList(bad({ name: 'A', format: 'ulargeInteger', value: 1 })), TypeError],
    ['largeInteger 2^63', () => encodePropertyList(bad({ name: 'A', format: 'largeInteger', value: 2n ** 63n })), RangeError],
    ['largeInteger -2^63-1', () => encodePropertyList(bad({ name: 'A', format: 'largeInteger', value: -(2n ** 63n) - 1n })), RangeError],
    ['filetime -1n', () => encodePropertyList(bad({ name: 'A', format: 'filetime', value: -1n })), RangeError],
    ['binary as string', () => encodePropertyList(bad({ name: 'A', format: 'binary', value: 'abc' })), TypeError],
    ['binary as number[]', () => encodePropertyList(bad({ name: 'A', format: 'binary', value: [1, 2] })), TypeError],
    ['sz as number', () => encodePropertyList(bad({ name: 'A', format: 'sz', value: 5 })), TypeError],
    ['sz with NUL', () => encodePropertyList(bad({ name: 'A', format: 'sz', value: 'a\0' })), RangeError],
    ['expandSz undefined', () => encodePropertyList(bad({ name: 'A', format: 'expandSz' })), TypeError],
    ['multiSz as string', () => encodePropertyList(bad({ name: 'A', format: 'multiSz', value: 'a' })), TypeError],
    ['multiSz empty element', () => encodePropertyList(bad({ name: 'A', format: 'multiSz', value: ['a', ''] })), RangeError],
    ['multiSz non-string element', () => encodePropertyList(bad({ name: 'A', format: 'multiSz', value: ['a', 1] })), TypeError],
    ['multiSz NUL in element', () => encodePropertyList(bad({ name: 'A', format: 'multiSz', value: ['a\0b'] })), RangeError],
    ['values not an array', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: 1, values: 1 })), TypeError],
    ['values empty', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: 1, values: [] })), RangeError],
    ['values out of range', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: 1, values: [1, -1] })), RangeError],
    ['value differs from values[0]', () => encodePropertyList(bad({ name: 'A', format: 'dword', value: 1, values: [2, 1] })), TypeError],
    ['binary value differs from values[0]', () =>
      encodePropertyList(bad({ name: 'A', format: 'binary', value: Buffer.from([1]), values: [Buffer.from([2])] })), TypeError],
    ['expanded on sz', () => encodePropertyList(bad({ name: 'A', format: 'sz', value: 'x', expanded: 'y' })), TypeError],
    ['expanded with NUL', () => encodePropertyList(bad({ name: 'A', format: 'expandSz', value: 'x', expanded: 'y\0' })), RangeError],
    ['encodeMultiSz non-array', () => encodeMultiSz('a' as unknown as string[]), TypeError],
    ['encodeMultiSz empty element', () => encodeMultiSz(['']), RangeError],
  ];
  it.each(cases)('rejects %s', (_name, run, errorType) => {
    expect(run).toThrow(errorType);
  });

  it('accepts values[0] equal to value by content, not identity', () => {
    const buf = encodePropertyList([
      { name: 'A', format: 'multiSz', value: ['a', 'b'], values: [['a', 'b'], ['c']] },
      { name: 'B', format: 'binary', value: Buffer.from([1]), values: [Buffer.from([1]), Buffer.from([2])] },
    ]);
    expect(decodePropertyList(buf)).toStrictEqual([
      { name: 'A', format: 'multiSz', value: ['a', 'b'], values: [['a', 'b'], ['c']] },
      { name: 'B', format: 'binary', value: Buffer.from([1]), values: [Buffer.from([1]), Buffer.from([2])] },
    ]);
  });
});

describe('syntax constants', () => {
  it('maps every format to its LIST_VALUE syntax and back', () => {
    for (const f of ALL_FORMATS) {
      const syntax = syntaxOfFormat(f);
      expect(syntax >>> 16).toBe(CLUSPROP_TYPE.LIST_VALUE);
      expect(formatOfSyntax(syntax)).toBe(f);
    }
    expect(formatOfSyntax(CLUSPROP_SYNTAX.LIST_VALUE_EXPANDED_SZ)).toBeUndefined();
    expect(formatOfSyntax(CLUSPROP_SYNTAX.NAME)).toBeUndefined();
    expect(() => syntaxOfFormat('qword' as PropertyFormat)).toThrow(TypeError);
  });

  it('match CLUSPROP_SYNTAX_VALUE(type, format) for every syntax of the contract table', () => {
    const T = CLUSPROP_TYPE;
    const F = CLUSPROP_FORMAT;
    const expected: Record<keyof typeof CLUSPROP_SYNTAX, [number, number, number]> = {
      // [type, format, value from resdll-contract.md 8.3]
      ENDMARK: [T.ENDMARK, F.UNKNOWN, 0x00000000],
      NAME: [T.NAME, F.SZ, 0x00040003],
      RESCLASS: [T.RESCLASS, F.DWORD, 0x00020002],
      LIST_VALUE_SZ: [T.LIST_VALUE, F.SZ, 0x00010003],
      LIST_VALUE_EXPAND_SZ: [T.LIST_VALUE, F.EXPAND_SZ, 0x00010004],
      LIST_VALUE_DWORD: [T.LIST_VALUE, F.DWORD, 0x00010002],
      LIST_VALUE_BINARY: [T.LIST_VALUE, F.BINARY, 0x00010001],
      LIST_VALUE_MULTI_SZ: [T.LIST_VALUE, F.MULTI_SZ, 0x00010005],
      LIST_VALUE_LONG: [T.LIST_VALUE, F.LONG, 0x00010007],
      LIST_VALUE_EXPANDED_SZ: [T.LIST_VALUE, F.EXPANDED_SZ, 0x00010008],
      LIST_VALUE_SECURITY_DESCRIPTOR: [T.LIST_VALUE, F.SECURITY_DESCRIPTOR, 0x00010009],
      LIST_VALUE_LARGE_INTEGER: [T.LIST_VALUE, F.LARGE_INTEGER, 0x0001000a],
      LIST_VALUE_ULARGE_INTEGER: [T.LIST_VALUE, F.ULARGE_INTEGER, 0x00010006],
      LIST_VALUE_WORD: [T.LIST_VALUE, F.WORD, 0x0001000b],
      LIST_VALUE_PROPERTY_LIST: [T.LIST_VALUE, F.PROPERTY_LIST, 0x0001000e],
      LIST_VALUE_FILETIME: [T.LIST_VALUE, F.FILETIME, 0x0001000c],
      DISK_SIGNATURE: [T.SIGNATURE, F.DWORD, 0x00050002],
      SCSI_ADDRESS: [T.SCSI_ADDRESS, F.DWORD, 0x00060002],
      DISK_NUMBER: [T.DISK_NUMBER, F.DWORD, 0x00070002],
      PARTITION_INFO: [T.PARTITION_INFO, F.BINARY, 0x00080001],
      FTSET_INFO: [T.FTSET_INFO, F.BINARY, 0x00090001],
      DISK_SERIALNUMBER: [T.DISK_SERIALNUMBER, F.SZ, 0x000a0003],
      DISK_GUID: [T.DISK_GUID, F.SZ, 0x000b0003],
      DISK_SIZE: [T.DISK_SIZE, F.ULARGE_INTEGER, 0x000c0006],
      PARTITION_INFO_EX: [T.PARTITION_INFO_EX, F.BINARY, 0x000d0001],
      PARTITION_INFO_EX2: [T.PARTITION_INFO_EX2, F.BINARY, 0x000e0001],
      STORAGE_DEVICE_ID_DESCRIPTOR: [T.STORAGE_DEVICE_ID_DESCRIPTOR, F.BINARY, 0x000f0001],
    };
    expect(Object.keys(CLUSPROP_SYNTAX).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, [type, format, value]] of Object.entries(expected)) {
      expect([key, CLUSPROP_SYNTAX[key as keyof typeof CLUSPROP_SYNTAX]]).toEqual([key, ((type << 16) | format) >>> 0]);
      expect([key, value]).toEqual([key, ((type << 16) | format) >>> 0]);
    }
  });
});
