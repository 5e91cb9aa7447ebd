import { test } from 'vitest';
import { clusterScenario } from './scenario.js';

test.concurrent('one: a cluster', () => clusterScenario('one-a'));
test.concurrent('one: another cluster of the same type at once', () => clusterScenario('one-b'));
