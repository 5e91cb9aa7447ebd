// wsfc-resource: Windows Server Failover Clustering resource types in TypeScript.
export {
  defineResourceType,
  isResourceTypeDefinition,
  type ResourceTypeDefinition,
  type ResourceTypeOptions,
  type ResourceHandlers,
  type Resource,
  type ResourceLog,
  type OperationContext,
  type OfflineContext,
  type TerminateContext,
  type StateChangeReason,
  type HealthContext,
  type ControlHandler,
  type Awaitable,
} from './define.js';
export { prop, type PropSpec, type PropertySchema, type PropertyValues, type PropertyInput } from './props.js';
export { ResourceError, type ResourceErrorDetails } from './errors.js';
export { CLUS_RESDLL_OPEN, CLUS_RESDLL_ONLINE, CLUS_RESDLL_OFFLINE, CLUSRESDLL_STATUS, STATE_CHANGE_REASONS } from './resapi-flags.js';
export {
  manifestOf,
  DEFAULT_TIMEOUTS,
  type ResourceTypeManifest,
  type ResourceTypeTimeouts,
  type ManifestProperty,
  type ManifestValue,
} from './manifest.js';
export {
  encodePropertyList,
  decodePropertyList,
  encodeMultiSz,
  decodeMultiSz,
  PropertyListError,
  type PropertyFormat,
  type PropertyValue,
  type PropertyValueTypes,
  type TypedPropertyValue,
} from './proplist.js';
export {
  clusctl,
  userCode,
  controlAccess,
  controlObject,
  controlFunction,
  controlCodeName,
  isInternal,
  isModify,
  isUser,
  isGlobal,
  CLUS_CHAR,
  CLUS_RESCLASS,
} from './clusctl.js';
export * as win32 from './win32.js';
