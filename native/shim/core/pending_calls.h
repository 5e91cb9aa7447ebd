// Requests sent to the host that still expect a Result frame, by request id. Entry points that
// wait (health checks, controls, close) hold a CallWaiter; Online/Offline do not wait, their
// result is reported through SetResourceStatus by the reader thread.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/deadline.h"

namespace wsfc::shim {

enum class CallKind { Open, Online, Offline, LooksAlive, IsAlive, Control, TypeControl, Close };

// Terminate acks carry this request id; they are matched by slot and generation instead, so the
// Terminate path never touches this table's lock.
constexpr uint32_t kTerminateRequest = 0xFFFFFFFFu;

class CallWaiter {
 public:
  void complete(uint32_t status, std::vector<uint8_t> output);
  // True if completed before the deadline; status/output are valid then.
  bool waitUntil(const Deadline& d);
  uint32_t status() const { return status_; }
  std::vector<uint8_t>& output() { return output_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  uint32_t status_ = 0;
  std::vector<uint8_t> output_;
};

struct PendingCall {
  CallKind kind = CallKind::Open;
  uint32_t slot = 0;
  uint32_t generation = 0;
  std::shared_ptr<CallWaiter> waiter;  // may be null
  // The host connection the request went to (HostLink::epoch): losing that host fails it, and
  // only that host's loss does.
  uint64_t epoch = 0;
};

class PendingCalls {
 public:
  uint32_t add(PendingCall call);
  bool take(uint32_t request, PendingCall& out);
  std::vector<PendingCall> takeAll();
  // The requests sent to connections up to and including epoch.
  std::vector<PendingCall> takeUpTo(uint64_t epoch);
  void dropSlot(uint32_t slot);
  size_t size();

 private:
  std::mutex mu_;
  std::unordered_map<uint32_t, PendingCall> calls_;
  uint32_t next_ = 1;
};

}  // namespace wsfc::shim
