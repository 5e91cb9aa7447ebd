#include <atomic>
#include <new>

#include "failure_event.h"

namespace wsfc::platform {

namespace {
struct PosixEvent {
  // Lets a stale or foreign pointer be recognised in debug checks instead of being trusted.
  uint32_t magic = 0x45565446;  // "FTVE"
  std::atomic<bool> set{false};
};
PosixEvent* asEvent(HANDLE h) {
  auto* e = static_cast<PosixEvent*>(h);
  return (e && e->magic == 0x45565446) ? e : nullptr;
}
}  // namespace

HANDLE failureEventCreate() { return new (std::nothrow) PosixEvent(); }
void failureEventSet(HANDLE h) {
  if (auto* e = asEvent(h)) e->set.store(true);
}
void failureEventReset(HANDLE h) {
  if (auto* e = asEvent(h)) e->set.store(false);
}
bool failureEventIsSet(HANDLE h) {
  auto* e = asEvent(h);
  return e && e->set.load();
}
void failureEventClose(HANDLE h) {
  if (auto* e = asEvent(h)) {
    e->magic = 0;
    delete e;
  }
}

}  // namespace wsfc::platform
