// What powershell.exe writes on a redirected stderr: with -NonInteractive and a redirected error
// stream its ConsoleHost serializes every error, warning, verbose and progress record as CLIXML
// (PowerShell/PowerShell#5912), for example
//   #< CLIXML
//   <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
//   <S S="Error">Add-ClusterResourceType : Access is denied_x000D__x000A_</S><S S="Error">At line:7 ...
// Strings are XML-escaped, and characters XML cannot hold are written _xHHHH_ (the XmlConvert
// encoding, in which a literal '_x' is itself written _x005F_x).

export interface PowerShellStreams {
  /** The error stream's text, line by line as PowerShell formatted it. */
  errors: string[];
  warnings: string[];
  /** Text that was not CLIXML (a plain stderr, or what came before the marker). */
  plain: string;
}

const MARKER = '#< CLIXML';

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescape(text: string): string {
  return text
    .replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : XML_ENTITIES[e]!)
    .replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Splits stderr into PowerShell's streams; text without the CLIXML marker is all `plain`. */
export function decodeStderr(stderr: string): PowerShellStreams {
  const at = stderr.indexOf(MARKER);
  if (at < 0) return { errors: [], warnings: [], plain: stderr };
  const out: PowerShellStreams = { errors: [], warnings: [], plain: stderr.slice(0, at) };
  // Only the <S S="..."> strings of the top level carry text; <Obj S="progress"> records are
  // progress bars, not messages.
  for (const m of stderr.slice(at + MARKER.length).matchAll(/<S S="(\w+)">([\s\S]*?)<\/S>|<S S="(\w+)" ?\/>/g)) {
    const stream = (m[1] ?? m[3])!.toLowerCase();
    const text = unescape(m[2] ?? '');
    if (stream === 'error') out.errors.push(text);
    else if (stream === 'warning') out.warnings.push(text);
  }
  return out;
}

/** The message a user reads: the first line of the first error record, without PowerShell's
 * position and category lines (At line:..., + CategoryInfo ...), or the plain text's first lines. */
export function powerShellMessage(stderr: string): string {
  const streams = decodeStderr(stderr);
  const errorLines = streams.errors.join('').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (errorLines.length) return errorLines[0]!;
  const plain = streams.plain.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (plain.length) return plain.slice(0, 3).join(' ');
  return streams.warnings.join(' ').trim();
}
