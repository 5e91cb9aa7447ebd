// An independent reading of our PowerShell: tree-sitter-powershell (from npm, run as WebAssembly
// through web-tree-sitter, so nothing is compiled here). Its grammar knows only the ASCII single
// quote, while PowerShell's tokenizer also ends a string at ‘ ’ ‚ ‛ (CharTraits.IsSingleQuote), so a
// script is parsed once as written and once with those four mapped to ' (how PowerShell sees it).
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let parser: Parser | undefined;

async function powershellParser(): Promise<Parser> {
  if (!parser) {
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
    parser = new Parser();
    parser.setLanguage(language);
  }
  return parser;
}

/** The script as PowerShell's tokenizer reads its quotes. */
export const powershellQuotes = (script: string) => script.replace(/[\u2018\u2019\u201A\u201B]/g, "'");

// The one expression psBase64 writes: a string carried as base64 of its UTF-8.
const BASE64_VALUE = /^\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('[A-Za-z0-9+/]*={0,2}'\)\)$/;

/**
 * The script's structure: every node's type, the text of every token outside strings (command
 * names, operators, variables), and VALUE for each string literal or base64 value. Two scripts
 * with the same structure run the same code on (possibly) different data. `errors` counts the
 * parser's ERROR and MISSING nodes.
 */
export async function psStructure(script: string): Promise<{ structure: string; errors: number }> {
  const tree = (await powershellParser()).parse(script);
  if (!tree) throw new Error('tree-sitter gave no tree');
  let errors = 0;
  const walk = (node: Node): string => {
    if (node.isError || node.isMissing) errors++;
    if (node.type === 'string_literal' || (node.type === 'invokation_expression' && BASE64_VALUE.test(node.text))) return 'VALUE';
    if (node.childCount === 0) return node.type === 'comment' ? '' : JSON.stringify(node.text);
    return `(${node.type} ${node.children.filter((c): c is Node => c !== null).map(walk).join(' ')})`;
  };
  const structure = walk(tree.rootNode);
  tree.delete();
  return { structure, errors };
}

// Windows-1252 differs from Latin-1 in 0x80-0x9F (Microsoft's table, as .NET's Encoding 1252
// decodes it; the five unassigned bytes 81 8D 8F 90 9D stay the C1 controls). Written out here:
// Node's TextDecoder without full ICU decodes "windows-1252" as Latin-1.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** The bytes as Windows PowerShell 5.1 reads a file without a byte-order mark on an en-US
 * system: in the ANSI code page, Windows-1252. */
export const readAsWindows1252 = (bytes: Uint8Array) =>
  String.fromCharCode(...Array.from(bytes, (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b)));
