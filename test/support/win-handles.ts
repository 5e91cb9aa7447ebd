// What Windows has instead of /proc/<pid>/fd, for the host-process tests under Windows node: a
// process's handle table (the test-only channel-tap.node, native/tests/channel_tap_win.cc, which
// scripts/installed-tier.sh puts in test/fixtures), and a way to stop a process whole.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface WinHandle {
  handle: number;
  /** HANDLE_FLAG_INHERIT: CreateProcess with bInheritHandles (libuv's spawn) copies it into the child. */
  inherit: boolean;
  /** The object type ("File", "Event", "Key", ...); "Pipe" for a File that is a pipe. */
  type: string;
  /** For a pipe, its name (\Device\NamedPipe\...: both ends of an anonymous pipe have the same). */
  name: string;
}

interface ChannelTap {
  handles(): WinHandle[];
  stdHandles(): number[];
  connect(name: string): number;
  suspend(pid: number): boolean;
  resume(pid: number): boolean;
}

const fixtures = new URL('../fixtures/', import.meta.url);

/** The addon (Windows only). */
export const channelTap = (): ChannelTap => createRequire(fixtures)('./channel-tap.node') as ChannelTap;

/** The handle table of a process this process starts now (node's spawn: every inheritable handle goes along). */
export function handlesOfNewChild(): WinHandle[] {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('list-handles.cjs', fixtures))], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as WinHandle[];
}
