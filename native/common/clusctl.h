// The cluster control codes the native code handles, under their SDK names without the CLUSCTL_
// prefix (values as ClusApi.h's CLUSCTL_* macros evaluate them; resdll-contract.md §7). The one
// table for C++: lib/clusctl.ts is TypeScript's, and test/unit/control-codes.test.ts checks that
// every code here has the same name and value there.
#pragma once
#include "common/resapi_abi.h"

namespace wsfc::clusctl {

// Resource codes the shim answers from the manifest and the property store (§7.3).
constexpr DWORD RESOURCE_UNKNOWN = 0x01000000;
constexpr DWORD RESOURCE_GET_CHARACTERISTICS = 0x01000005;
constexpr DWORD RESOURCE_GET_FLAGS = 0x01000009;
constexpr DWORD RESOURCE_GET_CLASS_INFO = 0x0100000D;
constexpr DWORD RESOURCE_GET_REQUIRED_DEPENDENCIES = 0x01000011;
constexpr DWORD RESOURCE_ENUM_PRIVATE_PROPERTIES = 0x01000079;
constexpr DWORD RESOURCE_GET_RO_PRIVATE_PROPERTIES = 0x0100007D;
constexpr DWORD RESOURCE_GET_PRIVATE_PROPERTIES = 0x01000081;
constexpr DWORD RESOURCE_SET_PRIVATE_PROPERTIES = 0x01400086;
constexpr DWORD RESOURCE_VALIDATE_PRIVATE_PROPERTIES = 0x01000089;
constexpr DWORD RESOURCE_GET_PRIVATE_PROPERTY_FMTS = 0x0100008D;

// Resource type codes the shim answers (§7.4).
constexpr DWORD RESOURCE_TYPE_UNKNOWN = 0x02000000;
constexpr DWORD RESOURCE_TYPE_GET_CHARACTERISTICS = 0x02000005;
constexpr DWORD RESOURCE_TYPE_GET_FLAGS = 0x02000009;
constexpr DWORD RESOURCE_TYPE_GET_CLASS_INFO = 0x0200000D;
constexpr DWORD RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES = 0x02000011;
constexpr DWORD RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES = 0x02000079;
constexpr DWORD RESOURCE_TYPE_GET_RO_PRIVATE_PROPERTIES = 0x0200007D;
constexpr DWORD RESOURCE_TYPE_GET_PRIVATE_PROPERTIES = 0x02000081;
constexpr DWORD RESOURCE_TYPE_SET_PRIVATE_PROPERTIES = 0x02400086;
constexpr DWORD RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES = 0x02000089;
constexpr DWORD RESOURCE_TYPE_GET_PRIVATE_PROPERTY_FMTS = 0x0200008D;
constexpr DWORD RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS = 0x02000091;
// The cluster's start-up phases, which the runtime forwards to the host as well (§7.4).
constexpr DWORD RESOURCE_TYPE_STARTING_PHASE1 = 0x02500036;
constexpr DWORD RESOURCE_TYPE_STARTING_PHASE2 = 0x0250003A;

// The cluster's notifications (internal codes), forwarded to the type's and resources' hooks
// (§7.3, §7.4), and the state-change reason the shim hands to the next Offline or Terminate.
constexpr DWORD RESOURCE_DELETE = 0x01500006;
constexpr DWORD RESOURCE_INSTALL_NODE = 0x0150000A;
constexpr DWORD RESOURCE_EVICT_NODE = 0x0150000E;
constexpr DWORD RESOURCE_ADD_DEPENDENCY = 0x01500012;
constexpr DWORD RESOURCE_REMOVE_DEPENDENCY = 0x01500016;
constexpr DWORD RESOURCE_ADD_OWNER = 0x0150001A;
constexpr DWORD RESOURCE_REMOVE_OWNER = 0x0150001E;
constexpr DWORD RESOURCE_SET_NAME = 0x01500026;
constexpr DWORD RESOURCE_CLUSTER_NAME_CHANGED = 0x0150002A;
constexpr DWORD RESOURCE_STATE_CHANGE_REASON = 0x0150004E;
constexpr DWORD RESOURCE_TYPE_INSTALL_NODE = 0x0250000A;
constexpr DWORD RESOURCE_TYPE_EVICT_NODE = 0x0250000E;
constexpr DWORD RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN = 0x02100081;

// A resource notification the host's hooks answer (SET_NAME also renames the slot).
constexpr bool isResourceNotification(DWORD code) {
  switch (code) {
    case RESOURCE_DELETE:
    case RESOURCE_INSTALL_NODE:
    case RESOURCE_EVICT_NODE:
    case RESOURCE_ADD_DEPENDENCY:
    case RESOURCE_REMOVE_DEPENDENCY:
    case RESOURCE_ADD_OWNER:
    case RESOURCE_REMOVE_OWNER:
    case RESOURCE_SET_NAME:
    case RESOURCE_CLUSTER_NAME_CHANGED:
      return true;
    default:
      return false;
  }
}

}  // namespace wsfc::clusctl
