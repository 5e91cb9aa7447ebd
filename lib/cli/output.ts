// Lines to a stream that the reader may close (`wsfc-resource mock | head -3`): EPIPE is not an
// error to report but the reader's way of saying "enough"; after it, lines are dropped.
export interface LineOutput {
  write: (line: string) => void;
  /** Whether the reader went away. */
  readonly closed: boolean;
}

export function lineOutput(stream: NodeJS.WriteStream, onClosed: () => void): LineOutput {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClosed();
  };
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return close();
    throw err;
  });
  return {
    write: (line) => {
      if (!closed) stream.write(`${line}\n`);
    },
    get closed() {
      return closed;
    },
  };
}
