// The callbacks the mock monitor hands to Startup/StartupEx, as RHS would: SetResourceStatus(Ex),
// LogEvent (with a small FormatMessage), SignalFailure. RESOURCE_HANDLE is the monitor's Resource.
#pragma once
#include "common/resapi_abi.h"

namespace wsfc::monitor {

class Monitor;

PSET_RESOURCE_STATUS_ROUTINE setResourceStatusCallback();
PLOG_EVENT_ROUTINE logEventCallback();
CLRES_CALLBACK_FUNCTION_TABLE* callbackTable();

// LogEvent calls without a resource handle (type-level lines) have no owner; they go to every
// live monitor in the process.
void attachMonitor(Monitor* m);
void detachMonitor(Monitor* m);

}  // namespace wsfc::monitor
