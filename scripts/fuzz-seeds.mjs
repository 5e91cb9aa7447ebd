// Seeds a fuzz target's corpus with real inputs, so the fuzzer starts from what the decoders see:
//   node scripts/fuzz-seeds.mjs <target> <corpus dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [target, dir] = process.argv.slice(2);
const vectors = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'proplist-vectors.json'), 'utf8'));
const hex = (x) => Buffer.from(x.hex.replace(/\s+/g, ''), 'hex');

const seeds = {
  proplist_fuzz: () => [...vectors.propertyLists.valid, ...vectors.propertyLists.malformed].map(hex),
};
if (!(target in seeds)) {
  console.error(`fuzz-seeds: no seeds for ${target}`);
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
seeds[target]().forEach((bytes, i) => writeFileSync(join(dir, `seed-${i}`), bytes));
