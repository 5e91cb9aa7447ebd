import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The project's own suites run against an installed tarball (scripts/installed-tier.sh copies them
// beside node_modules/wsfc-resource): their `../../lib/<x>.js` imports become the package's
// dist/<x>.js, and fixtures import 'wsfc-resource' by name, as user code does.
const dist = fileURLToPath(new URL('./node_modules/wsfc-resource/dist/', import.meta.url));
export default defineConfig({
  resolve: { alias: [{ find: /^(?:\.\.\/)+lib\/(.*)\.js$/, replacement: `${dist}$1.js` }] },
  test: { pool: 'forks', testTimeout: 120000, hookTimeout: 120000 },
});
