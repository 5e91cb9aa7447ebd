// The native tree's layering and its one build description (scripts/native-layout.mjs, which the
// CMake build also runs before compiling): the repository passes, and the check does catch each
// kind of breach in a tree made to have it.
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkNativeLayout } from '../../scripts/native-layout.mjs';

const check = checkNativeLayout as (root: string) => string[];
const root = fileURLToPath(new URL('../..', import.meta.url));
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the build descriptions and native/ to break. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsfc-layout-'));
  copies.push(dir);
  for (const p of ['CMakeLists.txt', 'CMakePresets.json', 'cmake', 'native', 'scripts']) cpSync(join(root, p), join(dir, p), { recursive: true });
  return dir;
}

test('the repository: every source named once, no include reaching a layer not linked, no cycle', () => {
  expect(check(root)).toEqual([]);
});

test('a source named by a second build description is reported', () => {
  const dir = copy();
  writeFileSync(join(dir, 'scripts', 'extra.sh'), 'g++ native/common/json.cc -o json\n');
  expect(check(dir)).toEqual(['native/common/json.cc is named by 2 build descriptions: native/common/CMakeLists.txt, scripts/extra.sh']);
});

test('a source no build description names is reported', () => {
  const dir = copy();
  writeFileSync(join(dir, 'native', 'common', 'orphan.cc'), '// nobody builds this\n');
  expect(check(dir)).toEqual(['native/common/orphan.cc is not built: no build description names it']);
});

test('an include that reaches up a layer, or climbs with "..", is reported', () => {
  const dir = copy();
  const text = join(dir, 'native', 'common', 'text.cc');
  writeFileSync(text, `#include "shim/core/shim_api.h"\n#include "../protocol/frame.h"\n${readFileSync(text, 'utf8')}`);
  const problems = check(dir);
  expect(problems).toContain('native/common/text.cc: #include "shim/core/shim_api.h" reaches native/shim/core, which native/common does not link');
  expect(problems).toContain('native/common/text.cc: #include "../protocol/frame.h" climbs out of its folder; name it from native/ ("layer/file.h")');
});

test('a cycle in the layers\' DEPS is reported', () => {
  const dir = copy();
  const protocol = join(dir, 'native', 'protocol', 'CMakeLists.txt');
  writeFileSync(protocol, readFileSync(protocol, 'utf8').replace('DEPS wsfc_common', 'DEPS wsfc_common wsfc_channel'));
  expect(check(dir).some((p) => /the layers' DEPS form a cycle: .*native\/protocol.*native\/channel|native\/channel.*native\/protocol/.test(p))).toBe(true);
});
