// Debugging a resource (issue 14 item 6): `hostProcess.inspect` / the type configuration's
// `host.inspect` start the host with --inspect on 127.0.0.1, off by default; `mock --inspect`
// opens whichever process runs the handlers. Checked through the inspector's own HTTP endpoint.
//
// Under Windows node: the inspector writes the script's path with '_' for each '\\' (below), a
// host is stopped whole with NtSuspendProcess (POSIX: SIGSTOP), and `mock` is ended by
// --duration-s, its other clean stop: Ctrl-C cannot be sent to a child without a shared console
// (node's kill('SIGINT') is TerminateProcess there).
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { manifestOf } from '../../lib/index.js';
import { loadResourceType } from '../../lib/load-module.js';
import { native } from '../../lib/native.js';
import { MockCluster } from '../../lib/testing/index.js';
import { freePort } from '../support/free-port.js';
import { hostStartMs } from '../support/host-node.js';
import { cliMain } from '../support/run-command.js';
import { channelTap } from '../support/win-handles.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const module = `${root}test/fixtures/faulty-host.mjs`;
const demo = `${root}test/fixtures/demo-type.mjs`;
const windows = process.platform === 'win32';

/** Matches a target url of the script at .../<dir>/<file>: the inspector's /json/list gives
 * "file://" + the script's path with each '\\' and '"' written as '_' (node's
 * src/inspector_socket_server.cc, Escape()), so on Windows ".../host/main.js" ends "host_main.js". */
const scriptUrl = (dir: string, file: string) => new RegExp(`${dir}${windows ? '_' : '/'}${file.replace('.', '\\.')}$`);
const hostMain = scriptUrl('host', 'main.js');

/** Stops every thread of a process, as a debugger's break-all does, until resume. */
const pause = (pid: number) => (windows ? expect(channelTap().suspend(pid)).toBe(true) : process.kill(pid, 'SIGSTOP'));
const resume = (pid: number) => (windows ? expect(channelTap().resume(pid)).toBe(true) : process.kill(pid, 'SIGCONT'));

/** The inspector's target list at host:port, or undefined when nothing answers there. */
function targets(port: number, host = '127.0.0.1'): Promise<{ url: string; webSocketDebuggerUrl: string }[] | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/json/list', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(JSON.parse(body) as never));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

async function until<T>(f: () => Promise<T | undefined>, what: string | (() => string), ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let cluster: MockCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('hostProcess.inspect', () => {
  test('opens the host process to a debugger on 127.0.0.1 only, and a paused host is not killed', async () => {
    const port = await freePort();
    cluster = await MockCluster.start({ host: 'process', module, hostProcess: { inspect: port } });
    const r = await cluster.createResource('FaultyHost', 'r1');
    expect(await r.online()).toBe('Online');
    const list = await until(() => targets(port), 'the inspector');
    expect(list[0]!.url).toMatch(hostMain);
    expect(list[0]!.webSocketDebuggerUrl).toContain(`127.0.0.1:${port}`);
    // Loopback only: the address of another interface, if the machine has one, does not answer.
    const { networkInterfaces } = await import('node:os');
    const other = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (other) expect(await targets(port, other.address)).toBeUndefined();
    // A host stopped as at a breakpoint sends no heartbeats; with inspect the shim does not kill it
    // for that (the heartbeat timeout, 3000 ms by default, is off).
    const pid = cluster.hostPid;
    pause(pid);
    await new Promise((r) => setTimeout(r, 3500));
    resume(pid);
    expect(await r.looksAlive()).toBe(true);
    expect(cluster.hostPid).toBe(pid);
    expect(r.state).toBe('Online');
    expect(cluster.violations).toEqual([]);
  }, 20000);

  test('off by default: no inspector on 9229 from the host', async () => {
    cluster = await MockCluster.start({ host: 'process', module });
    await (await cluster.createResource('FaultyHost', 'r1')).online();
    const list = await targets(9229);
    expect((list ?? []).some((t) => hostMain.test(t.url))).toBe(false);
  });

  test('the type configuration takes host.inspect as a port from 1024 to 65535', async () => {
    const def = await loadResourceType(module);
    const host = { node: process.execPath, main: '/opt/pkg/dist/host/main.js', module: '/opt/app/x.js' };
    const check = (inspect: unknown) => native().checkTypeConfig(JSON.stringify({ version: 1, manifest: manifestOf(def), host: { ...host, inspect } }));
    expect(typeof check(9229)).toBe('object');
    expect(check(80)).toMatch(/^host\.inspect: /);
    expect(check('yes')).toMatch(/^host\.inspect: /);
    await expect(MockCluster.start({ host: 'process', module, hostProcess: { inspect: 80 } })).rejects.toThrow('inspect: a port from 1024 to 65535');
  });
});

describe('mock --inspect', () => {
  // The CLI starts node, the package and a host: seconds under Wine (measured, hostStartMs). On
  // Windows the mock stops itself once there was time for the checks after Online.
  const onlineWaitMs = 10000 + 4 * hostStartMs();
  const durationS = windows ? Math.ceil((onlineWaitMs + 5000) / 1000) : undefined;
  test.each(['inprocess', 'process'])('--host %s: the process running the handlers answers the debugger', async (hostMode) => {
    const port = await freePort();
    const stopBy = durationS === undefined ? [] : ['--duration-s', String(durationS)];
    const child = spawn(process.execPath, [cliMain, 'mock', demo, `--inspect=${port}`, '--host', hostMode, ...stopBy], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    let checked = false;
    try {
      await until(async () => (/CliDemo-1 is Online/.test(out) ? true : undefined), () => `Online in:\n${out}`, onlineWaitMs);
      const list = await until(() => targets(port), 'the inspector');
      expect(list[0]!.url).toMatch(hostMode === 'process' ? hostMain : scriptUrl('cli', 'main.js'));
      expect(out).toContain(hostMode === 'process' ? `host process debugger on 127.0.0.1:${port}` : `debugger listening on ws://127.0.0.1:${port}/`);
      checked = true;
    } finally {
      // Windows: a failed check ends the child rather than wait for its duration.
      if (!windows) child.kill('SIGINT');
      else if (!checked) child.kill();
    }
    expect(await exited, out).toBe(0);
    if (windows) expect(out).toContain('duration elapsed: taking CliDemo-1 offline');
    expect(out).toContain('stopped cleanly, no contract violations');
  }, 30000 + 4 * hostStartMs() + (durationS ?? 0) * 1000);
});
