// ExampleHttpService: a cluster resource that keeps a small HTTP server (server.mjs, next to this
// file) running as a child process of the resource host.
//
// Copy this as a starting point for any "run a process and watch it" resource type. The pieces
// that matter on a real cluster:
//   - Online returns only once the service answers /health, and calls progress() while it waits,
//     so PendingTimeout measures "no sign of life" rather than "slow start".
//   - Every path that gives up on a start (abort, early exit, timeout) kills the child it started,
//     so a failed Online never leaves a process holding the port on this node.
//   - terminate() is synchronous and only sends SIGKILL: RHS calls it when it has lost patience.
import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineResourceType, prop, ResourceError, userCode, win32, type ResourceLog } from 'wsfc-resource';

/** Control code: answers the service URL (UTF-8) while the resource is online. */
export const GET_URL = userCode(1);

/** The server script, resolved from this module so the host's working directory does not matter
 * (under RHS it is %windir%\system32). Ship server.mjs next to the compiled module. */
const SERVER_SCRIPT = fileURLToPath(new URL('./server.mjs', import.meta.url));
const HOST = '127.0.0.1';
/** Gap between /health probes during start-up. */
const START_POLL_MS = 50;
/** One start-up probe may take this long: a server that accepted the connection is close. */
const START_PROBE_MS = 1000;
/** IsAlive must answer within the shim's 200 ms deadline, with room for the round trip. */
const HEALTH_TIMEOUT_MS = 150;
/** How long Offline waits for a graceful exit before SIGKILL. */
const STOP_GRACE_MS = 3000;
/** After SIGKILL the process is gone as soon as the OS reaps it; waiting longer means trouble. */
const KILL_WAIT_MS = 1000;

interface Server {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** Settles once the process has exited and its output has been read to the end. */
  readonly closed: Promise<void>;
  /** Set once /health answered 200. */
  ready: boolean;
  /** The last line the server wrote to stderr: the best explanation of an early exit. */
  lastError: string;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function describeExit(child: ChildProcess): string {
  return child.signalCode !== null ? `signal ${child.signalCode}` : `code ${String(child.exitCode)}`;
}

/** Calls onLine for each complete line; the child's output is the only log the service has. */
function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
  });
  stream.on('end', () => {
    if (partial.trim() !== '') onLine(partial);
  });
}

/** Resolves after ms, or as soon as signal aborts (the caller checks which). */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Resolves true if the server exited within ms. */
async function exitedWithin(server: Server, ms: number, signal?: AbortSignal): Promise<boolean> {
  await Promise.race([server.closed, delay(ms, signal)]);
  return !running(server.child);
}

/** GET /health; resolves with the HTTP status, rejects on connection errors and on abort. */
function getHealth(port: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    // agent: false — no pooled keep-alive sockets outliving the check or the server.
    const req = request({ host: HOST, port, path: '/health', method: 'GET', agent: false, signal }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function startServer(port: number, root: string, tags: readonly string[], log: ResourceLog): Server {
  const args = [SERVER_SCRIPT, '--host', HOST, '--port', String(port), '--root', root, '--watch-stdin'];
  for (const tag of tags) args.push('--tag', tag);
  // stdin stays an open pipe: the server exits on its EOF, which is both the graceful stop on
  // Windows and the guard against outliving a crashed host.
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let spawnError: Error | undefined;
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.on('error', (err) => {
      // Without a listener an 'error' event would take the whole host process down.
      if (child.pid === undefined) {
        spawnError = err;
        resolve();
      } else {
        log.warn(`server pid ${child.pid}: ${err.message}`);
      }
    });
  });
  if (child.pid === undefined) {
    // spawn() reports failures asynchronously; there is no process to manage.
    throw new ResourceError(win32.ERROR_RESOURCE_FAILED, `could not start ${process.execPath}: ${spawnError?.message ?? 'spawn failed'}`);
  }
  // The stdin pipe must never raise an unhandled 'error' (EPIPE once the server is gone).
  child.stdin?.on('error', () => undefined);
  const server: Server = { child, pid: child.pid, port, url: `http://${HOST}:${port}/`, closed, ready: false, lastError: '' };
  forwardLines(child.stdout, (line) => log.info(`server pid ${server.pid}: ${line}`));
  forwardLines(child.stderr, (line) => {
    server.lastError = line;
    log.warn(`server pid ${server.pid}: ${line}`);
  });
  child.once('exit', () => log.info(`server pid ${server.pid} exited (${describeExit(child)})`));
  return server;
}

/** Asks the server to stop gracefully, the portable way. */
function requestStop(server: Server): void {
  server.child.stdin?.end();
  // On Windows kill('SIGTERM') is TerminateProcess: closing stdin above is the graceful path there.
  if (process.platform !== 'win32') server.child.kill('SIGTERM');
}

export default defineResourceType({
  name: 'ExampleHttpService',
  properties: {
    Port: prop.dword({ default: 8080, min: 1, max: 65535, description: 'TCP port on 127.0.0.1' }),
    Root: prop.sz({ required: true, description: 'Absolute path of the directory to serve' }),
    StartTimeoutMs: prop.dword({ default: 10000, min: 1, description: 'How long Online waits for /health' }),
    Tags: prop.multiSz({ default: [], description: 'Sent by the server in an x-service-tags header' }),
  },
  open(res) {
    /** The server this resource is online with (or bringing online). */
    let current: Server | undefined;
    /** Every process started and not yet exited, including ones an abandoned Online still owns. */
    const live = new Set<Server>();

    const killAll = (): void => {
      for (const server of live) server.child.kill('SIGKILL');
      current = undefined;
    };

    return {
      async online({ signal, progress, log }) {
        const { Port, Root, StartTimeoutMs, Tags } = res.properties;
        // A relative Root would be resolved against the host's working directory, which on a
        // cluster node is system32: never what the administrator meant.
        if (!isAbsolute(Root)) {
          throw new ResourceError(win32.ERROR_INVALID_PARAMETER, `property Root must be an absolute path, got '${Root}'`);
        }
        const rootStat = await stat(Root).catch(() => undefined);
        if (!rootStat?.isDirectory()) {
          throw new ResourceError(win32.ERROR_INVALID_PARAMETER, `property Root '${Root}' is not a directory on this node`);
        }
        // A previous run that could not be stopped would hold the port; it is not ours to keep.
        if (live.size > 0) {
          log.warn(`killing ${live.size} leftover server process(es) before starting`);
          killAll();
        }

        const server = startServer(Port, Root, Tags, log);
        current = server;
        live.add(server);
        void server.closed.then(() => live.delete(server));
        log.info(`started server pid ${server.pid} for ${server.url}, waiting up to ${StartTimeoutMs} ms for /health`);

        const deadline = Date.now() + StartTimeoutMs;
        try {
          for (let attempt = 1; ; attempt++) {
            if (signal.aborted) {
              throw new ResourceError(win32.ERROR_OPERATION_ABORTED, `start of pid ${server.pid} aborted by the cluster`);
            }
            if (!running(server.child)) {
              // The exit event can beat the last stderr lines; the reason is usually in them.
              await exitedWithin(server, 200);
              throw new ResourceError(
                win32.ERROR_RESOURCE_FAILED,
                `server pid ${server.pid} exited during start-up (${describeExit(server.child)})${server.lastError ? `: ${server.lastError}` : ''}`,
              );
            }
            const remaining = deadline - Date.now();
            if (remaining <= 0) {
              throw new ResourceError(
                win32.ERROR_TIMEOUT,
                `server pid ${server.pid} did not answer ${server.url}health within StartTimeoutMs (${StartTimeoutMs} ms, ${attempt - 1} attempts)`,
              );
            }
            progress();
            const probe = AbortSignal.any([signal, AbortSignal.timeout(Math.min(START_PROBE_MS, remaining))]);
            const status = await getHealth(Port, probe).catch(() => 0);
            if (status === 200) break;
            await Promise.race([delay(Math.min(START_POLL_MS, remaining), signal), server.closed]);
          }
        } catch (err) {
          server.child.kill('SIGKILL');
          // After Terminate a new Online may already own `current`; only clear our own.
          if (current === server) current = undefined;
          throw err;
        }
        server.ready = true;
        log.info(`online: serving ${Root} at ${server.url} (pid ${server.pid}${Tags.length ? `, tags ${Tags.join(', ')}` : ''})`);
      },

      async offline({ signal, progress, log }) {
        const server = current;
        current = undefined;
        if (!server) return;
        if (!running(server.child)) {
          log.warn(`server pid ${server.pid} had already exited (${describeExit(server.child)})`);
          return;
        }
        requestStop(server);
        progress();
        if (await exitedWithin(server, STOP_GRACE_MS, signal)) return;
        log.warn(`server pid ${server.pid} did not stop within ${STOP_GRACE_MS} ms${signal.aborted ? ' (aborted)' : ''}; killing it`);
        server.child.kill('SIGKILL');
        if (!(await exitedWithin(server, KILL_WAIT_MS))) {
          throw new ResourceError(win32.ERROR_TIMEOUT, `server pid ${server.pid} survived SIGKILL for ${KILL_WAIT_MS} ms`);
        }
      },

      looksAlive() {
        return current !== undefined && running(current.child);
      },

      async isAlive({ signal }) {
        const server = current;
        if (!server || !running(server.child)) return false;
        try {
          const status = await getHealth(server.port, AbortSignal.any([signal, AbortSignal.timeout(HEALTH_TIMEOUT_MS)]));
          if (status === 200) return true;
          res.log.warn(`health check of ${server.url} answered HTTP ${status}`);
        } catch (err) {
          res.log.warn(`health check of ${server.url} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        return false;
      },

      // Synchronous on purpose: the shim gives Terminate 250 ms, and SIGKILL needs no waiting.
      terminate() {
        killAll();
      },

      close() {
        killAll();
      },

      controls: {
        [GET_URL]: () => {
          const server = current;
          if (!server?.ready || !running(server.child)) {
            throw new ResourceError(win32.ERROR_RESOURCE_NOT_ONLINE, 'the service is not online');
          }
          return Buffer.from(server.url, 'utf8');
        },
      },
    };
  },
});
