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

enum class SlotState : uint32_t { Offline = 0, OnlinePending, Online, OfflinePending, Failed };

// Which operation of a resource is current (its generation: bumped by every Online, Offline and
// Terminate) and the state it has left the resource in, as one atomic word. A result of the host
// is matched to its operation and applied in one step: with the generation and the state in two
// atomics, a superseded Online's result could pass the generation check, then find the state
// still OnlinePending in the instant between the next Offline's generation bump and its state
// store, and report Online to a cluster waiting for Offline (seen in a mock chaos run, where a
// monitor called Offline on a resource failed by its pending timeout before Terminate ran).
// Lock-free: Terminate uses it.
class SlotPhase {
 public:
  struct Value {
    uint32_t generation;
    SlotState state;
  };

  Value load() const { return unpack(word_.load()); }
  uint32_t generation() const { return load().generation; }
  SlotState state() const { return load().state; }

  // A new operation that leaves the resource in `state`; returns the new generation and the
  // state before it.
  Value begin(SlotState state) {
    uint64_t old = word_.load();
    while (!word_.compare_exchange_weak(old, pack({unpack(old).generation + 1, state}))) {
    }
    Value before = unpack(old);
    return {before.generation + 1, before.state};
  }
  // The operation of generation `generation` moves the resource from `expected` to `next`;
  // false (and nothing changes) if that operation was superseded or the state is another.
  bool finish(uint32_t generation, SlotState expected, SlotState next) {
    uint64_t want = pack({generation, expected});
    return word_.compare_exchange_strong(want, pack({generation, next}));
  }
  // Whatever operation is current: `expected` becomes `next` (a failure found while online).
  bool change(SlotState expected, SlotState next) {
    uint64_t old = word_.load();
    while (unpack(old).state == expected)
      if (word_.compare_exchange_weak(old, pack({unpack(old).generation, next}))) return true;
    return false;
  }

 private:
  static uint64_t pack(Value v) { return (uint64_t{v.generation} << 32) | static_cast<uint32_t>(v.state); }
  static Value unpack(uint64_t w) { return {static_cast<uint32_t>(w >> 32), static_cast<SlotState>(w & 0xFFFFFFFFu)}; }
  static_assert(std::atomic<uint64_t>::is_always_lock_free, "Terminate's path needs a lock-free 64-bit atomic");
  std::atomic<uint64_t> word_{0};
};

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
  // A result tagged with an older generation belongs to an operation that was superseded and is
  // dropped.
  SlotPhase phase;
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
