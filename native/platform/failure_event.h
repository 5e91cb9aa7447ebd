// The "resource failed" event of the V1 Resource API: a HANDLE the DLL hands to RHS (Online's
// EventHandle, RESOURCE_STATUS.EventHandle) and signals when it detects a failure later
// (resdll-contract.md §3.3). On Windows it is a real manual-reset event; on POSIX a small object
// the mock monitor can poll and wait on through the same functions.
#pragma once
#include <cstdint>

#include "common/resapi_abi.h"

namespace wsfc::platform {

HANDLE failureEventCreate();
void failureEventSet(HANDLE h);
void failureEventReset(HANDLE h);
bool failureEventIsSet(HANDLE h);
void failureEventClose(HANDLE h);

}  // namespace wsfc::platform
