// The resource type a new project starts with (src/<file>.ts): small, but everything a real one
// needs: a child process kept running, a health check that asks it, two properties, a control
// code, and an Online that stops when the cluster's patience runs out. Written in erasable
// TypeScript (no enums, no parameter properties), so Node.js 22.18+ runs it as it is.
export function typeSource(typeName: string): string {
  return `// ${typeName}: a cluster resource that keeps a Node.js script running and checks that it
// answers on its TCP port. Without a Script it runs a small built-in server, so the project
// works as it is; point Script at your service to make it yours.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { isAbsolute } from 'node:path';
import { defineResourceType, prop, ResourceError, userCode, win32 } from 'wsfc-resource';

/** Control code: answers the child's process id (UTF-8 digits) while it runs. */
export const GET_PID = userCode(1);

const HOST = '127.0.0.1';
/** The built-in server: answers "ok" on PORT, and exits when its stdin closes (its host died). */
const BUILT_IN = [
  "const server = require('node:net').createServer((s) => s.end('ok\\\\n'));",
  'server.listen(Number(process.env.PORT), process.env.HOST);',
  "process.stdin.resume(); process.stdin.on('end', () => process.exit(0));",
].join(' ');
/** IsAlive must answer within the shim's 200 ms deadline, with room for the round trip. */
const HEALTH_TIMEOUT_MS = 150;
/** Gap between start-up probes. */
const START_POLL_MS = 50;
/** How long Offline waits for a graceful exit before SIGKILL. */
const STOP_GRACE_MS = 3000;

const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** Resolves when the port accepts a connection, rejects otherwise (or when signal aborts). */
function probe(port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Resolves after ms, or at once when signal aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

export default defineResourceType({
  name: ${JSON.stringify(typeName)},
  properties: {
    Port: prop.dword({ default: 8181, min: 1, max: 65535, description: 'TCP port on 127.0.0.1 the service answers on' }),
    Script: prop.sz({ default: '', description: 'Absolute path of the Node.js script to keep running (empty: a built-in server)' }),
  },
  validate({ Script }) {
    if (Script !== '' && !isAbsolute(Script)) {
      throw new ResourceError(win32.ERROR_INVALID_PARAMETER, \`Script must be an absolute path, got '\${Script}'\`);
    }
  },
  open(res) {
    let child: ChildProcess | undefined;
    const kill = (): void => {
      child?.kill('SIGKILL');
      child = undefined;
    };

    return {
      async online({ signal, progress, log }) {
        const { Port, Script } = res.properties;
        // A second Online (or one after a lost Offline) must not leave the old process behind.
        if (child && running(child)) {
          log.warn(\`stopping pid \${child.pid}, left over from an earlier start\`);
          kill();
        }
        const args = Script === '' ? ['-e', BUILT_IN] : [Script];
        // stdin stays an open pipe: the child can watch it to exit with its host.
        const started = spawn(process.execPath, args, { env: { ...process.env, PORT: String(Port), HOST }, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
        started.stdin?.on('error', () => undefined);
        started.on('error', (err) => log.warn(\`child: \${err.message}\`));
        started.stderr?.on('data', (b: Buffer) => log.warn(\`child pid \${started.pid}: \${b.toString().trim()}\`));
        child = started;
        log.info(\`started pid \${started.pid}, waiting for port \${Port}\`);
        // Until the port answers: progress() tells the cluster the start is alive; Terminate
        // aborts the signal, and then nothing of this start may keep running.
        for (;;) {
          if (signal.aborted) {
            started.kill('SIGKILL');
            throw new ResourceError(win32.ERROR_OPERATION_ABORTED, 'start aborted by the cluster');
          }
          if (!running(started)) throw new ResourceError(win32.ERROR_RESOURCE_FAILED, \`pid \${started.pid} exited during start-up\`);
          progress();
          const up = await probe(Port, AbortSignal.any([signal, AbortSignal.timeout(1000)])).then(() => true, () => false);
          if (up) break;
          await delay(START_POLL_MS, signal);
        }
        log.info(\`online: pid \${started.pid} answers on port \${Port}\`);
      },

      async offline({ signal }) {
        const stopping = child;
        child = undefined;
        if (!stopping || !running(stopping)) return;
        const exited = new Promise<void>((resolve) => stopping.once('exit', () => resolve()));
        stopping.stdin?.end();
        stopping.kill('SIGTERM');
        await Promise.race([exited, delay(STOP_GRACE_MS, signal)]);
        if (running(stopping)) {
          stopping.kill('SIGKILL');
          await exited;
        }
      },

      looksAlive() {
        return child !== undefined && running(child);
      },

      async isAlive({ signal }) {
        if (!child || !running(child)) return false;
        try {
          await probe(res.properties.Port, AbortSignal.any([signal, AbortSignal.timeout(HEALTH_TIMEOUT_MS)]));
          return true;
        } catch (err) {
          res.log.warn(\`health check of port \${res.properties.Port} failed: \${err instanceof Error ? err.message : String(err)}\`);
          return false;
        }
      },

      // Synchronous on purpose: RHS calls Terminate when it has lost patience.
      terminate: kill,
      close: kill,

      controls: {
        [GET_PID]: () => {
          if (!child || !running(child)) throw new ResourceError(win32.ERROR_RESOURCE_NOT_ONLINE, 'no process runs');
          return Buffer.from(String(child.pid), 'utf8');
        },
      },
    };
  },
});
`;
}
