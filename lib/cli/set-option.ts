// `--set Prop=value`, shared by the commands that create a resource (mock, check): each value is
// parsed by the property's format in the type's schema and checked against it before anything runs.
import type { PropertyFormat } from '../proplist.js';
import { checkValue, type PropertySchema } from '../props.js';
import { UsageError } from './usage.js';

function parseValue(format: PropertyFormat, raw: string, name: string): unknown {
  switch (format) {
    case 'dword':
    case 'long':
    case 'word': {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new UsageError(`--set ${name}: '${raw}' is not an integer`);
      return n;
    }
    case 'ulargeInteger':
    case 'largeInteger':
    case 'filetime':
      try {
        return BigInt(raw);
      } catch {
        throw new UsageError(`--set ${name}: '${raw}' is not an integer`);
      }
    case 'multiSz':
      return raw === '' ? [] : raw.split(',');
    case 'binary':
      return Buffer.from(raw, 'hex');
    default:
      return raw;
  }
}

export function parseProperties(schema: PropertySchema, sets: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects Prop=value, got '${s}'`);
    const name = s.slice(0, eq);
    const spec = schema[name];
    if (!spec) throw new UsageError(`--set ${name}: the type has no such property (known: ${Object.keys(schema).join(', ') || 'none'})`);
    const value = parseValue(spec.format, s.slice(eq + 1), name);
    const problem = checkValue(spec, value);
    if (problem) throw new UsageError(`--set ${name}: ${problem}`);
    out[name] = value;
  }
  return out;
}
