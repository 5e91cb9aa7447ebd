// CLUSPROP property-list codec, byte-compatible with what ClusAPI/ResUtil read and write.
//
// Wire format (little endian, contract §8.1-8.3):
//   DWORD nPropertyCount
//   per property:  NAME entry, one or more LIST_VALUE entries, ENDMARK (a bare 4-byte 0)
//   entry:         DWORD syntax, DWORD cbLength, data[cbLength], zero padding to a 4-byte boundary
// Strings are UTF-16LE and cbLength counts their terminating NUL. Because entries are only
// 4-byte aligned, 8-byte payloads are often misaligned; every read/write below uses an explicit
// byte offset and never a typed-array view.
//
// The decoder is total over arbitrary bytes: it returns properties or throws PropertyListError
// with the offset of the offending entry. Bounds are checked before every read, so a hostile
// buffer can neither over-read nor make Buffer throw its own RangeError. test/fixtures/README.md
// specifies the exact check order so the native codec reports identical errors.

/** CLUSPROP_FORMAT names in camelCase; the vocabulary used by schemas and the codec. */
export type PropertyFormat =
  | 'binary'
  | 'dword'
  | 'sz'
  | 'expandSz'
  | 'multiSz'
  | 'ulargeInteger'
  | 'long'
  | 'largeInteger'
  | 'word'
  | 'filetime';

/** The JavaScript type of one value of each format. */
export interface PropertyValueTypes extends Record<PropertyFormat, unknown> {
  binary: Buffer;
  /** 0 .. 2^32-1 */
  dword: number;
  sz: string;
  /** Unexpanded, `%VAR%` references kept. */
  expandSz: string;
  /** No empty strings (an empty string would terminate the list on the wire). */
  multiSz: string[];
  /** 0 .. 2^64-1 */
  ulargeInteger: bigint;
  /** -2^31 .. 2^31-1 */
  long: number;
  /** -2^63 .. 2^63-1 */
  largeInteger: bigint;
  /** 0 .. 65535 */
  word: number;
  /** 100-ns intervals since 1601-01-01 UTC, as the raw unsigned 64-bit FILETIME. */
  filetime: bigint;
}

/**
 * One property of one format.
 *
 * Multiple values: the wire format lets a property carry several values. `value` is always the
 * first; `values`, when present, is the complete list (so `values[0]` equals `value`). The
 * decoder adds `values` only when there are two or more, so the common single-value case is
 * exactly `{ name, format, value }`. The encoder writes `values` when given, else `value`.
 */
export interface TypedPropertyValue<F extends PropertyFormat> {
  name: string;
  format: F;
  value: PropertyValueTypes[F];
  values?: PropertyValueTypes[F][];
  /**
   * expandSz only: the CLUSPROP_SYNTAX_LIST_VALUE_EXPANDED_SZ value that ResUtil may append after
   * the EXPAND_SZ value(s), i.e. the same string with environment variables expanded.
   */
  expanded?: F extends 'expandSz' ? string : never;
}

/** A decoded or to-be-encoded property; narrow on `format` to get the value's type. */
export type PropertyValue = { [F in PropertyFormat]: TypedPropertyValue<F> }[PropertyFormat];

/** CLUSTER_PROPERTY_TYPE — high word of a syntax value. */
export const CLUSPROP_TYPE = {
  ENDMARK: 0,
  LIST_VALUE: 1,
  RESCLASS: 2,
  RESERVED1: 3,
  NAME: 4,
  SIGNATURE: 5,
  SCSI_ADDRESS: 6,
  DISK_NUMBER: 7,
  PARTITION_INFO: 8,
  FTSET_INFO: 9,
  DISK_SERIALNUMBER: 10,
  DISK_GUID: 11,
  DISK_SIZE: 12,
  PARTITION_INFO_EX: 13,
  PARTITION_INFO_EX2: 14,
  STORAGE_DEVICE_ID_DESCRIPTOR: 15,
  USER: 32768,
} as const;

/** CLUSTER_PROPERTY_FORMAT — low word of a syntax value; also the WORD that *_FMTS codes return. */
export const CLUSPROP_FORMAT = {
  UNKNOWN: 0,
  BINARY: 1,
  DWORD: 2,
  SZ: 3,
  EXPAND_SZ: 4,
  MULTI_SZ: 5,
  ULARGE_INTEGER: 6,
  LONG: 7,
  EXPANDED_SZ: 8,
  SECURITY_DESCRIPTOR: 9,
  LARGE_INTEGER: 10,
  WORD: 11,
  FILETIME: 12,
  VALUE_LIST: 13,
  PROPERTY_LIST: 14,
  USER: 32768,
} as const;

/** CLUSTER_PROPERTY_SYNTAX: `(type << 16) | format`. */
export const CLUSPROP_SYNTAX = {
  ENDMARK: 0x00000000,
  NAME: 0x00040003,
  RESCLASS: 0x00020002,
  LIST_VALUE_SZ: 0x00010003,
  LIST_VALUE_EXPAND_SZ: 0x00010004,
  LIST_VALUE_DWORD: 0x00010002,
  LIST_VALUE_BINARY: 0x00010001,
  LIST_VALUE_MULTI_SZ: 0x00010005,
  LIST_VALUE_LONG: 0x00010007,
  LIST_VALUE_EXPANDED_SZ: 0x00010008,
  LIST_VALUE_SECURITY_DESCRIPTOR: 0x00010009,
  LIST_VALUE_LARGE_INTEGER: 0x0001000a,
  LIST_VALUE_ULARGE_INTEGER: 0x00010006,
  LIST_VALUE_WORD: 0x0001000b,
  LIST_VALUE_PROPERTY_LIST: 0x0001000e,
  LIST_VALUE_FILETIME: 0x0001000c,
  DISK_SIGNATURE: 0x00050002,
  SCSI_ADDRESS: 0x00060002,
  DISK_NUMBER: 0x00070002,
  PARTITION_INFO: 0x00080001,
  FTSET_INFO: 0x00090001,
  DISK_SERIALNUMBER: 0x000a0003,
  DISK_GUID: 0x000b0003,
  DISK_SIZE: 0x000c0006,
  PARTITION_INFO_EX: 0x000d0001,
  PARTITION_INFO_EX2: 0x000e0001,
  STORAGE_DEVICE_ID_DESCRIPTOR: 0x000f0001,
} as const;

const SYNTAX_BY_FORMAT: Readonly<Record<PropertyFormat, number>> = {
  binary: CLUSPROP_SYNTAX.LIST_VALUE_BINARY,
  dword: CLUSPROP_SYNTAX.LIST_VALUE_DWORD,
  sz: CLUSPROP_SYNTAX.LIST_VALUE_SZ,
  expandSz: CLUSPROP_SYNTAX.LIST_VALUE_EXPAND_SZ,
  multiSz: CLUSPROP_SYNTAX.LIST_VALUE_MULTI_SZ,
  ulargeInteger: CLUSPROP_SYNTAX.LIST_VALUE_ULARGE_INTEGER,
  long: CLUSPROP_SYNTAX.LIST_VALUE_LONG,
  largeInteger: CLUSPROP_SYNTAX.LIST_VALUE_LARGE_INTEGER,
  word: CLUSPROP_SYNTAX.LIST_VALUE_WORD,
  filetime: CLUSPROP_SYNTAX.LIST_VALUE_FILETIME,
};

const FORMAT_BY_SYNTAX: ReadonlyMap<number, PropertyFormat> = new Map(
  (Object.keys(SYNTAX_BY_FORMAT) as PropertyFormat[]).map((f) => [SYNTAX_BY_FORMAT[f], f]),
);

/** cbLength each fixed-size format must carry; WORD is 2 bytes of data plus 2 of padding. */
const FIXED_SIZE: Partial<Readonly<Record<PropertyFormat, number>>> = {
  dword: 4,
  long: 4,
  word: 2,
  ulargeInteger: 8,
  largeInteger: 8,
  filetime: 8,
};

/** The PropertyFormat carried by a LIST_VALUE syntax, or undefined if the codec does not support it. */
export function formatOfSyntax(syntax: number): PropertyFormat | undefined {
  return FORMAT_BY_SYNTAX.get(syntax);
}

/** The CLUSPROP_SYNTAX_LIST_VALUE_* value for a format. */
export function syntaxOfFormat(format: PropertyFormat): number {
  if (!isFormat(format)) throw new TypeError(`unknown property format ${String(format)}`);
  return SYNTAX_BY_FORMAT[format];
}

function isFormat(format: unknown): format is PropertyFormat {
  return typeof format === 'string' && Object.hasOwn(SYNTAX_BY_FORMAT, format);
}

/**
 * Every reason the decoder can report. The set and the meaning of each are shared with the native
 * codec (test/fixtures/README.md), so they are part of the contract, not just message text.
 */
export const PROPERTY_LIST_ERROR_REASONS = [
  'truncated-count',
  'count-mismatch',
  'trailing-bytes',
  'truncated-header',
  'expected-name',
  'unknown-syntax',
  'length-past-end',
  'missing-padding',
  'odd-string-length',
  'missing-nul',
  'embedded-nul',
  'empty-name',
  'bad-value-length',
  'no-values',
  'missing-endmark',
  'mixed-formats',
  'bad-expanded-sz',
  'multisz-trailing-data',
] as const;

export type PropertyListErrorReason = (typeof PROPERTY_LIST_ERROR_REASONS)[number];

/** A malformed property list or MULTI_SZ; `offset` is the byte offset of the offending entry. */
export class PropertyListError extends Error {
  override readonly name = 'PropertyListError';
  readonly offset: number;
  readonly reason: PropertyListErrorReason;

  constructor(offset: number, reason: PropertyListErrorReason, detail: string) {
    super(`malformed property list at offset ${offset}: ${reason} (${detail})`);
    this.offset = offset;
    this.reason = reason;
  }
}

function fail(offset: number, reason: PropertyListErrorReason, detail: string): never {
  throw new PropertyListError(offset, reason, detail);
}

const HEADER_SIZE = 8;
const ENDMARK_SIZE = 4;
const U32_MAX = 0xffffffff;

// Arithmetic, not `& ~3`: cbLength can exceed 2^31 and bitwise operators are signed 32-bit.
function align4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function asBuffer(input: Uint8Array, what: string): Buffer {
  if (!(input instanceof Uint8Array)) throw new TypeError(`${what} must be a Buffer or Uint8Array`);
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface EntryBounds {
  /** Offset of the first data byte. */
  data: number;
  cbLength: number;
  /** Offset of the next entry (after padding). */
  next: number;
}

function readSyntax(buf: Buffer, off: number): number {
  if (buf.length - off < 4) fail(off, 'truncated-header', `need 4 bytes for a syntax, have ${buf.length - off}`);
  return buf.readUInt32LE(off);
}

/** Header, length and padding checks, in the order the fixtures README specifies. */
function readBounds(buf: Buffer, off: number): EntryBounds {
  const remaining = buf.length - off;
  if (remaining < HEADER_SIZE) fail(off, 'truncated-header', `need ${HEADER_SIZE} bytes for a value header, have ${remaining}`);
  const cbLength = buf.readUInt32LE(off + 4);
  const available = remaining - HEADER_SIZE;
  if (cbLength > available) fail(off, 'length-past-end', `cbLength ${cbLength} but only ${available} bytes follow`);
  const padded = align4(cbLength);
  if (padded > available) fail(off, 'missing-padding', `cbLength ${cbLength} needs ${padded} bytes with padding, ${available} follow`);
  return { data: off + HEADER_SIZE, cbLength, next: off + HEADER_SIZE + padded };
}

/** NUL-terminated UTF-16LE string whose terminator is the last code unit and appears nowhere else. */
function decodeSz(buf: Buffer, e: EntryBounds, off: number, isName: boolean): string {
  if (e.cbLength % 2 !== 0) fail(off, 'odd-string-length', `cbLength ${e.cbLength} is not a whole number of UTF-16 units`);
  if (e.cbLength === 0) fail(off, 'missing-nul', 'cbLength 0 leaves no room for the terminating NUL');
  const end = e.data + e.cbLength - 2;
  if (buf[end] !== 0 || buf[end + 1] !== 0) fail(off, 'missing-nul', 'string does not end with NUL');
  for (let p = e.data; p < end; p += 2) {
    if (buf[p] === 0 && buf[p + 1] === 0) fail(off, 'embedded-nul', `NUL at byte ${p - e.data} of a ${e.cbLength}-byte string`);
  }
  if (isName && end === e.data) fail(off, 'empty-name', 'property name is empty');
  return buf.toString('utf16le', e.data, end);
}

/**
 * MULTI_SZ: each string NUL-terminated, then one more NUL. Tolerated on input because registry and
 * ResUtil producers emit them: cbLength 0, a missing final NUL, and extra NULs after the final NUL.
 */
function decodeMultiSzAt(buf: Buffer, data: number, cbLength: number, off: number): string[] {
  if (cbLength % 2 !== 0) fail(off, 'odd-string-length', `cbLength ${cbLength} is not a whole number of UTF-16 units`);
  if (cbLength === 0) return [];
  const end = data + cbLength;
  if (buf[end - 2] !== 0 || buf[end - 1] !== 0) fail(off, 'missing-nul', 'MULTI_SZ does not end with NUL');
  const strings: string[] = [];
  let start = data;
  while (start < end) {
    let nul = start;
    while (buf[nul] !== 0 || buf[nul + 1] !== 0) nul += 2; // terminates: the last unit is NUL
    if (nul === start) {
      for (let p = nul + 2; p < end; p++) {
        if (buf[p] !== 0) fail(off, 'multisz-trailing-data', `non-NUL data at byte ${p - data}, after the list terminator`);
      }
      break;
    }
    strings.push(buf.toString('utf16le', start, nul));
    start = nul + 2;
  }
  return strings;
}

function decodeValue(format: PropertyFormat, buf: Buffer, e: EntryBounds, off: number): PropertyValueTypes[PropertyFormat] {
  const size = FIXED_SIZE[format];
  if (size !== undefined && e.cbLength !== size) {
    fail(off, 'bad-value-length', `${format} needs cbLength ${size}, got ${e.cbLength}`);
  }
  switch (format) {
    case 'binary':
      // A copy, so the result does not alias (or pin) the caller's buffer.
      return Buffer.from(buf.subarray(e.data, e.data + e.cbLength));
    case 'dword':
      return buf.readUInt32LE(e.data);
    case 'long':
      return buf.readInt32LE(e.data);
    case 'word':
      return buf.readUInt16LE(e.data);
    case 'ulargeInteger':
    case 'filetime':
      return buf.readBigUInt64LE(e.data);
    case 'largeInteger':
      return buf.readBigInt64LE(e.data);
    case 'sz':
    case 'expandSz':
      return decodeSz(buf, e, off, false);
    case 'multiSz':
      return decodeMultiSzAt(buf, e.data, e.cbLength, off);
  }
}

function decodeProperty(buf: Buffer, start: number): { property: PropertyValue; next: number } {
  if (readSyntax(buf, start) !== CLUSPROP_SYNTAX.NAME) {
    fail(start, 'expected-name', `syntax ${hex32(buf.readUInt32LE(start))} where a property NAME was expected`);
  }
  const nameEntry = readBounds(buf, start);
  const name = decodeSz(buf, nameEntry, start, true);

  let off = nameEntry.next;
  let format: PropertyFormat | undefined;
  const values: PropertyValueTypes[PropertyFormat][] = [];
  let expanded: string | undefined;
  for (;;) {
    if (off === buf.length) fail(off, 'missing-endmark', `property "${name}" has no ENDMARK`);
    const syntax = readSyntax(buf, off);
    if (syntax === CLUSPROP_SYNTAX.ENDMARK) {
      if (values.length === 0) fail(off, 'no-values', `property "${name}" has no value`);
      off += ENDMARK_SIZE;
      break;
    }
    const isExpanded = syntax === CLUSPROP_SYNTAX.LIST_VALUE_EXPANDED_SZ;
    const valueFormat = formatOfSyntax(syntax);
    if (valueFormat === undefined && !isExpanded) {
      fail(off, 'unknown-syntax', `syntax ${hex32(syntax)} where a value or ENDMARK was expected`);
    }
    if (expanded !== undefined) fail(off, 'bad-expanded-sz', 'the EXPANDED_SZ value must be the last value');
    if (isExpanded) {
      if (format !== 'expandSz') {
        fail(off, 'bad-expanded-sz', format === undefined ? 'EXPANDED_SZ cannot be the first value' : `EXPANDED_SZ in a ${format} property`);
      }
    } else if (format !== undefined && valueFormat !== format) {
      fail(off, 'mixed-formats', `${valueFormat} value in a ${format} property`);
    }
    const entry = readBounds(buf, off);
    if (valueFormat === undefined) {
      expanded = decodeSz(buf, entry, off, false);
    } else {
      format = valueFormat;
      values.push(decodeValue(valueFormat, buf, entry, off));
    }
    off = entry.next;
  }

  // `format` and every element of `values` agree by construction; TypeScript cannot follow that.
  const property = { name, format, value: values[0] } as PropertyValue;
  if (values.length > 1) property.values = values as never;
  if (expanded !== undefined) property.expanded = expanded as never;
  return { property, next: off };
}

/**
 * Decode a CLUSPROP property list (e.g. GET_PRIVATE_PROPERTIES output, SET/VALIDATE input).
 * Throws PropertyListError for any malformed input, never anything else.
 */
export function decodePropertyList(input: Uint8Array): PropertyValue[] {
  const buf = asBuffer(input, 'property list');
  if (buf.length < 4) fail(0, 'truncated-count', `need 4 bytes for nPropertyCount, have ${buf.length}`);
  const count = buf.readUInt32LE(0);
  const properties: PropertyValue[] = [];
  let off = 4;
  // Each property consumes at least one byte or throws, so a huge count cannot loop for long.
  for (let i = 0; i < count; i++) {
    if (off === buf.length) fail(off, 'count-mismatch', `nPropertyCount is ${count} but the buffer ends after ${i} properties`);
    const { property, next } = decodeProperty(buf, off);
    properties.push(property);
    off = next;
  }
  if (off !== buf.length) fail(off, 'trailing-bytes', `${buf.length - off} bytes after the last of ${count} properties`);
  return properties;
}

/**
 * Decode a bare MULTI_SZ (ENUM_PRIVATE_PROPERTIES output). Errors report offset 0, the start of
 * the value.
 */
export function decodeMultiSz(input: Uint8Array): string[] {
  const buf = asBuffer(input, 'MULTI_SZ');
  return decodeMultiSzAt(buf, 0, buf.length, 0);
}

// ---------------------------------------------------------------------------------------------
// Encoding

function checkString(s: unknown, where: string): string {
  if (typeof s !== 'string') throw new TypeError(`${where} must be a string`);
  // A NUL would silently truncate the string for every Windows reader.
  if (s.includes('\0')) throw new RangeError(`${where} must not contain NUL characters`);
  return s;
}

function utf16z(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf16le');
}

function checkInteger(v: unknown, min: number, max: number, where: string): number {
  if (typeof v !== 'number') throw new TypeError(`${where} must be a number`);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${where} must be an integer ${min}..${max}, got ${v}`);
  return v;
}

function checkBigInt(v: unknown, min: bigint, max: bigint, where: string): bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${where} must be a bigint`);
  if (v < min || v > max) throw new RangeError(`${where} must be ${min}..${max}, got ${v}`);
  return v;
}

function checkMultiSz(v: unknown, where: string): string[] {
  if (!Array.isArray(v)) throw new TypeError(`${where} must be an array of strings`);
  return v.map((s: unknown, i) => {
    const str = checkString(s, `${where}[${i}]`);
    if (str === '') throw new RangeError(`${where}[${i}] is empty; MULTI_SZ cannot carry empty strings`);
    return str;
  });
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** Validates one value and returns its data bytes (without header or padding). */
function encodeValue(format: PropertyFormat, v: unknown, where: string): Buffer {
  switch (format) {
    case 'binary': {
      if (!(v instanceof Uint8Array)) throw new TypeError(`${where} must be a Buffer or Uint8Array`);
      if (v.byteLength > U32_MAX) throw new RangeError(`${where} is longer than a DWORD cbLength can describe`);
      return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
    case 'dword': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(checkInteger(v, 0, U32_MAX, where));
      return b;
    }
    case 'long': {
      const b = Buffer.alloc(4);
      b.writeInt32LE(checkInteger(v, -0x80000000, 0x7fffffff, where));
      return b;
    }
    case 'word': {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(checkInteger(v, 0, 0xffff, where));
      return b;
    }
    case 'ulargeInteger':
    case 'filetime': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(checkBigInt(v, 0n, U64_MAX, where));
      return b;
    }
    case 'largeInteger': {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(checkBigInt(v, I64_MIN, I64_MAX, where));
      return b;
    }
    case 'sz':
    case 'expandSz':
      return utf16z(checkString(v, where));
    case 'multiSz':
      return encodeMultiSz(checkMultiSz(v, where));
  }
}

function entry(syntax: number, data: Buffer): Buffer {
  // alloc zero-fills, which is what makes the padding clean.
  const out = Buffer.alloc(HEADER_SIZE + align4(data.length));
  out.writeUInt32LE(syntax, 0);
  out.writeUInt32LE(data.length, 4);
  data.copy(out, HEADER_SIZE);
  return out;
}

function propertyEntries(p: unknown, where: string): Buffer[] {
  if (typeof p !== 'object' || p === null) throw new TypeError(`${where} must be an object`);
  const { name, format, value, values, expanded } = p as Record<string, unknown>;
  if (checkString(name, `${where}.name`) === '') throw new RangeError(`${where}.name must not be empty`);
  const label = `${where} ("${String(name)}")`;
  if (!isFormat(format)) throw new TypeError(`${label}.format must be one of ${Object.keys(SYNTAX_BY_FORMAT).join(', ')}`);

  let datas: Buffer[];
  if (values === undefined) {
    datas = [encodeValue(format, value, `${label}.value`)];
  } else {
    if (!Array.isArray(values)) throw new TypeError(`${label}.values must be an array`);
    if (values.length === 0) throw new RangeError(`${label}.values must not be empty; a property needs a value`);
    datas = values.map((v: unknown, i) => encodeValue(format, v, `${label}.values[${i}]`));
    // Comparing encodings covers every format, including Buffer and string[] contents.
    const first = encodeValue(format, value, `${label}.value`);
    if (!first.equals(datas[0])) throw new TypeError(`${label}.value must equal values[0]`);
  }

  const out = [entry(CLUSPROP_SYNTAX.NAME, utf16z(name as string))];
  for (const data of datas) out.push(entry(SYNTAX_BY_FORMAT[format], data));
  if (expanded !== undefined) {
    if (format !== 'expandSz') throw new TypeError(`${label}.expanded is only allowed on expandSz properties`);
    out.push(entry(CLUSPROP_SYNTAX.LIST_VALUE_EXPANDED_SZ, utf16z(checkString(expanded, `${label}.expanded`))));
  }
  out.push(Buffer.alloc(ENDMARK_SIZE));
  return out;
}

/**
 * Encode properties as a CLUSPROP property list. Invalid input throws TypeError (wrong JS type,
 * unknown format) or RangeError (value of the right type outside its format's range, empty name,
 * NUL inside a string, empty MULTI_SZ element, empty `values`).
 */
export function encodePropertyList(properties: readonly PropertyValue[]): Buffer {
  if (!Array.isArray(properties)) throw new TypeError('properties must be an array');
  const chunks: Buffer[] = [Buffer.alloc(4)];
  chunks[0].writeUInt32LE(properties.length);
  properties.forEach((p: unknown, i) => chunks.push(...propertyEntries(p, `properties[${i}]`)));
  // A fresh (non-pooled) buffer so callers may hand `.buffer` to native code safely.
  const out = Buffer.alloc(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) off += c.copy(out, off);
  return out;
}

/**
 * Encode a bare MULTI_SZ: each string NUL-terminated, then a final NUL; `[]` is a single NUL.
 */
export function encodeMultiSz(strings: readonly string[]): Buffer {
  const checked = checkMultiSz(strings, 'MULTI_SZ');
  return Buffer.from(`${checked.map((s) => `${s}\0`).join('')}\0`, 'utf16le');
}
