// Private-property schemas: `prop.<format>(options)` builds a spec, and `PropertyValues<S>` is the
// typed object handlers see as `res.properties` (required or defaulted properties are never
// undefined). The formats are the CLUSPROP_FORMAT names of DESIGN §4.
import type { PropertyFormat, PropertyValue, PropertyValueTypes } from './proplist.js';

export interface PropSpec<F extends PropertyFormat = PropertyFormat, Present extends boolean = boolean> {
  readonly format: F;
  readonly default?: PropertyValueTypes[F];
  readonly required: boolean;
  readonly readOnly: boolean;
  readonly min?: number | bigint;
  readonly max?: number | bigint;
  readonly description?: string;
  /** Type-level only: whether the value is always present in `res.properties`. */
  readonly __present?: Present;
}

export type PropertySchema = Record<string, PropSpec>;

// Handlers get frozen values: a multiSz arrives as a readonly array.
type Frozen<T> = T extends (infer U)[] ? readonly U[] : T;
type ValueOf<P> = P extends PropSpec<infer F, infer Present>
  ? Present extends true
    ? Frozen<PropertyValueTypes[F]>
    : Frozen<PropertyValueTypes[F]> | undefined
  : never;

/** The typed values of a schema, as handlers see them. */
export type PropertyValues<S extends PropertySchema> = { readonly [K in keyof S]: ValueOf<S[K]> };
/** What a caller may set: any subset, each with its format's type. */
export type PropertyInput<S extends PropertySchema> = {
  [K in keyof S]?: S[K] extends PropSpec<infer F> ? PropertyValueTypes[F] : never;
};

interface CommonOptions<T> {
  default?: T;
  required?: boolean;
  readOnly?: boolean;
  description?: string;
}
interface RangeOptions<T, R> extends CommonOptions<T> {
  min?: R;
  max?: R;
}
type Present<O> = O extends { default: unknown } ? true : O extends { required: true } ? true : false;

function spec<F extends PropertyFormat, O extends RangeOptions<PropertyValueTypes[F], number | bigint>>(
  format: F,
  options: O | undefined,
  limits?: { min: number | bigint; max: number | bigint },
): PropSpec<F, Present<O>> {
  const o = options ?? ({} as O);
  if (limits) {
    for (const key of ['min', 'max'] as const) {
      const v = o[key];
      if (v !== undefined && (v < limits.min || v > limits.max)) {
        throw new RangeError(`prop.${format}: ${key} ${String(v)} is outside ${String(limits.min)}..${String(limits.max)}`);
      }
    }
  }
  const s: PropSpec<F, Present<O>> = {
    format,
    required: o.required === true,
    readOnly: o.readOnly === true,
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
  };
  if (s.default !== undefined) {
    const problem = checkValue(s, s.default);
    if (problem) throw new TypeError(`prop.${format}: default ${problem}`);
  }
  return Object.freeze(s);
}

const U32 = { min: 0, max: 0xffffffff };
const I32 = { min: -0x80000000, max: 0x7fffffff };
const U16 = { min: 0, max: 0xffff };
const U64 = { min: 0n, max: 0xffffffffffffffffn };
const I64 = { min: -0x8000000000000000n, max: 0x7fffffffffffffffn };

/** Property spec builders, one per CLUSPROP format. */
export const prop = {
  dword: <O extends RangeOptions<number, number>>(o?: O) => spec('dword', o, U32),
  long: <O extends RangeOptions<number, number>>(o?: O) => spec('long', o, I32),
  word: <O extends RangeOptions<number, number>>(o?: O) => spec('word', o, U16),
  ulargeInteger: <O extends RangeOptions<bigint, bigint>>(o?: O) => spec('ulargeInteger', o, U64),
  largeInteger: <O extends RangeOptions<bigint, bigint>>(o?: O) => spec('largeInteger', o, I64),
  filetime: <O extends CommonOptions<bigint>>(o?: O) => spec('filetime', o, U64),
  sz: <O extends CommonOptions<string>>(o?: O) => spec('sz', o),
  expandSz: <O extends CommonOptions<string>>(o?: O) => spec('expandSz', o),
  multiSz: <O extends CommonOptions<string[]>>(o?: O) => spec('multiSz', o),
  binary: <O extends CommonOptions<Buffer>>(o?: O) => spec('binary', o),
};

/** Why value does not fit the spec, or undefined when it does. */
export function checkValue(s: PropSpec, value: unknown): string | undefined {
  switch (s.format) {
    case 'dword':
    case 'long':
    case 'word': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return `must be an integer (${s.format})`;
      const lim = s.format === 'dword' ? U32 : s.format === 'long' ? I32 : U16;
      if (value < lim.min || value > lim.max) return `${value} does not fit a ${s.format}`;
      return rangeProblem(s, value);
    }
    case 'ulargeInteger':
    case 'largeInteger':
    case 'filetime': {
      if (typeof value !== 'bigint') return `must be a bigint (${s.format})`;
      const lim = s.format === 'largeInteger' ? I64 : U64;
      if (value < lim.min || value > lim.max) return `${value} does not fit a ${s.format}`;
      return rangeProblem(s, value);
    }
    case 'sz':
    case 'expandSz':
      if (typeof value !== 'string') return 'must be a string';
      if (value.includes('\0')) return 'must not contain NUL characters';
      return undefined;
    case 'multiSz':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return 'must be an array of strings';
      if (value.some((v: string) => v === '' || v.includes('\0'))) return 'must not contain empty strings or NULs';
      return undefined;
    case 'binary':
      return Buffer.isBuffer(value) ? undefined : 'must be a Buffer';
  }
}

function rangeProblem(s: PropSpec, v: number | bigint): string | undefined {
  if (s.min !== undefined && v < s.min) return `${String(v)} is below the minimum ${String(s.min)}`;
  if (s.max !== undefined && v > s.max) return `${String(v)} is above the maximum ${String(s.max)}`;
  return undefined;
}

/** Property names compare as the cluster database compares them: case-insensitively (ASCII letters, as the shim). */
export function propertyKey(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The schema's name for a property, whatever its case; undefined if the schema has none. */
export function schemaName(schema: PropertySchema, name: string): string | undefined {
  if (name in schema) return name;
  const key = propertyKey(name);
  return Object.keys(schema).find((n) => propertyKey(n) === key);
}

/** Values keyed by the schema's names (given in any case); an unknown name or one given twice throws. */
export function canonicalValues(schema: PropertySchema, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const canonical = schemaName(schema, name);
    if (canonical === undefined) throw new TypeError(`unknown property '${name}' (known: ${Object.keys(schema).join(', ') || 'none'})`);
    if (canonical in out) throw new TypeError(`property '${canonical}' is given twice`);
    out[canonical] = value;
  }
  return out;
}

/** Encodes the given values as property-list entries, in schema order, checked against the schema. */
export function toPropertyList<S extends PropertySchema>(schema: S, input: PropertyInput<S>): PropertyValue[] {
  const out: PropertyValue[] = [];
  const values = canonicalValues(schema, input as Record<string, unknown>);
  for (const [name, s] of Object.entries(schema)) {
    const value = values[name];
    if (value === undefined) continue;
    const problem = checkValue(s, value);
    if (problem) throw new TypeError(`property '${name}' ${problem}`);
    out.push({ name, format: s.format, value } as PropertyValue);
  }
  return out;
}

export interface ResolvedProperties {
  values: Record<string, unknown>;
  /** Problems that made a stored value unusable (the default is used instead). */
  problems: string[];
  /** Required properties with no stored value. */
  missing: string[];
}

/** Stored values (a decoded property list) + schema defaults → the values handlers see. */
export function resolveProperties(schema: PropertySchema, stored: readonly PropertyValue[]): ResolvedProperties {
  const byName = new Map(stored.map((p) => [propertyKey(p.name), p]));
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const missing: string[] = [];
  for (const [name, s] of Object.entries(schema)) {
    const p = byName.get(propertyKey(name));
    let value: unknown = s.default;
    if (p) {
      const problem = p.format !== s.format ? `is stored as ${p.format}, expected ${s.format}` : checkValue(s, p.value);
      if (problem) problems.push(`property '${name}' ${problem}; using ${s.default === undefined ? 'no value' : 'the default'}`);
      else value = p.value;
    }
    if (value === undefined && s.required) missing.push(name);
    values[name] = Array.isArray(value) ? Object.freeze([...value]) : value;
  }
  return { values: Object.freeze(values), problems, missing };
}
