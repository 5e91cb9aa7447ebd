// Checks the native tree against its one build description (issue "The house the build enforces"):
//   1. no native source is named by more than one build description (binding.gyp, any
//      CMakeLists.txt / *.cmake / CMakePresets.json, scripts/*), and every .cc is named by one;
//   2. a quoted #include never reaches a layer that the including file's target does not link
//      (the layer graph is read from the wsfc_*() declarations' DEPS in native/**/CMakeLists.txt);
//   3. neither the declared layer graph nor the include graph between layers has a cycle.
// `node scripts/native-layout.mjs` prints each problem and exits 1; the CMake build runs it before
// compiling anything (cmake/WsfcLayers.cmake) and test/unit/native-layout.test.ts runs it too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const posix = (p) => p.split(sep).join('/');

function walk(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name.startsWith('.') ? [] : walk(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** The build descriptions of the repository at root, as paths relative to it. */
export function buildDescriptions(root) {
  const top = ['binding.gyp', 'CMakeLists.txt', 'CMakePresets.json'].filter((f) => existsSync(join(root, f)));
  const cmake = [...walk(join(root, 'cmake'), (p) => p.endsWith('.cmake')), ...walk(join(root, 'native'), (p) => /(^|[/\\])CMakeLists\.txt$|\.cmake$/.test(p))];
  const scripts = walk(join(root, 'scripts'), () => true);
  return [...top, ...[...cmake, ...scripts].map((p) => posix(relative(root, p)))];
}

/** Target name -> { folder, deps } from the wsfc_library/_executable/_shared/_addon/_fuzz_target calls. */
export function declaredTargets(root) {
  const targets = new Map();
  for (const file of walk(join(root, 'native'), (p) => p.endsWith('CMakeLists.txt'))) {
    const folder = posix(relative(root, dirname(file)));
    const text = readFileSync(file, 'utf8').replace(/#.*$/gm, '');
    for (const m of text.matchAll(/\bwsfc_(library|executable|shared|addon|fuzz_target)\(\s*([\w-]+)([^)]*)\)/g)) {
      const deps = /\bDEPS\s+([^A-Z)]*)/.exec(m[3])?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
      targets.set(m[2], { folder, deps });
    }
  }
  return targets;
}

function findCycle(graph) {
  const state = new Map();
  const stack = [];
  const visit = (n) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return undefined;
}

/** Every problem found, one line each; empty when the tree is in order. */
export function checkNativeLayout(root) {
  const problems = [];
  const sources = walk(join(root, 'native'), (p) => /\.(cc|h)$/.test(p)).map((p) => posix(relative(root, p)));
  const sourceSet = new Set(sources);

  // 1. Who names each source: a token ending in .cc/.h, relative to the description or the root.
  const namedBy = new Map();
  for (const desc of buildDescriptions(root)) {
    const text = readFileSync(join(root, desc), 'utf8');
    const named = new Set();
    for (const m of text.matchAll(/[\w./${}-]+\.(?:cc|h)\b/g)) {
      const token = m[0].replace(/^\$\{CMAKE_CURRENT_SOURCE_DIR\}\//, '');
      for (const candidate of [posix(join(dirname(desc), token)), posix(join('.', token))]) {
        if (sourceSet.has(candidate)) named.add(candidate);
      }
    }
    for (const s of named) namedBy.set(s, [...(namedBy.get(s) ?? []), desc]);
  }
  for (const [source, descs] of namedBy) {
    if (descs.length > 1) problems.push(`${source} is named by ${descs.length} build descriptions: ${descs.join(', ')}`);
  }
  for (const s of sources) {
    if (s.endsWith('.cc') && !namedBy.has(s)) problems.push(`${s} is not built: no build description names it`);
  }

  // 2. Layers: a folder may include from itself and from the folders of the targets it links.
  const targets = declaredTargets(root);
  const declaredGraph = new Map();
  for (const [name, t] of targets) {
    for (const d of t.deps) {
      if (!targets.has(d)) continue; // Threads::Threads, system libraries
      const from = t.folder;
      const to = targets.get(d).folder;
      if (from !== to) declaredGraph.set(from, new Set([...(declaredGraph.get(from) ?? []), to]));
    }
    if (!declaredGraph.has(t.folder)) declaredGraph.set(t.folder, new Set());
    void name;
  }
  const declaredCycle = findCycle(declaredGraph);
  if (declaredCycle) problems.push(`the layers' DEPS form a cycle: ${declaredCycle.join(' -> ')}`);
  const reach = (folder, seen = new Set()) => {
    for (const next of declaredGraph.get(folder) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        reach(next, seen);
      }
    }
    return seen;
  };
  const layerOf = (file) => {
    for (let dir = dirname(file); dir.startsWith('native'); dir = dirname(dir)) if (declaredGraph.has(dir)) return dir;
    return undefined;
  };
  const includeGraph = new Map();
  for (const file of sources) {
    const layer = layerOf(file);
    if (!layer) {
      problems.push(`${file} is in no layer folder (no CMakeLists.txt above it declares a target)`);
      continue;
    }
    const allowed = reach(layer);
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      const inc = m[1];
      if (inc.includes('..')) {
        problems.push(`${file}: #include "${inc}" climbs out of its folder; name it from native/ ("layer/file.h")`);
        continue;
      }
      const target = [posix(join(dirname(file), inc)), posix(join('native', inc))].find((c) => sourceSet.has(c));
      if (!target) continue; // napi.h and other headers outside native/
      const to = layerOf(target);
      if (!to || to === layer) continue;
      includeGraph.set(layer, new Set([...(includeGraph.get(layer) ?? []), to]));
      if (!allowed.has(to)) problems.push(`${file}: #include "${inc}" reaches ${to}, which ${layer} does not link`);
    }
  }
  const includeCycle = findCycle(includeGraph);
  if (includeCycle) problems.push(`the include graph between layers has a cycle: ${includeCycle.join(' -> ')}`);
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkNativeLayout(root);
  for (const p of problems) console.error(`native layout: ${p}`);
  process.exit(problems.length ? 1 : 0);
}
