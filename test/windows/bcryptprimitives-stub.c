/* Test environment only, never shipped: Wine 8 has no bcryptprimitives.dll, whose ProcessPrng
 * (Windows 10+) the Windows binaries of vitest's bundlers import (rollup's Rust std, esbuild's Go
 * runtime). scripts/wine-env.sh builds this with mingw-w64 into the Wine prefix's system32 so that
 * vitest starts under Windows node there. The bytes come from RtlGenRandom (advapi32's
 * SystemFunction036), which Wine implements; ProcessPrng is documented never to fail. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
