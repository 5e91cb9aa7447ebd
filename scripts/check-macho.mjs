// node scripts/check-macho.mjs <addon.node>...: what a macOS build of an addon must look like
// without a Mac to load it on. The Mach-O must export napi_register_module_v1, and every symbol it
// leaves undefined must be either bound to libSystem (two-level namespace) or a Node-API function
// looked up in the loading node at run time (`-undefined dynamic_lookup`, as node-gyp links on
// macOS). Anything else (an object file missing from the link, a libc++ symbol expected from a
// dylib no Mac has) fails here instead of at `require` on a user's Mac. Uses llvm-nm (Debian llvm).
import { spawnSync } from 'node:child_process';

let failed = false;
for (const file of process.argv.slice(2)) {
  const nm = (args) => {
    const r = spawnSync('llvm-nm', ['-m', ...args, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`llvm-nm ${args.join(' ')} ${file}: ${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean);
  };
  const exported = nm(['-g', '--defined-only']).some((l) => / external _napi_register_module_v1$/.test(l));
  const undefinedSyms = nm(['-u']).map((l) => l.trim());
  const fromLibSystem = undefinedSyms.filter((l) => l.endsWith('(from libSystem)'));
  const nodeApi = undefinedSyms.filter((l) => /external _(napi|node_api)_\w+( \(dynamically looked up\))?$/.test(l));
  const other = undefinedSyms.filter((l) => !fromLibSystem.includes(l) && !nodeApi.includes(l));
  console.log(`${file}: napi_register_module_v1 ${exported ? 'exported' : 'MISSING'}; undefined: ${nodeApi.length} Node-API, ${fromLibSystem.length} libSystem, ${other.length} other`);
  for (const l of other) console.log(`  not Node-API, not libSystem: ${l}`);
  if (!exported || other.length) failed = true;
}
process.exit(failed ? 1 : 0);
