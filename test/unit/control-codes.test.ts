// Control codes have one table per language: native/common/clusctl.h for C++ and lib/clusctl.ts
// for TypeScript (which test/unit/clusctl.test.ts recomputes from the SDK's macros). Every code
// the C++ table names must be in the TypeScript one under the same name with the same value, and
// no other native file may spell a control code out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { clusctl } from '../../lib/clusctl.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const header = readFileSync(join(root, 'native', 'common', 'clusctl.h'), 'utf8');
const cpp = [...header.matchAll(/^constexpr DWORD (\w+) = (0x[0-9A-Fa-f]+);/gm)].map((m) => [m[1], Number(m[2])] as const);

test('every code of native/common/clusctl.h is in lib/clusctl.ts with the same value', () => {
  expect(cpp.length).toBeGreaterThan(20);
  const ts = clusctl as Record<string, number>;
  expect(cpp.filter(([name, value]) => ts[name] !== value)).toEqual([]);
});

test('no other native source writes a control code out (they use the table)', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(cc|h)$/.test(e.name) ? [join(dir, e.name)] : []));
  const values = new Set(cpp.map(([, v]) => v));
  const offenders = walk(join(root, 'native'))
    .filter((f) => !f.endsWith(join('common', 'clusctl.h')))
    .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/0x0[0-9A-Fa-f]{7}\b/g)].filter((m) => values.has(Number(m[0]))).map((m) => `${f.slice(root.length)}: ${m[0]}`));
  expect(offenders).toEqual([]);
});

test('lib/host/runtime.ts takes its control codes from lib/clusctl.ts', () => {
  const runtime = readFileSync(join(root, 'lib', 'host', 'runtime.ts'), 'utf8');
  const tsValues = new Set(Object.values(clusctl as Record<string, number>));
  expect([...runtime.matchAll(/0x0[0-9a-fA-F]{7}\b/g)].map((m) => m[0]).filter((v) => tsValues.has(Number(v)))).toEqual([]);
});
