// A manual-reset event: once signalled it stays signalled until RHS has seen it (contract §3.3).
#include "failure_event.h"

namespace wsfc::platform {

HANDLE failureEventCreate() { return CreateEventW(nullptr, TRUE, FALSE, nullptr); }
void failureEventSet(HANDLE h) {
  if (h) SetEvent(h);
}
void failureEventReset(HANDLE h) {
  if (h) ResetEvent(h);
}
bool failureEventIsSet(HANDLE h) { return h && WaitForSingleObject(h, 0) == WAIT_OBJECT_0; }
void failureEventClose(HANDLE h) {
  if (h) CloseHandle(h);
}

}  // namespace wsfc::platform
