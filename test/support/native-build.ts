// The native build the tests use beyond the shipped addons: the test-only libraries of native/tests
// (never packed), from the build the addons come from (WSFC_RESOURCE_ADDON_DIR, e.g. build/asan
// under npm run sanitize) or else the regular one, build/native (npm run build:native; the
// Windows node tier copies the win32 build's contract breaker there, scripts/installed-tier.sh).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const nativeBuild = process.env.WSFC_RESOURCE_ADDON_DIR || join(root, 'build', 'native');

/** The path of a test-only resource library: 'contract_breaker' or 'baseline'. */
export function testLibrary(name: 'contract_breaker' | 'baseline'): string {
  return join(nativeBuild, process.platform === 'win32' ? `libwsfc_${name}.dll` : `libwsfc_${name}.so`);
}
