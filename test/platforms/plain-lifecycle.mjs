// A user's plain script (no test runner) against the installed package: one resource through
// open -> online -> isAlive -> offline -> close on Resource API v2, once with the handlers in this
// process and once in a host process the shim starts with plain-type.mjs. Exits 1 on any surprise
// or contract violation. PLAIN_HOST_NODE names the host's node when it is not this one (a qemu
// wrapper for an arm64 node without binfmt_misc).
import { fileURLToPath } from 'node:url';
import { MockCluster } from 'wsfc-resource/testing';
import PlainType from './plain-type.mjs';

const modulePath = fileURLToPath(new URL('./plain-type.mjs', import.meta.url));
let failures = 0;

function check(what, actual, expected) {
  const ok = JSON.stringify(actual) === JSON.stringify(expected);
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${JSON.stringify(actual)}${ok ? '' : ` (expected ${JSON.stringify(expected)})`}`);
}

async function run(host) {
  const cluster = host === 'process'
    ? await MockCluster.start({
        resapi: 'v2',
        host: 'process',
        module: modulePath,
        hostProcess: process.env.PLAIN_HOST_NODE ? { node: process.env.PLAIN_HOST_NODE } : {},
      })
    : await MockCluster.start({ resapi: 'v2' });
  try {
    const res = await cluster.createResource(host === 'process' ? 'PlainType' : PlainType, 'plain1', { properties: { Port: 9000 } });
    check(`${host}: open`, res.state, 'Offline');
    check(`${host}: online`, await res.online(), 'Online');
    check(`${host}: isAlive online`, await res.isAlive(), true);
    check(`${host}: offline`, await res.offline(), 'Offline');
    await res.close();
    check(`${host}: close`, res.state, 'Closed');
    check(`${host}: contract violations`, cluster.violations, []);
  } finally {
    await cluster.stop();
  }
}

for (const host of ['inprocess', 'process']) {
  try {
    await run(host);
  } catch (err) {
    failures++;
    console.log(`FAIL ${host}: ${err instanceof Error ? err.stack : String(err)}`);
  }
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exitCode = failures ? 1 : 0;
