// `mock` on a terminal: single keys drive the resource (raw mode, no Enter needed), and `s` asks
// for one `Prop=value` line. Every action runs at once, as an operator's would: Terminate does
// not wait for a hung Online (the monitor serialises the rest itself, like RHS).
import { emitKeypressEvents } from 'node:readline';
import { createInterface } from 'node:readline/promises';

export interface KeyActions {
  online(): Promise<string>;
  offline(): Promise<string>;
  terminate(): Promise<string>;
  killHost(): Promise<string>;
  /** Applies one `Prop=value`; resolves with what happened. */
  set(assignment: string): Promise<string>;
  properties(): Promise<string>;
  quit(why: string): void;
}

/** The help line printed when keys are on. */
export const KEYS_HELP = 'keys: o online, f offline, t terminate, k kill the host, s set a property, p print properties, h this help, q quit';

type Input = NodeJS.ReadStream & { setRawMode(mode: boolean): unknown };

/** Starts reading keys from a TTY `input`; returns the function that stops (and restores the terminal). */
export function driveWithKeys(input: Input, output: NodeJS.WritableStream, actions: KeyActions, out: (line: string) => void): () => void {
  let prompting = false;
  const report = (p: Promise<string>) =>
    p.then(out, (err: unknown) => out(`error: ${err instanceof Error ? err.message : String(err)}`));
  const prompt = async () => {
    prompting = true;
    input.setRawMode(false);
    const rl = createInterface({ input, output, terminal: true });
    try {
      const line = (await rl.question('set (Prop=value, empty to cancel): ')).trim();
      if (line) await report(actions.set(line));
    } finally {
      rl.close();
      input.setRawMode(true);
      input.resume();
      prompting = false;
    }
  };
  const onKey = (_s: string | undefined, key: { name?: string; ctrl?: boolean; sequence?: string } | undefined) => {
    if (prompting || !key) return;
    if (key.ctrl && (key.name === 'c' || key.name === 'd')) return actions.quit('interrupted');
    switch (key.name ?? key.sequence) {
      case 'o': return void report(actions.online());
      case 'f': return void report(actions.offline());
      case 't': return void report(actions.terminate());
      case 'k': return void report(actions.killHost());
      case 's': return void prompt();
      case 'p': return void report(actions.properties());
      case 'h':
      case '?': return out(KEYS_HELP);
      case 'q': return actions.quit('quit');
    }
  };
  emitKeypressEvents(input);
  input.setRawMode(true);
  input.on('keypress', onKey);
  input.resume();
  return () => {
    input.off('keypress', onKey);
    if (input.isTTY) input.setRawMode(false);
    input.pause();
  };
}
