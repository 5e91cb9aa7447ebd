// The Resource API's flag sets, keyed by the SDK name without its prefix: OpenV2, OnlineV2 and
// OfflineV2 flags (handlers get them as ctx.flags / res.openFlags) and the RESOURCE_STATUS_EX.Flags
// a ResourceError may carry. Values from the SDK's resapi.h (microsoft/win32metadata, SDK
// 10.0.26100), as listed in resdll-contract.md §3.1, §3.3, §3.4 and §11.2; native/shim/resapi_codes.h
// has the same numbers.

export const CLUS_RESDLL_OPEN = {
  RECOVER_MONITOR_STATE: 0x1,
  DONT_DELETE_TEMP_DISK: 0x2,
} as const;

export const CLUS_RESDLL_ONLINE = {
  RECOVER_MONITOR_STATE: 0x01,
  IGNORE_RESOURCE_STATUS: 0x02,
  RETURN_TO_SOURCE_NODE_ON_ERROR: 0x04,
  RESTORE_ONLINE_STATE: 0x08,
  IGNORE_NETWORK_CONNECTIVITY: 0x10,
} as const;

export const CLUS_RESDLL_OFFLINE = {
  IGNORE_RESOURCE_STATUS: 0x01,
  RETURN_TO_SOURCE_NODE_ON_ERROR: 0x02,
  QUEUE_ENABLED: 0x04,
  RETURNING_TO_SOURCE_NODE_BECAUSE_OF_ERROR: 0x08,
  DUE_TO_EMBEDDED_FAILURE: 0x10,
  IGNORE_NETWORK_CONNECTIVITY: 0x20,
  DO_NOT_UPDATE_PERSISTENT_STATE: 0x40,
} as const;

export const CLUSRESDLL_STATUS = {
  OFFLINE_BUSY: 0x1,
  OFFLINE_SOURCE_THROTTLED: 0x2,
  OFFLINE_DESTINATION_THROTTLED: 0x4,
  OFFLINE_DESTINATION_REJECTED: 0x8,
  INSUFFICIENT_MEMORY: 0x10,
  INSUFFICIENT_PROCESSOR: 0x20,
  INSUFFICIENT_OTHER_RESOURCES: 0x40,
  INVALID_PARAMETERS: 0x80,
  NETWORK_NOT_AVAILABLE: 0x100,
  DO_NOT_COLLECT_WER_REPORT: 0x40000000,
  DUMP_NOW: 0x80000000,
} as const;

/** ClusApi.h's CLUSTER_RESOURCE_STATE_CHANGE_REASON, in enum order (eResourceStateChangeReasonUnknown = 0 ...). */
export const STATE_CHANGE_REASONS = ['unknown', 'move', 'failover', 'failedMove', 'shutdown', 'rundown'] as const;
