// What every command shares: the error that means "bad usage" (exit 2), the output sinks a
// command writes to, and the one way a command reports a failure with its consequence.
export class UsageError extends Error {}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}
export const consoleIo: CliIo = { out: console.log, err: console.error };

/** Prints why the command failed and what that left done or undone; the exit code 1. */
export function failed(io: CliIo, err: unknown, consequence: string): number {
  io.err(`wsfc-resource: ${err instanceof Error ? err.message : String(err)}\n${consequence}`);
  return 1;
}
