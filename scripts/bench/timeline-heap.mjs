// The test process's heap after 200,000 health checks, with the timeline bounded (the default,
// 10,000 events) and unbounded (timelineLimit: Infinity, what every MockCluster did before).
// Run: npm run build:ts && node --expose-gc scripts/bench/timeline-heap.mjs [checks]
import { defineResourceType } from '../../dist/index.js';
import { MockCluster } from '../../dist/testing/index.js';

const checks = Number(process.argv[2] ?? 200_000);
const Healthy = defineResourceType({ name: 'HeapHealthy', open: () => ({ looksAlive: () => true, isAlive: () => true }) });
const heapMiB = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function measure(timelineLimit) {
  const cluster = await MockCluster.start(timelineLimit === undefined ? {} : { timelineLimit });
  const r = await cluster.createResource(Healthy, 'h');
  await r.online();
  const before = heapMiB();
  for (let done = 0; done < checks; done += 1000) {
    await Promise.all(Array.from({ length: 500 }, () => r.looksAlive()).concat(Array.from({ length: 500 }, () => r.isAlive())));
  }
  const after = heapMiB();
  const kept = cluster.events.length;
  const dropped = cluster.droppedEvents;
  await cluster.stop();
  return { limit: timelineLimit ?? 'default (10,000)', before, after, kept, dropped };
}

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
for (const limit of [undefined, Infinity]) {
  const m = await measure(limit);
  console.log(`timelineLimit ${m.limit}: heap ${m.before.toFixed(1)} MiB before, ${m.after.toFixed(1)} MiB after ${checks} health checks (+${(m.after - m.before).toFixed(1)} MiB); ${m.kept} events kept, ${m.dropped} dropped`);
}
