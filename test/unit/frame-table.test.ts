// Each frame's field order is written once, in native/protocol/frame_table.h, which the C++
// encoder, decoder and the addon's JavaScript conversion expand; lib/native.ts's FRAME_FIELDS is
// the TypeScript side of the same table. This holds the two together, and shimFrame to both.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { FRAME_FIELDS, shimFrame, type HostFrame, type ShimFrame } from '../../lib/native.js';

const table = readFileSync(new URL('../../native/protocol/frame_table.h', import.meta.url), 'utf8');

interface Row { value: number; name: string; payload: string; direction: 'ToHost' | 'ToShim' | 'Both' }
const rows: Row[] = [...table.matchAll(/^\s*T\((\w+), (\d+), "(\w+)", (\w+), (ToHost|ToShim|Both)\)/gm)].map((m) => ({
  value: Number(m[2]), name: m[3], payload: m[4], direction: m[5] as Row['direction'],
}));
const fieldLists = new Map([...table.matchAll(/^#define (WSFC_\w+_FIELDS)\(F\)(.*)$/gm)].map((m) => [
  m[1], [...m[2].matchAll(/F\((\w+), (\w+), (JS|Wire)\)/g)].map((f) => ({ kind: f[1], name: f[2], js: f[3] === 'JS' })),
]));
const messages = new Map([...table.matchAll(/^\s*M\((\w+), (WSFC_\w+_FIELDS)\)/gm)].map((m) => [m[1], fieldLists.get(m[2])]));

/** The JavaScript fields of a frame type, as the C++ table has them. */
const jsFields = (r: Row) => messages.get(r.payload)!.filter((f) => f.js).map((f) => f.name);

test('the table parses: every frame type, with a message the table defines', () => {
  expect(rows.length).toBe(18);
  expect(new Set(rows.map((r) => r.value)).size).toBe(rows.length);
  for (const r of rows) expect(messages.get(r.payload), r.payload).toBeDefined();
});

test('FRAME_FIELDS lists exactly the frames and fields of frame_table.h, in its order', () => {
  const fromTable = (dir: 'ToHost' | 'ToShim') =>
    Object.fromEntries(rows.filter((r) => r.direction === dir || r.direction === 'Both').map((r) => [r.name, jsFields(r)]));
  expect(FRAME_FIELDS.toHost).toEqual(fromTable('ToHost'));
  expect(FRAME_FIELDS.toShim).toEqual(fromTable('ToShim'));
});

test('shimFrame builds each frame the shim sends with those fields from a, b, c', () => {
  for (const [type, fields] of Object.entries(FRAME_FIELDS.toHost)) {
    const f = shimFrame(type, 1, 2, 3, 'a', 'b', 'c', undefined) as unknown as Record<string, unknown>;
    expect(Object.keys(f)).toEqual(['type', 'slot', 'generation', 'request', ...fields]);
    expect(fields.map((k) => f[k])).toEqual(['a', 'b', 'c'].slice(0, fields.length));
  }
  expect(shimFrame('result', 1, 2, 3, 'a', 'b', 'c', undefined)).toEqual({ type: 'heartbeat', slot: 1, generation: 2, request: 3, corrupt: 'unexpected result frame' });
});

// The TypeScript frame types name the same fields (a compile-time check: tsc -p tsconfig.test.json).
type Ids = 'type' | 'slot' | 'generation' | 'request' | 'corrupt';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The member of a frame union whose type (a name or a union of names) includes K. */
type Variant<U, K> = U extends { type: infer T } ? (K extends T ? U : never) : never;
type ShimFields<K> = Exclude<keyof Variant<ShimFrame, K>, Ids>;
type HostFields<K> = Exclude<keyof Variant<HostFrame, K>, Ids>;
const shimTypes: { [K in keyof typeof FRAME_FIELDS.toHost]: Same<ShimFields<K>, (typeof FRAME_FIELDS.toHost)[K][number]> } = {
  hello: true, open: true, close: true, online: true, offline: true, terminate: true, cancel: true, looksAlive: true,
  isAlive: true, control: true, typeControl: true, validate: true, propertiesChanged: true, heartbeat: true,
};
const hostTypes: { [K in keyof typeof FRAME_FIELDS.toShim]: Same<HostFields<K>, (typeof FRAME_FIELDS.toShim)[K][number]> } = {
  helloAck: true, result: true, progress: true, log: true, heartbeat: true,
};
test('ShimFrame and HostFrame declare the fields FRAME_FIELDS lists', () => {
  expect(Object.values({ ...shimTypes, ...hostTypes }).every(Boolean)).toBe(true);
});
