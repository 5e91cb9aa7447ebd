// One resource instance inside the shim: what RHS knows as its RESID.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "platform/semaphore.h"
#include "op_lock.h"
#include "shim/properties/property_store.h"
#include "common/resapi_abi.h"

namespace wsfc::shim {

class TypeRuntime;

enum class SlotState : int { Offline = 0, OnlinePending, Online, OfflinePending, Failed };

// The last answer of one health check and the request that is still out, if any. A slow check
// is not sent twice: later callers wait for the one in flight (DESIGN §3, IsAlive row).
struct HealthProbe {
  std::mutex mu;
  std::condition_variable cv;
  bool inFlight = false;
  // Changed under mu; atomic so a caller may watch it without the lock (TypeRuntime::checkHealth).
  std::atomic<uint64_t> completions{0};
  bool last = true;           // before any answer: the resource just came online
  bool callerGaveUp = false;  // the entry point returned a cached answer; the real one is late
};

struct Slot {
  Slot(TypeRuntime* rt, uint32_t slotId, std::string resName, RESOURCE_HANDLE h,
       std::unique_ptr<PropertyStore> propertyStore, DWORD openV2Flags)
      : runtime(rt), id(slotId), handle(h), store(std::move(propertyStore)), openFlags(openV2Flags),
        name_(std::move(resName)) {}

  // CLUSCTL_RESOURCE_SET_NAME renames the resource while it is open.
  std::string currentName() const {
    std::lock_guard<std::mutex> lock(nameMu_);
    return name_;
  }
  void rename(std::string name) {
    std::lock_guard<std::mutex> lock(nameMu_);
    name_ = std::move(name);
  }

  TypeRuntime* const runtime;
  const uint32_t id;
  const RESOURCE_HANDLE handle;
  const std::unique_ptr<PropertyStore> store;
  const DWORD openFlags;  // OpenV2's (CLUS_RESDLL_OPEN_*); 0 on V1

  // Serialises this resource's entry points other than Terminate (DESIGN §1).
  OpLock opMutex;
  // Bumped by every Online, Offline and Terminate: a result tagged with an older generation
  // belongs to an operation that was superseded and is dropped.
  std::atomic<uint32_t> generation{0};
  std::atomic<SlotState> state{SlotState::Offline};
  std::atomic<uint32_t> checkpoint{0};
  // The host connection (HostLink::epoch) the resource's last request went to (an Online, a
  // control, ...): the host that may run what the resource started, which Terminate must stop.
  std::atomic<uint64_t> hostEpoch{0};

  HealthProbe looksAlive;
  HealthProbe isAlive;
  platform::Semaphore terminateAck;
  // V1 only: the event returned from Online and signalled when a failure is found later.
  HANDLE failureEvent = nullptr;

 private:
  mutable std::mutex nameMu_;
  std::string name_;
};

}  // namespace wsfc::shim
