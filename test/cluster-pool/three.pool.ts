import { test } from 'vitest';
import { clusterScenario } from './scenario.js';

test.concurrent('three: a cluster', () => clusterScenario('three-a'));
test.concurrent('three: another cluster of the same type at once', () => clusterScenario('three-b'));
