// node scripts/check-macho.mjs <addon.node>...: what a macOS build of an addon must look like,
// checked without a Mac to load it on (scripts/build-darwin.sh runs it on both prebuilds). Each file
// must be a 64-bit Mach-O dylib or bundle for arm64 or x86_64 that
//   - exports napi_register_module_v1 in its export trie (what dlsym finds, what node looks up);
//   - leaves undefined only Node-API functions looked up in the loading node at run time
//     (`_napi_*`, `_node_api_*`, `-undefined dynamic_lookup`, as node-gyp links on macOS) and
//     symbols bound (two-level namespace) to a library every Mac has: libSystem or libc++;
//     anything else (an object missing from the link, a symbol from a dylib no Mac has, a flat
//     lookup of anything but Node-API) fails here instead of at `require` on a user's Mac;
//   - links no dylib but /usr/lib/libSystem.B.dylib and /usr/lib/libc++.1.dylib;
//   - carries a code signature whose page hashes match the file (arm64 macOS refuses to map an
//     image without a valid one; stripping after the link must re-sign it, as llvm-strip does).
// The layouts are those of Apple's <mach-o/loader.h>, <mach-o/nlist.h> and the code-signing
// blobs of <kern/cs_blobs.h> (xnu); read here in JavaScript so that no LLVM tool is needed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const MH_MAGIC_64 = 0xfeedfacf;
const CPU = { 0x0100000c: 'arm64', 0x01000007: 'x86_64' };
const FILETYPE = { 6: 'dylib', 8: 'bundle' };
const LC = {
  SYMTAB: 0x2, ID_DYLIB: 0xd, CODE_SIGNATURE: 0x1d, BUILD_VERSION: 0x32,
  DYLD_INFO_ONLY: 0x80000022, DYLD_EXPORTS_TRIE: 0x80000033,
};
// Every command that adds a library ordinal (in load order): LOAD, LOAD_WEAK, LAZY_LOAD, REEXPORT, LOAD_UPWARD.
const DYLIB_COMMANDS = new Set([0xc, 0x80000018, 0x20, 0x8000001f, 0x80000023]);
const SELF_LIBRARY_ORDINAL = 0;
const DYNAMIC_LOOKUP_ORDINAL = 0xfe;
const EXECUTABLE_ORDINAL = 0xff;
/** The libraries every macOS install has at these paths (in the dyld shared cache since macOS 11). */
export const SYSTEM_LIBRARIES = ['/usr/lib/libSystem.B.dylib', '/usr/lib/libc++.1.dylib'];
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_HASHTYPE_SHA256 = 2;

function cstring(buf, offset) {
  const end = buf.indexOf(0, offset);
  return buf.toString('latin1', offset, end < 0 ? buf.length : end);
}

function uleb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at.pos >= buf.length) throw new Error('truncated ULEB128 in the export trie');
    const byte = buf[at.pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return value;
    shift += 7;
  }
}

/** The names in a dyld export trie (<mach-o/loader.h>, "export trie"). */
function exportTrie(buf, start, size) {
  const trie = buf.subarray(start, start + size);
  const names = [];
  const seen = new Set();
  const walk = (offset, prefix) => {
    if (seen.has(offset) || offset >= trie.length) throw new Error(`malformed export trie at ${offset}`);
    seen.add(offset);
    const at = { pos: offset };
    const terminal = uleb(trie, at);
    if (terminal > 0) names.push(prefix);
    at.pos += terminal;
    const children = trie[at.pos++];
    for (let i = 0; i < children; i++) {
      const edge = cstring(trie, at.pos);
      at.pos += Buffer.byteLength(edge, 'latin1') + 1;
      walk(uleb(trie, at), prefix + edge);
    }
  };
  if (size > 0) walk(0, '');
  return names;
}

/** The embedded code signature: whether each page hash in its CodeDirectory matches the file. */
function codeSignature(buf, dataoff, datasize) {
  if (dataoff + datasize > buf.length || buf.readUInt32BE(dataoff) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    return { valid: false, problem: 'the code signature is not an embedded signature SuperBlob' };
  }
  const count = buf.readUInt32BE(dataoff + 8);
  for (let i = 0; i < count; i++) {
    const blob = dataoff + buf.readUInt32BE(dataoff + 12 + i * 8 + 4);
    if (buf.readUInt32BE(blob) !== CSMAGIC_CODEDIRECTORY) continue;
    const flags = buf.readUInt32BE(blob + 12);
    const hashOffset = buf.readUInt32BE(blob + 16);
    const nCodeSlots = buf.readUInt32BE(blob + 28);
    const codeLimit = buf.readUInt32BE(blob + 32);
    const hashSize = buf[blob + 36];
    const hashType = buf[blob + 37];
    const pageSize = 2 ** buf[blob + 39];
    if (hashType !== CS_HASHTYPE_SHA256) return { valid: false, problem: `code directory hash type ${hashType}, not SHA-256` };
    if (codeLimit !== dataoff) return { valid: false, problem: `the signature covers ${codeLimit} bytes, the signed image has ${dataoff}` };
    if (nCodeSlots !== Math.ceil(codeLimit / pageSize)) return { valid: false, problem: `${nCodeSlots} page hashes for ${codeLimit} bytes` };
    for (let page = 0; page < nCodeSlots; page++) {
      const data = buf.subarray(page * pageSize, Math.min((page + 1) * pageSize, codeLimit));
      const want = buf.subarray(blob + hashOffset + page * hashSize, blob + hashOffset + (page + 1) * hashSize);
      if (!createHash('sha256').update(data).digest().subarray(0, hashSize).equals(want)) {
        return { valid: false, problem: `page ${page} (bytes ${page * pageSize}..) does not match its hash: the file changed after it was signed` };
      }
    }
    return { valid: true, pages: nCodeSlots, adhoc: (flags & 0x2) !== 0 };
  }
  return { valid: false, problem: 'the code signature has no code directory' };
}

function version(v) {
  return `${v >>> 16}.${(v >> 8) & 0xff}.${v & 0xff}`;
}

/** What a Mach-O image declares: arch, type, libraries, exports, imports, signature. Throws on a non-Mach-O. */
export function readMachO(buf) {
  if (buf.length < 32 || buf.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a 64-bit little-endian Mach-O image');
  const cpu = CPU[buf.readUInt32LE(4)] ?? `cputype 0x${buf.readUInt32LE(4).toString(16)}`;
  const filetype = FILETYPE[buf.readUInt32LE(12)] ?? `filetype ${buf.readUInt32LE(12)}`;
  const ncmds = buf.readUInt32LE(16);
  const image = { cpu, filetype, libraries: [], exports: [], imports: [], signature: undefined, minos: undefined, installName: undefined };
  let symtab;
  let trie;
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(at);
    const size = buf.readUInt32LE(at + 4);
    if (size < 8 || at + size > buf.length) throw new Error(`load command ${i} runs past the file`);
    if (DYLIB_COMMANDS.has(cmd)) image.libraries.push(cstring(buf, at + buf.readUInt32LE(at + 8)));
    else if (cmd === LC.ID_DYLIB) image.installName = cstring(buf, at + buf.readUInt32LE(at + 8));
    else if (cmd === LC.SYMTAB) symtab = { symoff: buf.readUInt32LE(at + 8), nsyms: buf.readUInt32LE(at + 12), stroff: buf.readUInt32LE(at + 16) };
    else if (cmd === LC.DYLD_INFO_ONLY) trie = [buf.readUInt32LE(at + 40), buf.readUInt32LE(at + 44)];
    else if (cmd === LC.DYLD_EXPORTS_TRIE) trie = [buf.readUInt32LE(at + 8), buf.readUInt32LE(at + 12)];
    else if (cmd === LC.CODE_SIGNATURE) image.signature = codeSignature(buf, buf.readUInt32LE(at + 8), buf.readUInt32LE(at + 12));
    else if (cmd === LC.BUILD_VERSION) image.minos = version(buf.readUInt32LE(at + 12));
    at += size;
  }
  if (trie) image.exports = exportTrie(buf, trie[0], trie[1]);
  if (symtab) {
    for (let i = 0; i < symtab.nsyms; i++) {
      const entry = symtab.symoff + i * 16;
      const type = buf[entry + 4];
      // External, not a debugging entry, undefined (N_UNDF), with no common-symbol size.
      if ((type & 0xe0) || !(type & 0x01) || (type & 0x0e) !== 0 || buf.readBigUInt64LE(entry + 8) !== 0n) continue;
      const ordinal = (buf.readUInt16LE(entry + 6) >> 8) & 0xff;
      const from = ordinal === DYNAMIC_LOOKUP_ORDINAL ? 'dynamic lookup'
        : ordinal === SELF_LIBRARY_ORDINAL ? 'self'
          : ordinal === EXECUTABLE_ORDINAL ? 'the executable'
            : image.libraries[ordinal - 1] ?? `library ordinal ${ordinal}`;
      image.imports.push({ name: cstring(buf, symtab.stroff + buf.readUInt32LE(entry)), from });
    }
  }
  return image;
}

const NODE_API = /^_(napi|node_api)_\w+$/;

/** Why an image is not a loadable Node-API addon for macOS: one line per problem, [] when it is one. */
export function addonProblems(image) {
  const problems = [];
  if (!['arm64', 'x86_64'].includes(image.cpu)) problems.push(`built for ${image.cpu}, not arm64 or x86_64`);
  if (!['dylib', 'bundle'].includes(image.filetype)) problems.push(`a Mach-O ${image.filetype}, not a dylib or bundle`);
  if (!image.exports.includes('_napi_register_module_v1')) problems.push('napi_register_module_v1 is not exported');
  for (const lib of image.libraries.filter((l) => !SYSTEM_LIBRARIES.includes(l))) problems.push(`links ${lib}, which is not on every Mac`);
  for (const { name, from } of image.imports) {
    const ok = from === 'dynamic lookup' ? NODE_API.test(name) : SYSTEM_LIBRARIES.includes(from);
    if (!ok) problems.push(`undefined ${name} (${from}): neither Node-API nor libSystem/libc++`);
  }
  if (!image.signature) {
    if (image.cpu === 'arm64') problems.push('no code signature: arm64 macOS maps no unsigned image');
  } else if (!image.signature.valid) {
    problems.push(`invalid code signature: ${image.signature.problem}`);
  }
  return problems;
}

/** One line saying what the image is, for the CI log. */
export function summary(file, image) {
  const lookups = image.imports.filter((i) => i.from === 'dynamic lookup').length;
  const bound = image.imports.length - lookups;
  const sig = !image.signature ? `unsigned${image.cpu === 'x86_64' ? ' (x86_64 macOS maps unsigned images)' : ''}`
    : image.signature.valid ? `signed${image.signature.adhoc ? ' ad hoc' : ''} (${image.signature.pages} page hashes verified)` : 'INVALID signature';
  return `${file}: ${image.cpu} ${image.filetype}, macOS ${image.minos ?? '?'}+, exports ${image.exports.length} ` +
    `(napi_register_module_v1 ${image.exports.includes('_napi_register_module_v1') ? 'yes' : 'NO'}); undefined: ${lookups} looked up at load, ` +
    `${bound} bound to ${[...new Set(image.imports.filter((i) => i.from !== 'dynamic lookup').map((i) => i.from))].join(', ') || 'nothing'}; ${sig}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node scripts/check-macho.mjs <addon.node>...');
    process.exit(2);
  }
  let failed = false;
  for (const file of files) {
    let problems;
    try {
      const image = readMachO(readFileSync(file));
      console.log(summary(file, image));
      problems = addonProblems(image);
    } catch (err) {
      problems = [err instanceof Error ? err.message : String(err)];
    }
    for (const p of problems) console.log(`  FAIL ${p}`);
    if (problems.length) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
