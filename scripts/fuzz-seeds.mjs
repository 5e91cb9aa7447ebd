// Seeds a fuzz target's corpus with real inputs, so the fuzzer starts from what the decoders see:
//   node scripts/fuzz-seeds.mjs <target> <corpus dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [target, dir] = process.argv.slice(2);
const vectors = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'proplist-vectors.json'), 'utf8'));
const hex = (x) => Buffer.from(x.hex.replace(/\s+/g, ''), 'hex');

const lists = () => [...vectors.propertyLists.valid, ...vectors.propertyLists.malformed].map(hex);

// A frame as native/protocol/frame.h lays it out, its payload made of frame_table.h's fields.
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const str = (s) => { const b = Buffer.from(s); return Buffer.concat([u32(b.length), b]); };
const frame = (type, ...fields) => {
  const payload = Buffer.concat(fields);
  const h = Buffer.alloc(20);
  h.writeUInt32LE(payload.length, 0);
  h.writeUInt16LE(0x4657, 4);
  h.writeUInt8(1, 6);
  h.writeUInt8(type, 7);
  h.writeUInt32LE(1, 8);
  h.writeUInt32LE(2, 12);
  h.writeUInt32LE(3, 16);
  return Buffer.concat([h, payload]);
};
const list = lists()[0] ?? Buffer.alloc(0);
const frames = () => {
  const all = [
    frame(1, u32(1), str('T'), u32(0x200), str('{}')), frame(2, str('r1'), str(list.toString('latin1'))), frame(3),
    frame(4, str(''), u32(0)), frame(5, u32(0)), frame(10, u32(0x01000081), str('')), frame(12, str('')),
    frame(32, str('T'), str('node')), frame(33, u32(0), str('\x01')), frame(34), frame(35, Buffer.from([1]), str('hello')), frame(64),
  ];
  // Each alone behind a chunk-size byte, and all of them in one stream.
  return [...all.map((f) => Buffer.concat([Buffer.from([255]), f])), Buffer.concat([Buffer.from([7]), ...all])];
};

const manifest = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'fuzz-type-config.json'), 'utf8'));
const configs = () => [
  JSON.stringify(manifest),
  JSON.stringify({ ...manifest, propertyStore: 'mock' }),
  JSON.stringify({ ...manifest, host: { ...manifest.host, args: ['--max-old-space-size=64'], env: { A: 'b' }, heartbeatIntervalMs: 100 } }),
  JSON.stringify(manifest.manifest),
  // Keys the problem must quote rather than copy (a line break, a quote, 200 bytes).
  JSON.stringify({ ...manifest, 'a\nb': 1, host: { ...manifest.host, env: { 'A"\tB': 'c', ['k'.repeat(200)]: 'd' } } }),
].map((t) => Buffer.from(t));

const seeds = {
  proplist_fuzz: lists,
  frame_fuzz: frames,
  type_config_fuzz: configs,
  set_properties_fuzz: lists,
};
if (!(target in seeds)) {
  console.error(`fuzz-seeds: no seeds for ${target}`);
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
seeds[target]().forEach((bytes, i) => writeFileSync(join(dir, `seed-${i}`), bytes));
