// `--set Prop=value` (mock, and the property prompt of its keys): a value parsed by the property's
// format, strictly, then checked against its schema, so a typo is an error, not a stored zero.
import type { PropertyFormat } from '../proplist.js';
import { checkValue, type PropertySchema } from '../props.js';
import { parseBigInteger, parseInteger } from './options.js';
import { UsageError } from './usage.js';

/** How each format is written on the command line; the mock help prints it. */
export const PROPERTY_SYNTAX = `Property values by format: dword, word and long in decimal digits (no 0x, exponent or
fraction; an empty value is an error); ulargeInteger, largeInteger and filetime in decimal
digits too; sz and expandSz as given (may be empty); multiSz as comma-separated strings
(\\, is a comma inside a string, \\\\ a backslash, an empty value the empty list); binary as hex
digit pairs.`;

const INT_RANGES: Partial<Record<PropertyFormat, { min: number; max: number }>> = {
  dword: { min: 0, max: 0xffffffff },
  word: { min: 0, max: 0xffff },
  long: { min: -0x80000000, max: 0x7fffffff },
};
const BIG_RANGES: Partial<Record<PropertyFormat, { min: bigint; max: bigint }>> = {
  ulargeInteger: { min: 0n, max: 2n ** 64n - 1n },
  filetime: { min: 0n, max: 2n ** 64n - 1n },
  largeInteger: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
};

/** multiSz: split at unescaped commas; `\,` and `\\` are a literal comma and backslash. */
export function splitMultiSz(raw: string, what: string): string[] {
  if (raw === '') return [];
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next !== ',' && next !== '\\') throw new UsageError(`${what}: '\\' must be followed by ',' or '\\' (at ${i + 1})`);
      cur += next;
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

export function parsePropertyValue(format: PropertyFormat, raw: string, what: string): unknown {
  const ints = INT_RANGES[format];
  if (ints) return parseInteger(raw, what, ints);
  const bigs = BIG_RANGES[format];
  if (bigs) return parseBigInteger(raw, what, bigs);
  switch (format) {
    case 'multiSz':
      return splitMultiSz(raw, what);
    case 'binary':
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(raw)) throw new UsageError(`${what}: '${raw}' is not hex digit pairs`);
      return Buffer.from(raw, 'hex');
    default:
      return raw;
  }
}

/** `Prop=value` strings to property values, each checked against the schema. */
export function parsePropertyArgs(schema: PropertySchema, sets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects Prop=value, got '${s}'`);
    const name = s.slice(0, eq);
    const spec = schema[name];
    if (!spec) throw new UsageError(`--set ${name}: the type has no such property (known: ${Object.keys(schema).join(', ') || 'none'})`);
    const value = parsePropertyValue(spec.format, s.slice(eq + 1), `--set ${name}`);
    const problem = checkValue(spec, value);
    if (problem) throw new UsageError(`--set ${name}: ${problem}`);
    out[name] = value;
  }
  return out;
}
