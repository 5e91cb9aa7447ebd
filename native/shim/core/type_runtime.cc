#include "type_runtime.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "common/clusctl.h"
#include "common/resapi_codes.h"
#include "platform/failure_event.h"
#include "protocol/messages.h"
#include "shim/properties/private_properties.h"
#include "common/text.h"

namespace wsfc::shim {

namespace {

using protocol::FrameType;

constexpr DWORD kClctlUserBit = 1u << 21;
constexpr DWORD kErrorNotReady = 21;
// Completion status of requests that died with their host.
constexpr uint32_t kHostGone = 0xFFFFFFFFu;

// Mock mode with the host in this process: an answer takes tens of microseconds, about what it
// takes to wake a blocked thread on an idle virtual CPU. A health check therefore watches for it
// this long before it blocks, yielding the CPU to any thread that is ready to run (the JS thread,
// if it shares the core). One caller at a time (spinner): with many calls in flight the JS thread
// is busy anyway and needs the CPUs. Never with a host process: there the answer takes longer,
// and an RHS thread has no business spinning.
constexpr auto kInProcessSpin = std::chrono::microseconds(50);

template <class Done>
void spinBriefly(std::atomic<bool>& spinner, const Deadline& deadline, Done done) {
  bool idle = false;
  if (!spinner.compare_exchange_strong(idle, true)) return;
  auto until = std::min(Clock::now() + kInProcessSpin, deadline.at);
  while (!done() && Clock::now() < until) std::this_thread::yield();
  spinner.store(false);
}

uint32_t u32At(const std::vector<uint8_t>& v, size_t offset) {
  uint32_t x;
  std::memcpy(&x, v.data() + offset, sizeof x);  // little-endian, as the frames
  return x;
}

// A NUL-terminated UTF-16 string filling (at most) an input buffer, as UTF-8; false if empty or
// not terminated.
bool decodeWideString(const void* in, DWORD inSize, std::string& out) {
  if (!in || inSize < 2 * sizeof(WCHAR_T) || inSize % sizeof(WCHAR_T) != 0) return false;
  u16string_t s(inSize / sizeof(WCHAR_T), 0);
  std::memcpy(&s[0], in, inSize);
  size_t end = s.find(WCHAR_T(0));
  if (end == u16string_t::npos || end == 0) return false;
  s.resize(end);
  out = toUtf8(s);
  return true;
}

const char* kindName(CallKind k) {
  switch (k) {
    case CallKind::LooksAlive: return "LooksAlive";
    case CallKind::IsAlive: return "IsAlive";
    default: return "call";
  }
}

}  // namespace

TypeRuntime::TypeRuntime(TypeConfig config, MonitorCallbacks callbacks)
    : config_(std::move(config)),
      callbacks_(callbacks),
      link_(config_, callbacks.version(), *this) {}

TypeRuntime::~TypeRuntime() { stop(); }

void TypeRuntime::start() {
  link_.start();
  ensureHost(Deadline::in(0));
}

void TypeRuntime::stop() {
  link_.stop();
  for (auto& call : pending_.takeAll())
    if (call.waiter) call.waiter->complete(kHostGone, {});
  std::lock_guard<std::mutex> lock(slotsMu_);
  for (auto& kv : slots_)
    if (kv.second->failureEvent) platform::failureEventClose(kv.second->failureEvent);
  slots_.clear();
}

void TypeRuntime::log(Slot* slot, LOG_LEVEL level, const std::string& message) const {
  callbacks_.log(slot ? slot->handle : nullptr, level, message);
}

// A host that is still starting counts: frames queue behind the handshake and the caller's
// deadline bounds the wait. Only a host that is down answers at once.
bool TypeRuntime::hostUsable() const {
  auto s = link_.state();
  return s == HostLink::State::Ready || s == HostLink::State::Connecting;
}

// Tracks a request that expects a Result under the connection it goes to, then sends it. If that
// host is lost meanwhile, the request fails with it (HostLink::sweepIfLost covers the loss being
// handled between the two steps). Entry points other than Terminate only: the frame may be
// written on this thread (HostLink::sendNow).
uint32_t TypeRuntime::sendRequest(PendingCall call, const std::function<protocol::Frame(uint32_t)>& encode) {
  uint64_t epoch = link_.epoch();
  call.epoch = epoch;
  if (call.slot != 0)
    if (auto slot = findSlot(call.slot)) slot->hostEpoch.store(epoch);
  uint32_t req = pending_.add(std::move(call));
  link_.sendNow(encode(req));
  link_.sweepIfLost(epoch);
  return req;
}

// A request whose host went away: its caller learns that now instead of at its deadline.
void TypeRuntime::failRequest(const PendingCall& call) {
  if (call.waiter) call.waiter->complete(kHostGone, {});
  auto slot = call.slot ? findSlot(call.slot) : nullptr;
  if (!slot) return;
  switch (call.kind) {
    case CallKind::Online:
    case CallKind::Offline:
      completeOperation(*slot, call, kErrorResourceFailed, kErrorResourceFailed, 0);
      break;
    case CallKind::LooksAlive:
      completeHealth(*slot, slot->looksAlive, false, true);
      break;
    case CallKind::IsAlive:
      completeHealth(*slot, slot->isAlive, false, true);
      break;
    default:
      break;
  }
}

std::shared_ptr<Slot> TypeRuntime::findSlot(uint32_t id) {
  std::lock_guard<std::mutex> lock(slotsMu_);
  auto it = slots_.find(id);
  return it == slots_.end() ? nullptr : it->second;
}

Deadline TypeRuntime::entryBudget() const {
  constexpr uint32_t kWrapUpMs = 10;
  uint32_t ms = config_.deadlines.entryBudgetMs;
  return Deadline::in(ms > 2 * kWrapUpMs ? ms - kWrapUpMs : ms);
}

bool TypeRuntime::readStored(Slot& slot, std::vector<proplist::Property>& out, std::string& why) {
  std::vector<uint8_t> bytes;
  out.clear();
  if (!slot.store->readAll(bytes)) {
    why = "the property store could not be read";
    return false;
  }
  std::string malformed;
  if (!props::decodeStored(bytes, out, malformed)) log(&slot, LOG_WARNING, malformed + "; ignoring them");
  props::coerceToSchema(config_.schema, out);
  return true;
}

protocol::Frame TypeRuntime::openFrame(Slot& slot) {
  protocol::OpenMsg m;
  m.name = slot.currentName();
  m.flags = slot.openFlags;
  std::vector<proplist::Property> stored;
  std::string why;
  if (readStored(slot, stored, why)) m.properties = proplist::encode(stored);
  return protocol::encode(slot.id, slot.phase.generation(), 0, m);
}

void TypeRuntime::ensureHost(const Deadline& dyingWait) {
  link_.ensureHost(
      [this](channel::FrameConnection& c) {
        // A new host knows nothing: re-open every resource before anything else reaches it.
        std::lock_guard<std::mutex> lock(slotsMu_);
        for (auto& kv : slots_) c.send(openFrame(*kv.second));
      },
      dyingWait);
}

RESID TypeRuntime::open(LPCWSTR name, HKEY key, RESOURCE_HANDLE handle, DWORD flags) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(slotsMu_);
    uint32_t id = nextSlot_++;
    slot = std::make_shared<Slot>(this, id, toUtf8(name), handle, openPropertyStore(key, config_.mockPropertyStore), flags);
    if (!callbacks_.isV2()) slot->failureEvent = platform::failureEventCreate();
    slots_[id] = slot;
  }
  // While no host is up, the next Online starts one and re-opens every slot then.
  if (link_.state() != HostLink::State::Down) link_.send(openFrame(*slot));
  return slot.get();
}

void TypeRuntime::close(Slot* raw) {
  auto budget = entryBudget();
  auto slot = findSlot(raw->id);
  if (!slot) return;
  std::unique_lock<OpLock> op(slot->opMutex, std::defer_lock);
  bool locked = op.try_lock_until(budget.at);
  if (slot->phase.state() != SlotState::Offline) terminateLockFree(slot.get(), budget.earlier(100));
  if (hostUsable()) {
    auto waiter = std::make_shared<CallWaiter>();
    uint32_t gen = slot->phase.generation();
    sendRequest({CallKind::Close, slot->id, gen, waiter},
                [&](uint32_t req) { return protocol::encodeEmpty(FrameType::Close, slot->id, gen, req); });
    if (!waiter->waitUntil(budget)) log(slot.get(), LOG_WARNING, "host did not acknowledge Close in time; freeing the resource anyway");
  }
  {
    std::lock_guard<std::mutex> lock(slotsMu_);
    slots_.erase(slot->id);
  }
  pending_.dropSlot(slot->id);
  if (slot->failureEvent) platform::failureEventClose(slot->failureEvent);
  slot->failureEvent = nullptr;
  if (locked) op.unlock();
}

DWORD TypeRuntime::online(Slot* slot, LPHANDLE eventHandle, DWORD flags) {
  auto budget = entryBudget();
  if (eventHandle) *eventHandle = nullptr;
  std::unique_lock<OpLock> op(slot->opMutex, std::defer_lock);
  if (!op.try_lock_until(budget.at)) {
    log(slot, LOG_ERROR, "Online: another call on this resource did not finish in time");
    return kErrorBusy;
  }
  ensureHost(budget.earlier(kDyingHostWaitMs));
  slot->checkpoint.store(0);
  uint32_t gen = slot->phase.begin(SlotState::OnlinePending).generation;
  if (slot->failureEvent) platform::failureEventReset(slot->failureEvent);
  {
    std::lock_guard<std::mutex> lock(slot->isAlive.mu);
    slot->isAlive.last = true;
  }
  {
    std::lock_guard<std::mutex> lock(slot->looksAlive.mu);
    slot->looksAlive.last = true;
  }
  protocol::OnlineMsg m;
  m.flags = flags;
  std::vector<proplist::Property> stored;
  std::string why;
  if (readStored(*slot, stored, why)) {
    m.properties = proplist::encode(stored);
  } else {
    log(slot, LOG_WARNING, "Online: " + why + "; the handler sees defaults");
  }
  sendRequest({CallKind::Online, slot->id, gen, nullptr},
              [&](uint32_t req) { return protocol::encode(slot->id, gen, req, m); });
  // V1 has no SignalFailure: hand RHS the event we signal on a failure found later (§3.3).
  if (eventHandle && !callbacks_.isV2()) *eventHandle = slot->failureEvent;
  return kErrorIoPending;
}

DWORD TypeRuntime::offline(Slot* slot, DWORD flags, const std::string& destinationNode) {
  auto budget = entryBudget();
  std::unique_lock<OpLock> op(slot->opMutex, std::defer_lock);
  if (!op.try_lock_until(budget.at)) {
    log(slot, LOG_ERROR, "Offline: another call on this resource did not finish in time");
    return kErrorBusy;
  }
  slot->checkpoint.store(0);
  uint32_t gen = slot->phase.begin(SlotState::OfflinePending).generation;
  if (link_.state() == HostLink::State::Down) {
    // No host, nothing to stop: the resource is offline. Still report through the pending
    // protocol so RHS sees one consistent pattern.
    uint32_t cp = ++slot->checkpoint;
    slot->phase.finish(gen, SlotState::OfflinePending, SlotState::Offline);
    log(slot, LOG_WARNING, "Offline: no host is running; reporting offline");
    callbacks_.reportStatus(slot->handle, ClusterResourceOffline, cp, nullptr, 0);
    return kErrorIoPending;
  }
  protocol::OfflineMsg m;
  m.flags = flags;
  m.destinationNode = destinationNode;
  sendRequest({CallKind::Offline, slot->id, gen, nullptr},
              [&](uint32_t req) { return protocol::encode(slot->id, gen, req, m); });
  return kErrorIoPending;
}

void TypeRuntime::terminate(Slot* slot) {
  terminateLockFree(slot, entryBudget());
}

// No mutex, no I/O: atomics, a wait-free queue push, a bounded semaphore wait and, if the host
// does not acknowledge in time, kill(2) / TerminateJobObject (DESIGN §3). Encoding the frame
// allocates; the allocator is the only shared state this path touches.
//
// RHS treats the resource as gone once Terminate returns and may start it on another node at
// once (resdll-contract.md §3.5: "take the resource offline immediately"). A host that has not
// run the terminate handler by then may still run what the resource started, so it is killed
// with everything it started, and its other resources see a host failure: the trade RHS makes
// with a DLL that deadlocks.
void TypeRuntime::terminateLockFree(Slot* slot, const Deadline& budget) {
  auto [gen, before] = slot->phase.begin(SlotState::Offline);
  slot->terminateAck.drain();
  // Whatever the resource started may run in the host its requests went to: an Online's work, but
  // also what a control handler started while the resource was offline. So a Terminate that host
  // does not acknowledge in time ends it. A host that is lost since may still be torn down (its
  // exit grace): it is killed now; a newer host has run nothing of the resource (its open()
  // aside) and is left alone.
  uint64_t hostEpoch = slot->hostEpoch.load();
  uint64_t epoch = link_.epoch();
  if (hostEpoch != 0 && hostEpoch != epoch) link_.killForTerminate(hostEpoch);
  auto hostState = link_.state();
  if (hostState == HostLink::State::Down || hostState == HostLink::State::Stopped) return;
  // Queued behind whatever a starting host has yet to see, so that work is aborted too.
  link_.send(protocol::encodeEmpty(FrameType::Terminate, slot->id, gen, kTerminateRequest));
  if (hostEpoch != epoch) return;
  if (hostState == HostLink::State::Connecting && !link_.hostStarted()) {
    // Nothing has run there yet; an Online queued for it would run after we return: drop it.
    if (before != SlotState::Offline) link_.killForTerminate(epoch);
    return;
  }
  // A host that has missed heartbeats (a blocked event loop) would not ack in time either.
  if (hostState != HostLink::State::Ready || link_.responsive()) {
    // The kill and the return after it must fit in the budget too, with room for a thread that
    // wakes late on a loaded machine (16 ms late, and more under a full test run, were seen on the
    // 2-core CI machine). A responsive host acks within a few milliseconds.
    constexpr uint32_t kKillMarginMs = 50;
    uint32_t waitMs = budget.earlier(config_.deadlines.terminateAckMs).remainingMs();
    waitMs = waitMs > kKillMarginMs ? waitMs - kKillMarginMs : 0;
    if (waitMs > 0 && slot->terminateAck.waitFor(waitMs)) return;
  }
  link_.killForTerminate(epoch);
}

DWORD TypeRuntime::cancel(Slot* slot) {
  auto budget = entryBudget();
  std::unique_lock<OpLock> op(slot->opMutex, std::defer_lock);
  if (!op.try_lock_until(budget.at)) return kErrorBusy;
  auto [gen, st] = slot->phase.load();
  if (st != SlotState::OnlinePending && st != SlotState::OfflinePending) return kErrorSuccess;
  // The handler sees its AbortSignal fire; its outcome (usually a rejection) is the final state.
  link_.send(protocol::encodeEmpty(FrameType::Cancel, slot->id, gen, 0));
  return kErrorSuccess;
}

BOOL TypeRuntime::looksAlive(Slot* slot) {
  auto budget = entryBudget();
  return checkHealth(slot, slot->looksAlive, CallKind::LooksAlive, config_.deadlines.looksAliveMs, budget);
}

BOOL TypeRuntime::isAlive(Slot* slot) {
  auto budget = entryBudget();
  return checkHealth(slot, slot->isAlive, CallKind::IsAlive, config_.deadlines.isAliveMs, budget);
}

BOOL TypeRuntime::checkHealth(Slot* slot, HealthProbe& probe, CallKind kind, uint32_t deadlineMs,
                              const Deadline& budget) {
  if (!hostUsable()) return FALSE;
  std::unique_lock<OpLock> op(slot->opMutex, std::defer_lock);
  if (!op.try_lock_until(budget.earlier(deadlineMs).at)) {
    std::lock_guard<std::mutex> lock(probe.mu);
    return probe.last ? TRUE : FALSE;
  }
  std::unique_lock<std::mutex> lock(probe.mu);
  uint64_t seen = probe.completions;
  if (!probe.inFlight) {
    probe.inFlight = true;
    uint32_t gen = slot->phase.generation();
    // Not under probe.mu: a request that fails at once completes the probe, which takes it.
    lock.unlock();
    sendRequest({kind, slot->id, gen, nullptr}, [&](uint32_t req) {
      return protocol::encodeEmpty(kind == CallKind::LooksAlive ? FrameType::LooksAlive : FrameType::IsAlive, slot->id,
                                   gen, req);
    });
    lock.lock();
  }
  auto until = budget.earlier(deadlineMs);
  if (link_.hostInProcess() && probe.completions.load() == seen) {
    lock.unlock();
    spinBriefly(spinner_, until, [&] { return probe.completions.load() != seen; });
    lock.lock();
  }
  if (probe.cv.wait_until(lock, until.at, [&] { return probe.completions.load() != seen; }))
    return probe.last ? TRUE : FALSE;
  probe.callerGaveUp = true;
  bool cached = probe.last;
  lock.unlock();
  log(slot, LOG_WARNING,
      std::string(kindName(kind)) + " did not answer within " + std::to_string(deadlineMs) +
          " ms; returned the last answer (" + (cached ? "TRUE" : "FALSE") + ")");
  return cached ? TRUE : FALSE;
}

void TypeRuntime::completeHealth(Slot& slot, HealthProbe& probe, bool alive, bool hostGone) {
  bool late;
  {
    std::lock_guard<std::mutex> lock(probe.mu);
    probe.inFlight = false;
    probe.last = alive;
    ++probe.completions;
    late = probe.callerGaveUp;
    probe.callerGaveUp = false;
  }
  probe.cv.notify_all();  // after unlocking: the woken caller does not block on probe.mu again
  // RHS already got the cached TRUE; a FALSE that arrives afterwards is a real failure and must
  // still reach the cluster (DESIGN §3, IsAlive row).
  if (late && !alive && !hostGone && &probe == &slot.isAlive)
    reportLateFailure(slot, kErrorResourceFailed, "IsAlive answered FALSE after its deadline");
}

void TypeRuntime::reportLateFailure(Slot& slot, DWORD code, const std::string& why) {
  if (!slot.phase.change(SlotState::Online, SlotState::Failed)) return;
  log(&slot, LOG_ERROR, "resource failed: " + why);
  if (!callbacks_.signalFailure(slot.handle, code) && slot.failureEvent)
    platform::failureEventSet(slot.failureEvent);
}

void TypeRuntime::completeOperation(Slot& slot, const PendingCall& call, uint32_t status, uint32_t appCode,
                                    uint32_t statusFlags) {
  bool isOnline = call.kind == CallKind::Online;
  auto expected = isOnline ? SlotState::OnlinePending : SlotState::OfflinePending;
  auto final = status == 0 ? (isOnline ? SlotState::Online : SlotState::Offline) : SlotState::Failed;
  // Nothing if superseded by Terminate or a newer call, or already ended (a host loss).
  if (!slot.phase.finish(call.generation, expected, final)) return;
  if (status != 0)
    log(&slot, LOG_ERROR, std::string(isOnline ? "Online" : "Offline") + " failed with error " + std::to_string(status));
  CLUSTER_RESOURCE_STATE reported = final == SlotState::Online    ? ClusterResourceOnline
                                    : final == SlotState::Offline ? ClusterResourceOffline
                                                                  : ClusterResourceFailed;
  uint32_t cp = ++slot.checkpoint;
  callbacks_.reportStatus(slot.handle, reported, cp, isOnline ? slot.failureEvent : nullptr, appCode, statusFlags);
}

DWORD TypeRuntime::resourceControl(Slot* slot, DWORD code, const void* in, DWORD inSize, void* out, DWORD outSize,
                                   LPDWORD bytesReturned) {
  auto budget = entryBudget();
  if (!bytesReturned) return kErrorInvalidParameter;
  *bytesReturned = 0;
  bool handled = false;
  DWORD rc = nativeResourceControl(slot, code, in, inSize, out, outSize, bytesReturned, budget, handled);
  if (handled) return rc;
  if (code == clusctl::RESOURCE_STATE_CHANGE_REASON) return stateChangeReason(slot, in, inSize);
  bool notification = clusctl::isResourceNotification(code);
  if (!(code & kClctlUserBit) && !notification) return kErrorInvalidFunction;  // default processing by the monitor
  std::unique_lock<OpLock> op(slot->opMutex, std::defer_lock);
  if (!op.try_lock_until(budget.at)) return kErrorBusy;
  if (!notification) return forwardControl(slot, false, code, in, inSize, out, outSize, bytesReturned, budget);
  // The cluster has made the change already (a rename is in its database): the slot follows
  // whether or not a host is there to hear of it.
  if (code == clusctl::RESOURCE_SET_NAME) {
    std::string name;
    if (!decodeWideString(in, inSize, name)) return kErrorInvalidParameter;
    slot->rename(name);
  }
  // No host, no hook to run: the monitor's default processing (none, for these codes) it is.
  if (!hostUsable()) return kErrorInvalidFunction;
  rc = forwardControl(slot, false, code, in, inSize, out, outSize, bytesReturned, budget);
  return rc == kErrorNotReady ? kErrorInvalidFunction : rc;
}

// Sent by the cluster just before Offline or Terminate, which may race a stuck operation: no op
// mutex, a lock-free send. The host hands the reason to that Offline or Terminate (the frames
// arrive in order).
DWORD TypeRuntime::stateChangeReason(Slot* slot, const void* in, DWORD inSize) {
  CLUSCTL_RESOURCE_STATE_CHANGE_REASON_STRUCT r{};
  if (!in || inSize < sizeof r) return kErrorInvalidParameter;
  std::memcpy(&r, in, sizeof r);
  if (r.dwSize != sizeof r || r.dwVersion != CLUSCTL_RESOURCE_STATE_CHANGE_REASON_VERSION_1 ||
      r.eReason < eResourceStateChangeReasonUnknown || r.eReason > eResourceStateChangeReasonRundown)
    return kErrorInvalidParameter;
  protocol::ControlMsg m{clusctl::RESOURCE_STATE_CHANGE_REASON, {}};
  m.input.assign(static_cast<const uint8_t*>(in), static_cast<const uint8_t*>(in) + sizeof r);
  link_.send(protocol::encode(slot->id, slot->phase.generation(), 0, m));
  return kErrorSuccess;
}

DWORD TypeRuntime::typeControl(DWORD code, const void* in, DWORD inSize, void* out, DWORD outSize,
                               LPDWORD bytesReturned) {
  auto budget = entryBudget();
  if (!bytesReturned) return kErrorInvalidParameter;
  *bytesReturned = 0;
  bool handled = false;
  DWORD rc = nativeTypeControl(code, in, inSize, out, outSize, bytesReturned, handled);
  if (handled) return rc;
  if (code == clusctl::RESOURCE_TYPE_STARTING_PHASE1 || code == clusctl::RESOURCE_TYPE_STARTING_PHASE2 ||
      code == clusctl::RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN) {
    // Notifications with nothing to wait for: the cluster service is starting (the host may be
    // starting too: they queue behind its handshake), or this monitor is going away.
    if (inSize > protocol::kMaxPayload - 64 || (inSize && !in)) return kErrorInvalidParameter;
    protocol::TypeControlMsg m{code, {}};
    if (inSize) m.input.assign(static_cast<const uint8_t*>(in), static_cast<const uint8_t*>(in) + inSize);
    link_.send(protocol::encode(0, 0, 0, m));
    return kErrorSuccess;
  }
  bool notification = code == clusctl::RESOURCE_TYPE_INSTALL_NODE || code == clusctl::RESOURCE_TYPE_EVICT_NODE;
  if (!(code & kClctlUserBit) && !notification) return kErrorInvalidFunction;
  if (notification && !hostUsable()) return kErrorInvalidFunction;
  rc = forwardControl(nullptr, true, code, in, inSize, out, outSize, bytesReturned, budget);
  return notification && rc == kErrorNotReady ? kErrorInvalidFunction : rc;
}

DWORD TypeRuntime::forwardControl(Slot* slot, bool typeLevel, DWORD code, const void* in, DWORD inSize, void* out,
                                  DWORD outSize, LPDWORD bytesReturned, const Deadline& budget) {
  if (!hostUsable()) {
    log(slot, LOG_WARNING, "control code " + std::to_string(code) + " arrived while no host is running");
    return kErrorNotReady;
  }
  if (inSize > protocol::kMaxPayload - 64 || (inSize && !in)) return kErrorInvalidParameter;
  std::vector<uint8_t> input(static_cast<const uint8_t*>(in), static_cast<const uint8_t*>(in) + inSize);
  auto waiter = std::make_shared<CallWaiter>();
  uint32_t slotId = slot ? slot->id : 0;
  uint32_t gen = slot ? slot->phase.generation() : 0;
  uint32_t req = sendRequest({typeLevel ? CallKind::TypeControl : CallKind::Control, slotId, gen, waiter},
                             [&](uint32_t r) {
                               return typeLevel ? protocol::encode(slotId, gen, r, protocol::TypeControlMsg{code, input})
                                                : protocol::encode(slotId, gen, r, protocol::ControlMsg{code, input});
                             });
  if (!waiter->waitUntil(budget.earlier(config_.deadlines.controlMs))) {
    PendingCall dropped;
    pending_.take(req, dropped);
    log(slot, LOG_ERROR, "control code " + std::to_string(code) + " did not answer within " +
                             std::to_string(config_.deadlines.controlMs) + " ms");
    return kErrorTimeout;
  }
  if (waiter->status() == kHostGone) return kErrorNotReady;
  if (waiter->status() != kErrorSuccess) return waiter->status();
  auto& output = waiter->output();
  *bytesReturned = static_cast<DWORD>(output.size());
  if (output.size() > outSize) return kErrorMoreData;
  if (!output.empty()) {
    if (!out) return kErrorInvalidParameter;
    std::memcpy(out, output.data(), output.size());
  }
  return kErrorSuccess;
}

void TypeRuntime::onHostReady() {
  log(nullptr, LOG_INFORMATION, "host for resource type " + config_.typeName + " is ready");
}

void TypeRuntime::onHostLog(LOG_LEVEL level, const std::string& line) { log(nullptr, level, line); }

void TypeRuntime::onHostFrame(protocol::Frame&& f) {
  switch (f.type) {
    case FrameType::Result: {
      protocol::ResultMsg r;
      if (!protocol::decode(f, r)) throw std::runtime_error("malformed result frame");
      if (f.request == kTerminateRequest) {
        auto slot = findSlot(f.slot);
        if (slot && slot->phase.generation() == f.generation) slot->terminateAck.post();
        return;
      }
      PendingCall call;
      if (!pending_.take(f.request, call)) return;  // answered after its caller gave up
      auto slot = call.slot ? findSlot(call.slot) : nullptr;
      switch (call.kind) {
        case CallKind::Online:
        case CallKind::Offline:
          if (slot) {
            // A failure may carry RESOURCE_STATUS_EX's ApplicationSpecificErrorCode and Flags
            // (lib/host/runtime.ts: two little-endian DWORDs); by default the code is the status.
            uint32_t appCode = r.status, flags = 0;
            if (r.status != 0 && r.output.size() == 8) {
              appCode = u32At(r.output, 0);
              flags = u32At(r.output, 4);
            }
            completeOperation(*slot, call, r.status, appCode, flags);
          }
          break;
        case CallKind::LooksAlive:
        case CallKind::IsAlive:
          if (slot) {
            bool alive = r.status == 0 && r.output.size() == 1 && r.output[0] == 1;
            completeHealth(*slot, call.kind == CallKind::IsAlive ? slot->isAlive : slot->looksAlive, alive, false);
          }
          break;
        default:
          if (call.waiter) call.waiter->complete(r.status, std::move(r.output));
      }
      return;
    }
    case FrameType::Progress: {
      if (!protocol::decodeEmpty(f)) throw std::runtime_error("malformed progress frame");
      auto slot = findSlot(f.slot);
      if (!slot) return;
      auto [gen, st] = slot->phase.load();
      if (gen != f.generation) return;
      if (st != SlotState::OnlinePending && st != SlotState::OfflinePending) return;
      uint32_t cp = ++slot->checkpoint;
      callbacks_.reportStatus(slot->handle,
                              st == SlotState::OnlinePending ? ClusterResourceOnlinePending : ClusterResourceOfflinePending,
                              cp, nullptr, 0);
      return;
    }
    case FrameType::Log: {
      protocol::LogMsg m;
      if (!protocol::decode(f, m)) throw std::runtime_error("malformed log frame");
      auto slot = f.slot ? findSlot(f.slot) : nullptr;
      log(slot.get(), static_cast<LOG_LEVEL>(m.level), m.message);
      return;
    }
    case FrameType::Heartbeat:
      return;
    default:
      throw std::runtime_error(std::string("host sent a ") + protocol::frameTypeName(f.type) + " frame");
  }
}

void TypeRuntime::onHostLost(const std::string& why, uint64_t epoch) {
  std::vector<std::shared_ptr<Slot>> slots;
  {
    std::lock_guard<std::mutex> lock(slotsMu_);
    for (auto& kv : slots_) slots.push_back(kv.second);
  }
  log(nullptr, LOG_ERROR, "host for resource type " + config_.typeName + " lost: " + why);
  // Only what the lost host had: an Online already on its way to a new host stays pending.
  for (auto& call : pending_.takeUpTo(epoch)) failRequest(call);
  for (auto& s : slots) {
    for (HealthProbe* probe : {&s->looksAlive, &s->isAlive}) {
      std::lock_guard<std::mutex> lock(probe->mu);
      probe->last = false;  // what a cached answer says until a host answers again
    }
    reportLateFailure(*s, kErrorResourceFailed, "its host went away (" + why + ")");
  }
}

void TypeRuntime::onStaleRequests(uint64_t epoch) {
  for (auto& call : pending_.takeUpTo(epoch)) failRequest(call);
}

}  // namespace wsfc::shim
