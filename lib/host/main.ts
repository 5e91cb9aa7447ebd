#!/usr/bin/env node
// The host process (DESIGN §1-§2): `node [args] <package>/dist/host/main.js --module <module>`,
// started by the resource DLL with its end of a private channel inherited as WSFC_CHANNEL_FD.
// It loads the module, answers the shim's Hello (refusing a shim that asks for another type),
// serves frames through HostRuntime, sends heartbeats from a timer (so a blocked event loop stops
// them and the shim kills this process), and exits when the channel closes, so that no host
// outlives the process that started it.
import { parseArgs } from 'node:util';
import { loadResourceType } from '../load-module.js';
import { describeError } from '../errors.js';
import { openHostEndpoint, type ShimFrame } from '../native.js';
import { HostRuntime } from './runtime.js';

const EXIT_USAGE = 2;
const EXIT_LOAD_FAILED = 3;
/** terminate() handlers get this long to clean up after the shim went away. */
const EXIT_GRACE_MS = 2000;
/** If JavaScript is too stuck to exit after that, the native watchdog ends the process. */
const NATIVE_EXIT_GRACE_MS = EXIT_GRACE_MS + 3000;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function stderr(line: string): void {
  process.stderr.write(`wsfc-resource host: ${line}\n`);
}

function usage(message: string): never {
  stderr(message);
  process.exit(EXIT_USAGE);
}

function main(): void {
  // Output is best effort: once the shim is gone nobody reads the pipes, and a failed write must
  // not become an uncaught exception.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const { values } = parseArgs({ options: { module: { type: 'string' } }, strict: true });
  const modulePath = values.module ?? usage('usage: main.js --module <resource module (.js, or .ts where this node strips types or args name a loader)>');
  const fdText = process.env.WSFC_CHANNEL_FD;
  // Not for the handlers' child processes: they do not inherit the channel either.
  delete process.env.WSFC_CHANNEL_FD;
  if (!fdText) usage('WSFC_CHANNEL_FD is not set: the resource DLL starts this host, not a shell');
  const heartbeatMs = Math.max(50, intFromEnv('WSFC_HEARTBEAT_MS', 500));
  const silenceMs = intFromEnv('WSFC_SHIM_SILENCE_MS', 3000);

  let runtime: HostRuntime | undefined;
  let loadError: string | undefined;
  const early: ShimFrame[] = [];
  let exiting = false;

  const endpoint = openHostEndpoint((frame) => {
    if (frame.type === 'closed') return void shutdown(frame.reason);
    if (runtime) return runtime.handle(frame);
    if (loadError !== undefined) return refuse(frame);
    early.push(frame);
  });
  // First, before the user's module runs: from here on the channel is close-on-exec.
  endpoint.attachInherited(fdText);
  endpoint.superviseShim(silenceMs, NATIVE_EXIT_GRACE_MS);
  const heartbeat = setInterval(() => endpoint.send({ type: 'heartbeat' }), heartbeatMs);

  function refuse(frame: ShimFrame): void {
    if (frame.type !== 'hello' || loadError === undefined) return;
    endpoint.send({ type: 'helloAck', typeName: '', hostInfo: loadError });
  }

  async function shutdown(reason: string): Promise<void> {
    if (exiting) return;
    exiting = true;
    clearInterval(heartbeat);
    stderr(`the channel to the shim closed (${reason}); exiting`);
    await runtime?.shutdown(EXIT_GRACE_MS);
    process.exit(0);
  }

  loadResourceType(modulePath, { loader: 'host' }).then(
    (def) => {
      if (exiting) return;
      runtime = new HostRuntime(def, endpoint);
      for (const frame of early.splice(0)) runtime.handle(frame);
    },
    (err: unknown) => {
      loadError = `cannot load the resource module ${modulePath}: ${describeError(err)}`;
      stderr(loadError);
      if (err instanceof Error && err.stack) stderr(err.stack);
      // Answer a Hello that already arrived so the shim logs why, then leave.
      for (const frame of early.splice(0)) refuse(frame);
      setTimeout(() => process.exit(EXIT_LOAD_FAILED), 200);
    },
  );
}

main();
