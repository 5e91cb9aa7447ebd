import { test } from 'vitest';
import { clusterScenario } from './scenario.js';

test.concurrent('two: a cluster', () => clusterScenario('two-a'));
test.concurrent('two: another cluster of the same type at once', () => clusterScenario('two-b'));
