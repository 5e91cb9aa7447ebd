// Progress of a copy to one node, in files and bytes: a bar redrawn in place when stderr is a
// terminal, otherwise one line when the copy starts (a log gets no carriage returns).
import type { CliIo } from './usage.js';

export interface CopyProgress {
  /** After each file: its size in bytes. */
  step: (bytes: number) => void;
  done: () => void;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
const WIDTH = 30;

export function copyProgress(node: string, files: number, bytes: number, io: CliIo, tty = process.stderr.isTTY === true): CopyProgress {
  if (!tty) {
    let announced = false;
    return {
      step: () => {
        if (!announced) io.out(`${node}: copying ${files} files, ${mb(bytes)} MB`);
        announced = true;
      },
      done: () => {},
    };
  }
  let copiedFiles = 0;
  let copiedBytes = 0;
  let drawnAt = 0;
  const draw = () => {
    const filled = bytes ? Math.round((copiedBytes / bytes) * WIDTH) : WIDTH;
    process.stderr.write(`\r${node} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${copiedFiles}/${files} files, ${mb(copiedBytes)}/${mb(bytes)} MB`);
  };
  return {
    step: (size) => {
      copiedFiles++;
      copiedBytes += size;
      const now = Date.now();
      if (now - drawnAt >= 100 || copiedFiles === files) {
        drawnAt = now;
        draw();
      }
    },
    done: () => {
      if (copiedFiles) process.stderr.write('\n');
    },
  };
}
