export { MockCluster, type MockClusterOptions, type CreateResourceOptions } from './mock-cluster.js';
export { MockResource, type ControlOptions } from './mock-resource.js';
export { formatEvent, type ResourceState, type TimelineEvent, type Violation } from './timeline.js';
