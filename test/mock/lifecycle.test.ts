// The lifecycle suite with the host in this process, on both Resource API versions.
import Lifecycle, { seen } from '../fixtures/lifecycle-type.mjs';
import { MockCluster } from '../../lib/testing/index.js';
import { lifecycleSuite } from '../support/lifecycle-suite.js';

lifecycleSuite('lifecycle on %s', {
  start: (resapi) => MockCluster.start({ resapi }),
  type: Lifecycle,
  seen: () => [...seen],
  reset: () => void (seen.length = 0),
});
