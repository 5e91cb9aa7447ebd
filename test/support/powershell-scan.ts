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

/** What psBase64 leaves in a skeleton: a string carried as base64 of its UTF-8. */
export const BASE64_SKELETON = "[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(''))";

/** The parameter block: the `$Name = <value>` lines a script starts with (after comments). A
 * string value is a literal or a base64 expression (decoded here); arrays hold either. */
export function scriptParameters(script: string): Record<string, string | string[] | null> {
  const out: Record<string, string | string[] | null> = {};
  const { skeleton, literals } = scanPowerShell(script);
  let k = 0;
  const item = (form: string): string | undefined => {
    if (form === "''") return literals[k++]!;
    if (form === BASE64_SKELETON) {
      const b64 = literals[k++]!;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error(`not base64: ${b64}`);
      return Buffer.from(b64, 'base64').toString('utf8');
    }
    return undefined;
  };
  for (const line of skeleton.split('\n')) {
    if (line.startsWith('#')) continue;
    if (line === '') break;
    const m = /^\$([A-Za-z][A-Za-z0-9]*) = (.*)$/.exec(line);
    if (!m) break;
    const rhs = m[2]!;
    if (/^(\$null|\d+|\$true|\$false)$/.test(rhs)) {
      out[m[1]!] = rhs === '$null' ? null : rhs;
      continue;
    }
    const single = item(rhs);
    if (single !== undefined) {
      out[m[1]!] = single;
      continue;
    }
    if (!rhs.startsWith('@(') || !rhs.endsWith(')')) break;
    const inner = rhs.slice(2, -1);
    out[m[1]!] = inner === '' ? [] : inner.split(', ').map((form) => {
      const v = item(form);
      if (v === undefined) throw new Error(`not a string in an array parameter: ${form}`);
      return v;
    });
  }
  return out;
}
