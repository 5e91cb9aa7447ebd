export { MockCluster, TYPE_NOTIFICATIONS, type MockClusterOptions, type CreateResourceOptions, type TypeNotification } from './mock-cluster.js';
export {
  MockResource,
  RESOURCE_NOTIFICATIONS,
  type ControlOptions,
  type OnlineOptions,
  type OfflineOptions,
  type TerminateOptions,
  type ResourceNotification,
} from './mock-resource.js';
export { formatEvent, type ResourceState, type TimelineEvent, type Violation } from './timeline.js';
