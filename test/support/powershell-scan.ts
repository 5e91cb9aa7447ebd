// A reader of the PowerShell our scripts are made of, following PowerShell's own tokenizer rules
// for what ends a single-quoted string (any of ' ‘ ’ ‚ ‛; a pair stands for the second) and for
// line comments. It splits a script into its code (the skeleton, with every literal replaced by
// '') and the values of its literals, so a test can prove that no input changed the code.
const SINGLE = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
const DOUBLE = new Set(['"', '\u201C', '\u201D', '\u201E']);

export interface ScannedScript {
  skeleton: string;
  literals: string[];
}

export function scanPowerShell(script: string): ScannedScript {
  let skeleton = '';
  const literals: string[] = [];
  for (let i = 0; i < script.length; ) {
    const c = script[i]!;
    if (SINGLE.has(c)) {
      let value = '';
      for (i++; ; i++) {
        if (i >= script.length) throw new Error('unterminated single-quoted string');
        const d = script[i]!;
        if (SINGLE.has(d)) {
          if (i + 1 < script.length && SINGLE.has(script[i + 1]!)) {
            value += script[i + 1];
            i++;
            continue;
          }
          i++;
          break;
        }
        value += d;
      }
      literals.push(value);
      skeleton += "''";
    } else if (DOUBLE.has(c)) {
      // Our scripts never use expandable strings: one here would be a place where $ expands.
      throw new Error(`double-quoted (expandable) string at offset ${i}`);
    } else if (c === '#') {
      const end = script.indexOf('\n', i);
      const stop = end < 0 ? script.length : end;
      skeleton += script.slice(i, stop);
      i = stop;
    } else {
      skeleton += c;
      i++;
    }
  }
  return { skeleton, literals };
}

/** The parameter block: the `$Name = <literal>` lines a script starts with (after comments). */
export function scriptParameters(script: string): Record<string, string | string[] | null> {
  const out: Record<string, string | string[] | null> = {};
  const { skeleton, literals } = scanPowerShell(script);
  let k = 0;
  for (const line of skeleton.split('\n')) {
    if (line.startsWith('#')) continue;
    if (line === '') break;
    const m = /^\$([A-Za-z][A-Za-z0-9]*) = (.*)$/.exec(line);
    if (!m || !/^('.*'|@\(.*\)|\$null|\d+|\$true|\$false)$/.test(m[2]!)) break;
    const rhs = m[2]!;
    const count = (rhs.match(/''/g) ?? []).length;
    if (rhs === "''") out[m[1]!] = literals[k]!;
    else if (rhs.startsWith('@(')) out[m[1]!] = literals.slice(k, k + count);
    else out[m[1]!] = rhs === '$null' ? null : rhs;
    k += count;
  }
  return out;
}
