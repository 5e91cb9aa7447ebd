// host 'process': the one type a MockCluster's host processes serve, and the type configuration
// (`<library>.json`) each node's copy of the shim gets for it — its host command, log file,
// debugger port and node name.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResourceTypeDefinition } from '../define.js';
import { manifestOf } from '../manifest.js';
import { hostMainPath } from '../package-paths.js';

export interface HostProcessOptions {
  /** The node executable. Default: the one running this process. */
  node?: string;
  /** node options before the host script (e.g. ['--enable-source-maps']). */
  args?: string[];
  /** Added to the host's environment. */
  env?: Record<string, string>;
  /** The host's stdout/stderr. Default: a new file in the temporary directory (`hostLogFile`),
   * removed again by `stop()`; name one to keep it. */
  logFile?: string;
  /** The log file's bound in bytes (at least 64 KiB; default 16 MiB): past it the file becomes
   * `<logFile>.1` and starts anew, as on a cluster node. */
  logMaxBytes?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  startTimeoutMs?: number;
  restartBackoffMinMs?: number;
  restartBackoffMaxMs?: number;
  /** How long a host that closed its channel may take to exit before SIGKILL. Default 100. */
  exitGraceMs?: number;
  /** Open the host to a debugger on 127.0.0.1 (node --inspect): a port, or true for 9229. Off by
   * default. The type configuration's `host.inspect`; it turns the heartbeat timeout off unless
   * `heartbeatTimeoutMs` is given, so a host paused at a breakpoint is not killed. */
  inspect?: number | boolean;
}

/** The debugger port `inspect` asks for, or undefined for none. */
export function inspectPort(inspect: number | boolean | undefined): number | undefined {
  if (inspect === undefined || inspect === false) return undefined;
  const port = inspect === true ? 9229 : inspect;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new RangeError(`inspect: a port from 1024 to 65535 (or true for 9229), got ${String(inspect)}`);
  return port;
}

/** The host processes of one cluster: the type they serve and how each node's is started. */
export class ProcessHost {
  /** The first node's log file; another node's is it with '.<node>' appended. */
  readonly logFile: string;
  /** The log files are ours (not named by the caller): stop() removes them. */
  readonly ownLogFile: boolean;
  private readonly modulePath: string;

  constructor(
    readonly def: ResourceTypeDefinition,
    modulePath: string,
    private readonly options: HostProcessOptions,
    /** The cluster's node names, in order (a node's index offsets its debugger port). */
    private readonly nodes: readonly string[],
  ) {
    this.modulePath = resolve(modulePath);
    const logFile = options.logFile ?? join(tmpdir(), `wsfc-resource-host-${process.pid}-${randomBytes(4).toString('hex')}.log`);
    this.logFile = resolve(logFile);
    this.ownLogFile = options.logFile === undefined;
  }

  logFileOf(node: string): string {
    return node === this.nodes[0] ? this.logFile : `${this.logFile}.${node}`;
  }

  /** The type configuration `<library>.json` would hold, for one node's copy of the DLL. */
  typeConfig(node: string): string {
    const hp = this.options;
    const host: Record<string, unknown> = {
      node: hp.node ?? process.execPath,
      main: hostMainPath(),
      module: this.modulePath,
      logFile: this.logFileOf(node),
    };
    const port = inspectPort(hp.inspect);
    if (port !== undefined) host.inspect = port + this.nodes.indexOf(node);
    for (const key of ['args', 'env', 'logMaxBytes', 'heartbeatIntervalMs', 'heartbeatTimeoutMs', 'startTimeoutMs', 'restartBackoffMinMs', 'restartBackoffMaxMs', 'exitGraceMs'] as const) {
      if (hp[key] !== undefined) host[key] = hp[key];
    }
    // res.node in the host process: this node's name.
    host.env = { ...(hp.env ?? {}), MOCKCLUSTER_NODE_NAME: node };
    // propertyStore 'mock': the monitor hands Open mock property keys, on Windows too (where the
    // default is the cluster database, which mock mode never touches).
    return JSON.stringify({ version: 1, manifest: manifestOf(this.def), host, propertyStore: 'mock' });
  }
}
