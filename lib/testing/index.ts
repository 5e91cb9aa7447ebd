export { MockCluster, type MockClusterOptions, type CreateResourceOptions, type HostProcessOptions, type SchemaOf } from './mock-cluster.js';
export { MockResource, type ControlOptions } from './mock-resource.js';
export { runConformance, budgetStatus, PROCESS_EXIT_GRACE_MS, type ConformanceFinding, type ConformanceOptions, type ConformanceReport, type ConformanceStatus } from './conformance.js';
export {
  colorEnabled, controlName, DEFAULT_TIMELINE_LIMIT, formatEvent, type FormatOptions, type ResourceState, type TimelineEvent, type Violation,
} from './timeline.js';
