// The monitor's callbacks as handed to Startup (V1: SetResourceStatus + LogEvent) or StartupEx
// (V2: the callback table), behind one interface so the rest of the shim does not care which.
#pragma once
#include <string>

#include "common/resapi_abi.h"

namespace wsfc::shim {

class MonitorCallbacks {
 public:
  static MonitorCallbacks v1(PSET_RESOURCE_STATUS_ROUTINE setStatus, PLOG_EVENT_ROUTINE logEvent);
  static MonitorCallbacks v2(const CLRES_CALLBACK_FUNCTION_TABLE* table);

  bool isV2() const { return version_ == CLRES_VERSION_V2_00; }
  DWORD version() const { return version_; }

  // Returns the monitor's RESOURCE_EXIT_STATE (Terminate = stop working on this operation).
  DWORD reportStatus(RESOURCE_HANDLE h, CLUSTER_RESOURCE_STATE state, DWORD checkPoint,
                     HANDLE failureEvent, DWORD appErrorCode, DWORD statusFlags = 0) const;
  // One line to the cluster log through a fixed "%1" format, so a '%' in the message is text,
  // never a format directive (resdll-contract.md §13.7). Truncated to 500 characters (§10.5).
  void log(RESOURCE_HANDLE h, LOG_LEVEL level, const std::string& utf8) const;
  // V2: SignalFailure. Returns false on V1, where the caller signals its failure event instead.
  bool signalFailure(RESOURCE_HANDLE h, DWORD appErrorCode) const;

 private:
  DWORD version_ = 0;
  PSET_RESOURCE_STATUS_ROUTINE setStatus_ = nullptr;
  PSET_RESOURCE_STATUS_ROUTINE_EX setStatusEx_ = nullptr;
  PLOG_EVENT_ROUTINE logEvent_ = nullptr;
  PSIGNAL_FAILURE_ROUTINE signalFailure_ = nullptr;
};

}  // namespace wsfc::shim
