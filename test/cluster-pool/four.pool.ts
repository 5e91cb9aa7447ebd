import { test } from 'vitest';
import { clusterScenario } from './scenario.js';

test.concurrent('four: a cluster', () => clusterScenario('four-a'));
test.concurrent('four: another cluster of the same type at once', () => clusterScenario('four-b'));
