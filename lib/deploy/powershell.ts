// PowerShell as a target language: literals that no input can break out of, and one way to run a
// script. User data (type names, paths, JSON) only ever enters a script as a single-quoted
// literal, so whatever it contains it stays data.
import { spawn } from 'node:child_process';

// PowerShell's tokenizer ends a single-quoted string at any of these five characters, not only
// the ASCII one (CharTraits.IsSingleQuote in PowerShell's parser: U+0027, U+2018, U+2019, U+201A,
// U+201B). Inside the string a pair of them stands for the second one.
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/** A PowerShell single-quoted literal whose value is exactly `value` (no expansion of `$`, `` ` ``). */
export function psLiteral(value: string): string {
  if (value.includes('\0')) throw new TypeError('a PowerShell literal cannot hold NUL');
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

// What a script may hold as written: printable ASCII, tab and line breaks. A script made only of
// these reads the same in every encoding Windows PowerShell might assume for a file (UTF-8, the
// ANSI code page such as Windows-1252, the OEM code page): all of them agree on ASCII.
const ASCII_TEXT = /^[\t\n\r\x20-\x7e]*$/;

/** The expression a string with other characters becomes: its UTF-8 bytes in base64, decoded by
 * the script, so no byte of the script depends on how PowerShell decodes the file. */
export const psBase64 = (value: string) => `[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(value, 'utf8').toString('base64')}'))`;

/** A string as a PowerShell expression of pure ASCII: a single-quoted literal when the value is
 * ASCII text, otherwise psBase64 (Windows PowerShell 5.1 reads a BOM-less script in the ANSI code
 * page, where UTF-8 bytes such as 0x91, 0x92 of 'Ò' or 'ё' are quotes to its tokenizer). */
export function psString(value: string): string {
  if (value.includes('\0')) throw new TypeError('a PowerShell literal cannot hold NUL');
  return ASCII_TEXT.test(value) ? psLiteral(value) : psBase64(value);
}

/** `@('a', 'b')`: an array of strings, each as psString. */
export function psArray(values: readonly string[]): string {
  return `@(${values.map(psString).join(', ')})`;
}

/** `$Name = <value>` lines (psString for strings), then a blank line: the only place a script
 * takes its inputs. */
export function psParameters(values: Record<string, string | number | boolean | readonly string[] | null>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new TypeError(`not a plain variable name: ${name}`);
      let literal: string;
      if (value === null) literal = '$null';
      else if (typeof value === 'boolean') literal = value ? '$true' : '$false';
      else if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) throw new TypeError(`$${name} must be an integer`);
        literal = String(value);
      } else if (typeof value === 'string') literal = psString(value);
      else literal = psArray(value);
      return `$${name} = ${literal}\n`;
    })
    .join('');
}

/** What every script starts with: stop at the first error, UTF-8 output (Windows PowerShell
 * otherwise writes redirected output in the OEM code page). */
export const PS_PRELUDE_NO_CLUSTER = [
  "$ErrorActionPreference = 'Stop'",
  "$ProgressPreference = 'SilentlyContinue'",
  '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
].join('\n');

/** The prelude and the cluster cmdlets. */
export const PS_PRELUDE = `${PS_PRELUDE_NO_CLUSTER}\nImport-Module FailoverClusters`;

/** The line a script prints its machine-readable answer on (after anything a cmdlet printed). */
export const RESULT_MARKER = 'WSFC-RESULT ';

/** The statement that prints `expr` as the script's answer. */
export const emitResult = (expr: string) => `Write-Output ('${RESULT_MARKER}' + (${expr} | ConvertTo-Json -Compress -Depth 6))`;

export interface PowerShellRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The JSON the script printed after RESULT_MARKER, if it did. */
  result?: unknown;
}

export const POWERSHELL = 'powershell.exe';

/** The arguments that run `script`: -EncodedCommand (UTF-16LE base64) carries the text through
 * CreateProcess's command line without any quoting, and no script file is left behind. */
export function powerShellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

// CreateProcess takes a command line of at most 32,767 characters (learn.microsoft.com,
// CreateProcessW, lpCommandLine), counted with the program name and its terminating NUL.
export const MAX_COMMAND_LINE = 32_767;

/** The length of the command line that runs `script`. */
export function commandLineLength(script: string): number {
  return [POWERSHELL, ...powerShellArgs(script)].join(' ').length + 1;
}

/** Why `script` cannot be run through a command line, or undefined. */
export function commandLineRefusal(what: string, script: string): string | undefined {
  const length = commandLineLength(script);
  return length > MAX_COMMAND_LINE ? `${what} would need a command line of ${length} characters, over Windows' limit of ${MAX_COMMAND_LINE}; shorten the inputs (a display name, for instance)` : undefined;
}

/** Runs a script with Windows PowerShell (found on PATH), within `timeoutMs`. */
export function runPowerShell(script: string, timeoutMs = 120_000): Promise<PowerShellRun> {
  return new Promise((resolve) => {
    const child = spawn(POWERSHELL, powerShellArgs(script), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stderr += `\n${POWERSHELL} did not finish within ${timeoutMs / 1000} s and was stopped`;
      child.kill();
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `cannot run ${POWERSHELL}: ${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const run: PowerShellRun = { code: code ?? -1, stdout, stderr };
      const line = stdout.split(/\r?\n/).reverse().find((l) => l.startsWith(RESULT_MARKER));
      if (line !== undefined) {
        try {
          run.result = JSON.parse(line.slice(RESULT_MARKER.length));
        } catch {
          run.stderr += `\nunreadable result line: ${line}`;
        }
      }
      resolve(run);
    });
  });
}
