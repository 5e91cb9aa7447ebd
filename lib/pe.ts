// Reads what `doctor` and the Windows tier need from a PE image: machine, PE32/PE32+, DLL flag,
// exported names and imported DLLs. Bounds-checked: a truncated or foreign file gives a
// PeFormatError saying where, never an exception from a bad offset.

export interface PeInfo {
  /** IMAGE_FILE_MACHINE_*: 0x8664 for x64, 0x14c for x86, 0xaa64 for arm64. */
  machine: number;
  /** 'PE32+' (64-bit) or 'PE32' (32-bit). */
  format: 'PE32' | 'PE32+';
  isDll: boolean;
  exports: string[];
  imports: string[];
}

export class PeFormatError extends Error {
  override readonly name = 'PeFormatError';
}

const IMAGE_FILE_DLL = 0x2000;

export function readPe(bytes: Buffer): PeInfo {
  const need = (off: number, n: number, what: string) => {
    if (off < 0 || off + n > bytes.length) throw new PeFormatError(`truncated: ${what} at ${off} runs past the end (${bytes.length} bytes)`);
  };
  if (bytes.length < 2 || bytes.readUInt16LE(0) !== 0x5a4d) throw new PeFormatError('not a PE image: no MZ signature');
  need(0, 64, 'DOS header');
  const pe = bytes.readUInt32LE(0x3c);
  need(pe, 24, 'PE header');
  if (bytes.readUInt32LE(pe) !== 0x00004550) throw new PeFormatError('not a PE image: no PE signature');
  const machine = bytes.readUInt16LE(pe + 4);
  const sectionCount = bytes.readUInt16LE(pe + 6);
  const optionalSize = bytes.readUInt16LE(pe + 20);
  const characteristics = bytes.readUInt16LE(pe + 22);
  const opt = pe + 24;
  need(opt, optionalSize, 'optional header');
  const magic = bytes.readUInt16LE(opt);
  if (magic !== 0x20b && magic !== 0x10b) throw new PeFormatError(`unknown optional header magic 0x${magic.toString(16)}`);
  const format = magic === 0x20b ? 'PE32+' : 'PE32';
  const dirs = opt + (format === 'PE32+' ? 112 : 96);
  const dirCount = bytes.readUInt32LE(dirs - 4);
  const sections = opt + optionalSize;
  need(sections, sectionCount * 40, 'section table');
  const toOffset = (rva: number): number => {
    for (let i = 0; i < sectionCount; i++) {
      const s = sections + i * 40;
      const va = bytes.readUInt32LE(s + 12);
      const size = Math.max(bytes.readUInt32LE(s + 8), bytes.readUInt32LE(s + 16));
      if (rva >= va && rva < va + size) return rva - va + bytes.readUInt32LE(s + 20);
    }
    throw new PeFormatError(`RVA 0x${rva.toString(16)} is in no section`);
  };
  const cString = (off: number): string => {
    const end = bytes.indexOf(0, off);
    if (off >= bytes.length || end < 0 || end - off > 4096) throw new PeFormatError(`bad string at ${off}`);
    return bytes.toString('latin1', off, end);
  };
  const dir = (i: number) => {
    if (i >= dirCount) return { rva: 0, size: 0 };
    need(dirs + i * 8, 8, 'data directory');
    return { rva: bytes.readUInt32LE(dirs + i * 8), size: bytes.readUInt32LE(dirs + i * 8 + 4) };
  };

  const exports: string[] = [];
  const ex = dir(0);
  if (ex.rva) {
    const e = toOffset(ex.rva);
    need(e, 40, 'export directory');
    const names = bytes.readUInt32LE(e + 24);
    const namesRva = bytes.readUInt32LE(e + 32);
    if (names > 65536) throw new PeFormatError(`implausible export count ${names}`);
    for (let i = 0; i < names; i++) {
      const at = toOffset(namesRva) + i * 4;
      need(at, 4, 'export name pointer');
      exports.push(cString(toOffset(bytes.readUInt32LE(at))));
    }
  }
  const imports: string[] = [];
  const im = dir(1);
  if (im.rva) {
    for (let d = toOffset(im.rva); ; d += 20) {
      need(d, 20, 'import descriptor');
      const nameRva = bytes.readUInt32LE(d + 12);
      if (nameRva === 0) break;
      imports.push(cString(toOffset(nameRva)));
      if (imports.length > 4096) throw new PeFormatError('implausible import count');
    }
  }
  return { machine, format, isDll: (characteristics & IMAGE_FILE_DLL) !== 0, exports, imports };
}
