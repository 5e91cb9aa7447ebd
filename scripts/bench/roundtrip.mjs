// Just the entry-point round trip of bench.mjs, for iterating on the bridge's latency:
//   npm run build:ts && node scripts/bench/roundtrip.mjs [--systems native,inprocess,process,spawnPerCall] [--calls 2000] [--rounds 5]
// Same systems, same alternation and the same monitor-measured durations as `npm run bench`;
// the first round is warm-up and not counted.
import { parseArgs } from 'node:util';
import { baselineSystem, inprocessSystem, processSystem } from './systems.mjs';
import { fmt, percentiles, table } from './stats.mjs';

const { values } = parseArgs({
  options: {
    systems: { type: 'string', default: 'native,inprocess,process' },
    calls: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
  },
});
const makers = {
  native: () => baselineSystem('NativeBaseline'),
  inprocess: () => inprocessSystem(),
  process: () => processSystem(),
  spawnPerCall: () => baselineSystem('SpawnPerCall'),
};
const names = values.systems.split(',').filter(Boolean);
for (const n of names) if (!makers[n]) throw new Error(`unknown system '${n}' (${Object.keys(makers).join(', ')})`);
const perRound = Number(values.calls);
const rounds = Number(values.rounds);

const systems = {};
for (const n of names) {
  systems[n] = await makers[n]();
  await systems[n].create(1);
}
const samples = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, s] of Object.entries(systems)) {
    const from = s.events.length;
    // As in bench.mjs: a spawned `node -e 0` per check, so a hundredth of the calls.
    const n = name === 'spawnPerCall' ? Math.max(1, Math.round(perRound / 100)) : perRound;
    for (let i = 0; i < n; i++) await s.call(0, i % 2 ? 'isAlive' : 'looksAlive');
    if (round > 0) {
      samples[name].push(...s.events.slice(from)
        .filter((e) => e.kind === 'call' && (e.name === 'LooksAlive' || e.name === 'IsAlive'))
        .map((e) => e.durationMs * 1000));
    }
  }
}
for (const s of Object.values(systems)) await s.stop();
const rows = Object.entries(samples).map(([name, xs]) => {
  const p = percentiles(xs);
  return [name, p.n, fmt(p.p50, 2), fmt(p.p90, 2), fmt(p.p99, 2), fmt(p.p999, 2), fmt(p.max, 2)];
});
console.log(table(['system', 'calls', 'p50 µs', 'p90 µs', 'p99 µs', 'p99.9 µs', 'max µs'], rows));
