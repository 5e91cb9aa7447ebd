// The shared CLUSPROP vectors (schema: test/fixtures/README.md), for the TypeScript and native codecs.
import { readFileSync } from 'node:fs';
import type { PropertyFormat, PropertyListErrorReason, PropertyValue } from '../../lib/proplist.js';

export type JsonScalar = number | string | string[] | { $bigint: string } | { $binary: string };
export interface JsonProperty {
  name: string;
  format: PropertyFormat;
  value: JsonScalar;
  values?: JsonScalar[];
  expanded?: string;
}
export interface Malformed {
  name: string;
  hex: string;
  offset: number;
  reason: PropertyListErrorReason;
}
export interface Vectors {
  propertyLists: {
    valid: { name: string; hex: string; canonicalHex?: string; properties: JsonProperty[] }[];
    malformed: Malformed[];
  };
  multiSz: {
    valid: { name: string; hex: string; canonicalHex?: string; strings: string[] }[];
    malformed: Malformed[];
  };
}

export const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/proplist-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

export function fromJson(v: JsonScalar): unknown {
  if (typeof v === 'object' && !Array.isArray(v)) {
    if ('$bigint' in v) return BigInt(v.$bigint);
    return hex(v.$binary);
  }
  return v;
}

export function toProperty(p: JsonProperty): PropertyValue {
  const out: Record<string, unknown> = { name: p.name, format: p.format, value: fromJson(p.value) };
  if (p.values !== undefined) out.values = p.values.map(fromJson);
  if (p.expanded !== undefined) out.expanded = p.expanded;
  return out as unknown as PropertyValue;
}

