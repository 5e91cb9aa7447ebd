// The systems the benchmarks compare, each behind the same small interface: create resources,
// bring them online, make entry-point calls, read the monitor's per-call durations.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { native } from '../../dist/native.js';
import { defineResourceType } from '../../dist/index.js';
import { MockCluster } from '../../dist/testing/index.js';

// The test-only library is never packed: it comes from the regular native build (npm run build:native).
const baselineLibrary = join(fileURLToPath(new URL('../..', import.meta.url)), 'build', 'native', 'libwsfc_baseline.so');

const monitorOptions = {
  resapiVersion: 0x200, polling: false, looksAliveMs: 5000, isAliveMs: 60000, pendingTimeoutMs: 180000,
  restart: false, restartThreshold: 3, restartPeriodMs: 900000, restartDelayMs: 500, callLimitMs: 300,
  serializeCalls: true, threads: 4,
};

/** The baseline resource library (native/tests: the NativeBaseline and SpawnPerCall library) under the same monitor. */
export async function baselineSystem(typeName, { threads = 4 } = {}) {
  const events = [];
  const monitor = new (native().Monitor)({ ...monitorOptions, threads, library: baselineLibrary }, (e) => events.push(e));
  const started = await monitor.startType(typeName);
  if (started.status !== 0) throw new Error(`Startup(${typeName}) failed: ${started.status}`);
  const ids = [];
  return {
    events,
    async create(n) {
      for (let i = 0; i < n; i++) {
        const id = (await monitor.open(typeName, `r${ids.length}`, Buffer.alloc(0))).resource;
        await monitor.call(id, 'online');
        ids.push(id);
      }
    },
    call: (i, op) => monitor.call(ids[i % ids.length], op),
    async stop() {
      for (const id of ids) await monitor.call(id, 'close');
      await monitor.stop();
    },
  };
}

const Healthy = defineResourceType({ name: 'BenchHealthy', open: () => ({ looksAlive: () => true, isAlive: () => true }) });

/** A MockCluster behind the systems' interface; typeOrName is what createResource takes. */
function clusterSystem(cluster, typeOrName) {
  const resources = [];
  return {
    cluster,
    get events() {
      return cluster.events;
    },
    async create(n, online = true) {
      for (let i = 0; i < n; i++) {
        const r = await cluster.createResource(typeOrName, `r${resources.length}`);
        if (online) await r.online();
        resources.push(r);
      }
    },
    resources,
    call: (i, op) => resources[i % resources.length][op](),
    stop: () => cluster.stop(),
  };
}

/** wsfc-resource with the handlers in this process. */
export async function inprocessSystem({ threads = 4, type = Healthy } = {}) {
  return clusterSystem(await MockCluster.start({ threads, timelineLimit: Infinity }), type);
}

/** wsfc-resource with the handlers in a child host process the shim started (faulty-host.mjs
 * behaves well until asked not to). */
export const faultyModule = new URL('../../test/fixtures/faulty-host.mjs', import.meta.url).pathname;
export async function processSystem({ threads = 4 } = {}) {
  return clusterSystem(await MockCluster.start({ threads, timelineLimit: Infinity, host: 'process', module: faultyModule }), 'FaultyHost');
}
