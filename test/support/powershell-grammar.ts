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

/** The bytes as Windows PowerShell 5.1 reads a file without a byte-order mark on an en-US
 * system: in the ANSI code page, Windows-1252. */
export const readAsWindows1252 = (bytes: Uint8Array) => new TextDecoder('windows-1252').decode(bytes);
