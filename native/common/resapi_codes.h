// The Resource API's flag sets and the state-change reason's input, which the shim passes to the
// host. Values from the SDK headers (microsoft/win32metadata, SDK 10.0.26100: resapi.h for
// CLUS_RESDLL_* and CLUSRESDLL_STATUS_*, ClusApi.h for the CLUSCTL_* codes and
// CLUSCTL_RESOURCE_STATE_CHANGE_REASON_STRUCT), as listed in resdll-contract.md §3, §7.3, §7.4,
// §11.2. lib/resapi-flags.ts exports the same numbers; test/unit/resapi-flags.test.ts checks
// them against the contract.
#pragma once
#include <cstddef>

#include "common/clusctl.h"
#include "common/resapi_abi.h"

namespace wsfc {

// OpenV2 / OnlineV2 / OfflineV2 flags: passed to the handlers as they came (ctx.flags).
constexpr DWORD CLUS_RESDLL_OPEN_RECOVER_MONITOR_STATE = 0x1;
constexpr DWORD CLUS_RESDLL_OPEN_DONT_DELETE_TEMP_DISK = 0x2;
constexpr DWORD CLUS_RESDLL_ONLINE_RECOVER_MONITOR_STATE = 0x01;
constexpr DWORD CLUS_RESDLL_ONLINE_IGNORE_RESOURCE_STATUS = 0x02;
constexpr DWORD CLUS_RESDLL_ONLINE_RETURN_TO_SOURCE_NODE_ON_ERROR = 0x04;
constexpr DWORD CLUS_RESDLL_ONLINE_RESTORE_ONLINE_STATE = 0x08;
constexpr DWORD CLUS_RESDLL_ONLINE_IGNORE_NETWORK_CONNECTIVITY = 0x10;
constexpr DWORD CLUS_RESDLL_OFFLINE_IGNORE_RESOURCE_STATUS = 0x01;
constexpr DWORD CLUS_RESDLL_OFFLINE_RETURN_TO_SOURCE_NODE_ON_ERROR = 0x02;
constexpr DWORD CLUS_RESDLL_OFFLINE_QUEUE_ENABLED = 0x04;
constexpr DWORD CLUS_RESDLL_OFFLINE_RETURNING_TO_SOURCE_NODE_BECAUSE_OF_ERROR = 0x08;
constexpr DWORD CLUS_RESDLL_OFFLINE_DUE_TO_EMBEDDED_FAILURE = 0x10;
constexpr DWORD CLUS_RESDLL_OFFLINE_IGNORE_NETWORK_CONNECTIVITY = 0x20;
constexpr DWORD CLUS_RESDLL_OFFLINE_DO_NOT_UPDATE_PERSISTENT_STATE = 0x40;

// RESOURCE_STATUS_EX.Flags: what a handler's ResourceError may carry (statusFlags).
constexpr DWORD CLUSRESDLL_STATUS_OFFLINE_BUSY = 0x1;
constexpr DWORD CLUSRESDLL_STATUS_OFFLINE_SOURCE_THROTTLED = 0x2;
constexpr DWORD CLUSRESDLL_STATUS_OFFLINE_DESTINATION_THROTTLED = 0x4;
constexpr DWORD CLUSRESDLL_STATUS_OFFLINE_DESTINATION_REJECTED = 0x8;
constexpr DWORD CLUSRESDLL_STATUS_INSUFFICIENT_MEMORY = 0x10;
constexpr DWORD CLUSRESDLL_STATUS_INSUFFICIENT_PROCESSOR = 0x20;
constexpr DWORD CLUSRESDLL_STATUS_INSUFFICIENT_OTHER_RESOURCES = 0x40;
constexpr DWORD CLUSRESDLL_STATUS_INVALID_PARAMETERS = 0x80;
constexpr DWORD CLUSRESDLL_STATUS_NETWORK_NOT_AVAILABLE = 0x100;
constexpr DWORD CLUSRESDLL_STATUS_DO_NOT_COLLECT_WER_REPORT = 0x40000000;
constexpr DWORD CLUSRESDLL_STATUS_DUMP_NOW = 0x80000000;

// CLUS_CHAR_REQUIRES_STATE_CHANGE_REASON: the type wants CLUSCTL_RESOURCE_STATE_CHANGE_REASON.
constexpr DWORD CLUS_CHAR_REQUIRES_STATE_CHANGE_REASON = 0x10;

// The control code layout (resdll-contract.md §7.1): object << 24 | modify << 22 | internal << 20 |
// fn << 2 | access; the notification codes in common/clusctl.h follow it.
constexpr DWORD clusctlInternalCode(DWORD object, DWORD function, DWORD access, DWORD modify) {
  return (object << 24) | (modify << 22) | (1u << 20) | (function << 2) | access;
}
static_assert(clusctl::RESOURCE_DELETE == clusctlInternalCode(1, 1, 2, 1), "CLCTL_DELETE");
static_assert(clusctl::RESOURCE_SET_NAME == clusctlInternalCode(1, 9, 2, 1), "CLCTL_SET_NAME");
static_assert(clusctl::RESOURCE_STATE_CHANGE_REASON == clusctlInternalCode(1, 19, 2, 1), "CLCTL_STATE_CHANGE_REASON");
static_assert(clusctl::RESOURCE_TYPE_STARTING_PHASE2 == clusctlInternalCode(2, 14, 2, 1), "CLCTL_STARTING_PHASE2");
static_assert(clusctl::RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN == clusctlInternalCode(2, 32, 1, 0),
              "CLCTL_NOTIFY_MONITOR_SHUTTING_DOWN");

// ClusApi.h: the input of CLUSCTL_RESOURCE_STATE_CHANGE_REASON.
enum CLUSTER_RESOURCE_STATE_CHANGE_REASON : int {
  eResourceStateChangeReasonUnknown = 0,
  eResourceStateChangeReasonMove = 1,
  eResourceStateChangeReasonFailover = 2,
  eResourceStateChangeReasonFailedMove = 3,
  eResourceStateChangeReasonShutdown = 4,
  eResourceStateChangeReasonRundown = 5,
};
constexpr DWORD CLUSCTL_RESOURCE_STATE_CHANGE_REASON_VERSION_1 = 1;
struct CLUSCTL_RESOURCE_STATE_CHANGE_REASON_STRUCT {
  DWORD dwSize;
  DWORD dwVersion;
  CLUSTER_RESOURCE_STATE_CHANGE_REASON eReason;
};
static_assert(sizeof(CLUSCTL_RESOURCE_STATE_CHANGE_REASON_STRUCT) == 12, "STATE_CHANGE_REASON_STRUCT size");
static_assert(offsetof(CLUSCTL_RESOURCE_STATE_CHANGE_REASON_STRUCT, eReason) == 8, "STATE_CHANGE_REASON_STRUCT.eReason");


}  // namespace wsfc
