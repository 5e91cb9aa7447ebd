// The options of every command, parsed strictly and checked before the command does anything:
// node's parseArgs, with errors that name the command's --help and the nearest known option, an
// option whose value is optional (`--inspect[=port]`), and numbers that are digits only.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

/** parseArgs's option table. */
export type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseCommandArgs returns: parseArgs's typed values and the positionals. */
export type ParsedCommandArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

export interface CommandArgs<O extends Options> {
  args: string[];
  options: O;
  allowPositionals?: boolean;
  /** Options whose value may be left out (`--inspect` or `--inspect=9230`); declare them as
   * strings. Left out, the value is the empty string. */
  optionalValue?: readonly (keyof O & string)[];
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The known word closest to `word`, if it is close enough to be a typo of it. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(word) && word.length >= 2 ? 0.5 : distance(word, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * parseArgs for `wsfc-resource <command>`: unknown options, a missing value or a value given to a
 * flag are UsageErrors naming the nearest option and `wsfc-resource <command> --help`.
 */
export function parseCommandArgs<O extends Options>(command: string, config: CommandArgs<O>): ParsedCommandArgs<O> {
  const optional = new Set<string>(config.optionalValue ?? []);
  // `--inspect` alone becomes `--inspect=`, so it never takes the next argument as its value.
  const args = config.args.map((a) => (optional.has(a.replace(/^--/, '')) && a.startsWith('--') ? `${a}=` : a));
  const help = `run 'wsfc-resource ${command} --help' for its options`;
  try {
    return parseArgs({ args, options: config.options, allowPositionals: (config.allowPositionals ?? false) as true, strict: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw err;
    const message = (err as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'(-{1,2}[^'=\s]+)/.exec(message)?.[1] ?? '';
      const guess = nearest(given.replace(/^-+/, ''), Object.keys(config.options));
      throw new UsageError(`${command}: unknown option '${given}'${guess ? ` (did you mean --${guess}?)` : ''}; ${help}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const extra = /'([^']*)'/.exec(message)?.[1] ?? '';
      throw new UsageError(`${command}: unexpected argument '${extra}'; ${help}`);
    }
    // ERR_PARSE_ARGS_INVALID_OPTION_VALUE: a string option without its value, or a flag with one.
    throw new UsageError(`${command}: ${message.replace(/\.$/, '').replace(/^Option /, 'option ')}; ${help}`);
  }
}

export interface IntegerRange {
  min?: number;
  max?: number;
}

/**
 * A decimal integer, strictly: optional '-' then digits. No empty string, blanks, '+', 0x, 1e4,
 * fractions or digits beyond Number's safe range; `what` names the thing in the message.
 */
export function parseInteger(raw: string, what: string, range: IntegerRange = {}): number {
  if (raw === '') throw new UsageError(`${what} is empty; give a decimal integer`);
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`${what}: '${raw}' is not a decimal integer (digits only: no 0x, exponent, fraction or blanks)`);
  const n = Number(raw);
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${what}: ${raw} is out of range (${min}..${max})`);
  return n;
}

/** parseInteger for an option that may be absent. */
export function integerOption(raw: string | undefined, flag: string, range: IntegerRange = {}): number | undefined {
  return raw === undefined ? undefined : parseInteger(raw, flag, range);
}

/** A decimal integer as a bigint (64-bit property formats), as strictly as parseInteger. */
export function parseBigInteger(raw: string, what: string, range: { min: bigint; max: bigint }): bigint {
  if (raw === '') throw new UsageError(`${what} is empty; give a decimal integer`);
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`${what}: '${raw}' is not a decimal integer (digits only: no 0x, exponent, fraction or blanks)`);
  const n = BigInt(raw);
  if (n < range.min || n > range.max) throw new UsageError(`${what}: ${raw} is out of range (${range.min}..${range.max})`);
  return n;
}

/** One of the allowed words, or a UsageError listing them (and the nearest). */
export function oneOf<T extends string>(raw: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  const guess = nearest(raw, allowed);
  throw new UsageError(`${flag} is ${allowed.map((a) => `'${a}'`).join(' or ')}, not '${raw}'${guess ? ` (did you mean '${guess}'?)` : ''}`);
}
