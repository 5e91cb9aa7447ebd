// The lifecycle suite with the handlers in a child host process that the shim starts through its
// real launcher (socketpair, fork/exec), on both Resource API versions.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { MockCluster } from '../../lib/testing/index.js';
import { hostNode } from '../support/host-node.js';
import { lifecycleSuite } from '../support/lifecycle-suite.js';
import { removeScratchDirs, scratchDir } from '../support/standalone.js';

afterAll(removeScratchDirs);

const module = fileURLToPath(new URL('../fixtures/lifecycle-type.mjs', import.meta.url));
const dir = scratchDir('wsfc-lifecycle-');
const seenFile = join(dir, 'seen.txt');

lifecycleSuite('lifecycle on %s, host process', {
  start: (resapi) => MockCluster.start({ resapi, host: 'process', module, hostProcess: { ...hostNode, env: { LIFECYCLE_SEEN_FILE: seenFile } } }),
  type: 'LifecycleType',
  seen: () => {
    try {
      return readFileSync(seenFile, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  },
  reset: () => rmSync(seenFile, { force: true }),
});
