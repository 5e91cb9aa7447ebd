#include "monitor_callbacks.h"

#include "common/text.h"

namespace wsfc::shim {

constexpr size_t kLogEventMaxChars = 500;

MonitorCallbacks MonitorCallbacks::v1(PSET_RESOURCE_STATUS_ROUTINE setStatus, PLOG_EVENT_ROUTINE logEvent) {
  MonitorCallbacks c;
  c.version_ = CLRES_VERSION_V1_00;
  c.setStatus_ = setStatus;
  c.logEvent_ = logEvent;
  return c;
}

MonitorCallbacks MonitorCallbacks::v2(const CLRES_CALLBACK_FUNCTION_TABLE* table) {
  MonitorCallbacks c;
  c.version_ = CLRES_VERSION_V2_00;
  // Copy only the members that exist in every V2 host's table (see resapi_abi.h).
  c.logEvent_ = table->LogEvent;
  c.setStatusEx_ = table->SetResourceStatusEx;
  c.signalFailure_ = table->SignalFailure;
  return c;
}

DWORD MonitorCallbacks::reportStatus(RESOURCE_HANDLE h, CLUSTER_RESOURCE_STATE state, DWORD checkPoint,
                                     HANDLE failureEvent, DWORD appErrorCode, DWORD statusFlags) const {
  if (isV2()) {
    if (!setStatusEx_) return ResourceExitStateContinue;
    RESOURCE_STATUS_EX s{};
    s.ResourceState = state;
    s.CheckPoint = checkPoint;
    s.EventHandle = failureEvent;
    s.ApplicationSpecificErrorCode = appErrorCode;
    s.Flags = statusFlags;  // CLUSRESDLL_STATUS_* (resapi_codes.h)
    return setStatusEx_(h, &s);
  }
  if (!setStatus_) return ResourceExitStateContinue;
  RESOURCE_STATUS s{};
  s.ResourceState = state;
  s.CheckPoint = checkPoint;
  s.EventHandle = failureEvent;
  return setStatus_(h, &s);
}

void MonitorCallbacks::log(RESOURCE_HANDLE h, LOG_LEVEL level, const std::string& utf8) const {
  if (!logEvent_) return;
  u16string_t msg = truncateUtf16(toUtf16(utf8), kLogEventMaxChars);
  logEvent_(h, level, WSFC_W("%1!ws!\n"), msg.c_str());
}

bool MonitorCallbacks::signalFailure(RESOURCE_HANDLE h, DWORD appErrorCode) const {
  if (!isV2() || !signalFailure_) return false;
  signalFailure_(h, FAILURE_TYPE_GENERAL, appErrorCode);
  return true;
}

}  // namespace wsfc::shim
