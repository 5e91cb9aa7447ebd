export {
  MockCluster, TYPE_NOTIFICATIONS, type MockClusterOptions, type CreateResourceOptions, type HostProcessOptions, type SchemaOf, type TypeNotification,
} from './mock-cluster.js';
export { MockGroup, type GroupOptions, type GroupState } from './cluster-group.js';
export {
  MockResource,
  RESOURCE_NOTIFICATIONS,
  type ControlOptions,
  type OnlineOptions,
  type OfflineOptions,
  type TerminateOptions,
  type ResourceNotification,
} from './mock-resource.js';
export { runConformance, budgetStatus, PROCESS_EXIT_GRACE_MS, type ConformanceFinding, type ConformanceOptions, type ConformanceReport, type ConformanceStatus } from './conformance.js';
export {
  colorEnabled, controlName, DEFAULT_TIMELINE_LIMIT, formatEvent, type FormatOptions, type ResourceState, type TimelineEvent, type Violation,
} from './timeline.js';
