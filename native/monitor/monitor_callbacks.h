// The callbacks the mock monitor hands to Startup/StartupEx, as RHS would: SetResourceStatus(Ex),
// LogEvent (with a small FormatMessage), SignalFailure. RESOURCE_HANDLE is the monitor's Resource.
#pragma once
#include <cstddef>

#include "common/resapi_abi.h"

namespace wsfc::monitor {

class Monitor;

// slot: from attachMonitor. A type-level LogEvent (no resource handle) through these reaches the
// monitor of that slot only, as a line logged in one RHS process stays in that process.
PSET_RESOURCE_STATUS_ROUTINE setResourceStatusCallback();
PLOG_EVENT_ROUTINE logEventCallback(size_t slot);
CLRES_CALLBACK_FUNCTION_TABLE* callbackTable(size_t slot);

// Gives the monitor a callback slot of its own. Past a few hundred live monitors in one process,
// the rest share one slot whose type-level lines go to each of them.
size_t attachMonitor(Monitor* m);
void detachMonitor(Monitor* m, size_t slot);

}  // namespace wsfc::monitor
