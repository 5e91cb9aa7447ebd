#include "monitor.h"

#include <cstring>
#include <type_traits>

#include "platform/failure_event.h"
#include "common/clusctl.h"
#include "common/resapi_codes.h"
#include "common/text.h"
#include "monitor_callbacks.h"

namespace wsfc::monitor {

namespace {

constexpr DWORD kErrorIoPending = 997;
constexpr DWORD kErrorNotFound = 5007;  // ERROR_RESOURCE_NOT_FOUND
constexpr DWORD kErrorShuttingDown = 1115;
constexpr uint32_t kTickMs = 5;

const char* stateName(CLUSTER_RESOURCE_STATE s) {
  switch (s) {
    case ClusterResourceOnline: return "Online";
    case ClusterResourceOffline: return "Offline";
    case ClusterResourceFailed: return "Failed";
    case ClusterResourceOnlinePending: return "OnlinePending";
    case ClusterResourceOfflinePending: return "OfflinePending";
    default: return "Unknown";
  }
}

bool isPending(CLUSTER_RESOURCE_STATE s) { return s == ClusterResourceOnlinePending || s == ClusterResourceOfflinePending; }

// The callers of a failed Online/Offline, answered once the Terminate after the failure ran (or
// was dropped because the monitor stops): whichever way the job goes, they hear back once.
struct FailureWaiters {
  std::vector<Done> done;
  std::string state = "Failed";
  ~FailureWaiters() {
    for (auto& d : done) d(CallResult{5038, false, state, {}, 0});  // ERROR_RESOURCE_FAILED
  }
};

const char* const kReasonNames[] = {"unknown", "move", "failover", "failedMove", "shutdown", "rundown"};


DWORD readProps(void* ctx, uint8_t* out, DWORD capacity, DWORD* size) {
  auto* r = static_cast<Resource*>(ctx);
  std::lock_guard<std::mutex> lock(r->propsMu);
  *size = static_cast<DWORD>(r->properties.size());
  if (r->properties.size() > capacity) return 234;  // ERROR_MORE_DATA
  if (!r->properties.empty()) std::memcpy(out, r->properties.data(), r->properties.size());
  return 0;
}

DWORD writeProps(void* ctx, const uint8_t* data, DWORD size) {
  auto* r = static_cast<Resource*>(ctx);
  std::lock_guard<std::mutex> lock(r->propsMu);
  r->properties.assign(data, data + size);
  return 0;
}

}  // namespace

const char* opName(Op op) {
  switch (op) {
    case Op::Online: return "Online";
    case Op::Offline: return "Offline";
    case Op::Terminate: return "Terminate";
    case Op::Close: return "Close";
    case Op::LooksAlive: return "LooksAlive";
    case Op::IsAlive: return "IsAlive";
    case Op::Control: return "ResourceControl";
    case Op::Cancel: return "Cancel";
  }
  return "?";
}

Monitor::Monitor(Library lib, Options options, EventSink& sink)
    : lib_(lib), opt_(options), sink_(sink), t0_(Clock::now()) {
  pool_ = std::make_unique<WorkQueue>(opt_.threads ? opt_.threads : 1);
  callbackSlot_ = attachMonitor(this);
  timer_ = std::thread([this] { timerLoop(); });
}

Monitor::~Monitor() { stop(); }

void Monitor::stop() {
  std::lock_guard<std::mutex> stopLock(stopMu_);
  if (stopped_) return;
  stopped_ = true;
  stopping_.store(true);
  if (timer_.joinable()) timer_.join();
  pool_->stop();
  detachMonitor(this, callbackSlot_);
  std::vector<Done> orphans;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& kv : resources_) {
      std::lock_guard<std::mutex> rl(kv.second->mu);
      for (auto& d : kv.second->settleWaiters) orphans.push_back(std::move(d));
      kv.second->settleWaiters.clear();
    }
  }
  for (auto& d : orphans) d(CallResult{kErrorShuttingDown, false, "Stopped", {}, 0});
}

void Monitor::emit(Event e) {
  e.atMs = std::chrono::duration<double, std::milli>(Clock::now() - t0_).count();
  sink_.onEvent(e);
}

// Under r.mu, where the state changes: two threads changing one resource's state (an Online and
// the cluster's Terminate) report in the order the changes happened. Emitted after the lock, an
// Online's OnlinePending could follow the Offline of a Terminate that overtook it, and the
// cluster's checks, which read the reports, would see pending a resource that was offline.
void Monitor::emitState(Resource& r, CLUSTER_RESOURCE_STATE state, DWORD status, const std::string& detail) {
  emit(Event{0, r.name, "state", stateName(state), -1, static_cast<int64_t>(status), -1, detail});
}

void Monitor::violation(Resource* r, const std::string& kind, const std::string& message) {
  Event e;
  e.resource = r ? r->name : "";
  e.kind = "violation";
  e.name = kind;
  e.message = message;
  emit(std::move(e));
}

Resource* Monitor::find(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = resources_.find(id);
  return it == resources_.end() ? nullptr : it->second.get();
}

DWORD Monitor::characteristicsOf(const std::string& typeName) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = types_.find(typeName);
  return it == types_.end() ? 0 : it->second.characteristics;
}

const CLRES_FUNCTION_TABLE* Monitor::tableFor(const std::string& typeName) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = types_.find(typeName);
  return it == types_.end() ? nullptr : it->second.table;
}

template <class F>
auto Monitor::timed(Resource* r, const char* name, bool isTerminate, F&& entry, int64_t code, const std::string& detail)
    -> decltype(entry()) {
  uint64_t callId;
  {
    std::lock_guard<std::mutex> lock(inFlightMu_);
    callId = nextCall_++;
    inFlight_[callId] = InFlight{r, name, Clock::now(), false};
  }
  if (r && !isTerminate) {
    std::lock_guard<std::mutex> lock(r->mu);
    if (r->callsInFlight > 0)
      violation(r, "overlapping-calls", std::string(name) + " called while another entry point of the resource runs");
    ++r->callsInFlight;
  }
  auto started = Clock::now();
  decltype(entry()) result{};
  bool escaped = false;
  try {
    result = entry();
  } catch (...) {
    escaped = true;
  }
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  bool flagged;
  {
    std::lock_guard<std::mutex> lock(inFlightMu_);
    flagged = inFlight_[callId].flagged;
    inFlight_.erase(callId);
  }
  if (r && !isTerminate) {
    std::lock_guard<std::mutex> lock(r->mu);
    --r->callsInFlight;
  }
  Event e;
  e.resource = r ? r->name : "";
  e.kind = "call";
  e.name = name;
  e.durationMs = ms;
  e.code = code;
  e.message = detail;
  if constexpr (std::is_pointer_v<decltype(result)>)
    e.result = result ? 1 : 0;
  else
    e.result = static_cast<int64_t>(result);
  emit(e);
  if (escaped) violation(r, "exception", std::string("an exception escaped ") + name);
  if (ms > opt_.callLimitMs && !flagged)
    violation(r, "slow-call", std::string(name) + " took " + std::to_string(static_cast<int>(ms)) + " ms (limit " +
                                  std::to_string(opt_.callLimitMs) + " ms)");
  return result;
}

template <class T, class F>
bool Monitor::timedIfOpen(Resource& r, const char* name, bool isTerminate, T& result, F&& entry, int64_t code,
                          const std::string& detail) {
  std::shared_lock<std::shared_mutex> life(r.lifeMu);
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.closed) return false;
  }
  result = timed(&r, name, isTerminate, std::forward<F>(entry), code, detail);
  return true;
}

void Monitor::schedule(Resource& r, bool terminate, std::function<void()> run) {
  if (terminate || !opt_.serializeCalls) {
    pool_->post(std::move(run));
    return;
  }
  std::lock_guard<std::mutex> lock(r.mu);
  r.queue.push_back(std::move(run));
  if (r.running) return;
  r.running = true;
  pool_->post([this, &r] { runNext(r); });
}

void Monitor::runNext(Resource& r) {
  std::function<void()> job;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.queue.empty()) {
      r.running = false;
      return;
    }
    job = std::move(r.queue.front());
    r.queue.pop_front();
  }
  job();
  std::lock_guard<std::mutex> lock(r.mu);
  if (r.queue.empty()) {
    r.running = false;
    return;
  }
  pool_->post([this, &r] { runNext(r); });
}

void Monitor::startType(const std::string& typeName, Done done) {
  pool_->post([this, typeName, done] {
    if (tableFor(typeName)) return done(CallResult{});
    PCLRES_FUNCTION_TABLE table = nullptr;
    auto wname = toUtf16(typeName);
    bool v2 = opt_.resapiVersion >= CLRES_VERSION_V2_00;
    DWORD rc;
    if (v2) {
      rc = timed(nullptr, "StartupEx", false, [&] {
        return lib_.startupEx ? lib_.startupEx(wname.c_str(), CLRES_VERSION_V1_00, CLRES_VERSION_V4_00, callbackTable(callbackSlot_), &table)
                              : 127u;  // ERROR_PROC_NOT_FOUND
      });
    } else {
      rc = timed(nullptr, "Startup", false, [&] {
        return lib_.startup ? lib_.startup(wname.c_str(), CLRES_VERSION_V1_00, CLRES_VERSION_V1_00,
                                           setResourceStatusCallback(), logEventCallback(callbackSlot_), &table)
                            : 127u;
      });
    }
    if (rc == 0 && !table) {
      violation(nullptr, "bad-table", "Startup succeeded without a function table");
      rc = 13;  // ERROR_INVALID_DATA
    }
    if (rc == 0) {
      DWORD want = v2 ? CLRES_VERSION_V2_00 : CLRES_VERSION_V1_00;
      if (table->Version != want && !(v2 && table->Version == CLRES_VERSION_V1_00))
        violation(nullptr, "bad-table", "Startup returned a table of version " + std::to_string(table->Version));
      auto& f = table->V1Functions;
      if (!f.Open || !f.Close || !f.Online || !f.Offline || !f.Terminate || !f.LooksAlive || !f.IsAlive)
        violation(nullptr, "bad-table", "a required entry point is NULL in the function table");
      // What RHS knows from the type's registration: asked once, off the timeline.
      DWORD characteristics = 0, returned = 0;
      if (f.ResourceTypeControl) {
        try {
          if (f.ResourceTypeControl(wname.c_str(), clusctl::RESOURCE_TYPE_GET_CHARACTERISTICS, nullptr, 0, &characteristics,
                                    sizeof characteristics, &returned) != 0 ||
              returned != sizeof characteristics)
            characteristics = 0;
        } catch (...) {
          characteristics = 0;
        }
      }
      std::lock_guard<std::mutex> lock(mu_);
      types_[typeName].table = table;
      types_[typeName].characteristics = characteristics;
    }
    done(CallResult{rc, false, "", {}, 0});
  });
}

void Monitor::open(const std::string& typeName, const std::string& name, std::vector<uint8_t> properties, Done done,
                   DWORD openFlags) {
  pool_->post([this, typeName, name, properties = std::move(properties), done, openFlags]() mutable {
    const CLRES_FUNCTION_TABLE* table = tableFor(typeName);
    if (!table) return done(CallResult{5080, false, "", {}, 0});  // ERROR_CLUSTER_RESNAME_NOT_FOUND
    auto r = std::make_unique<Resource>();
    r->owner = this;
    r->type = typeName;
    r->name = name;
    r->table = table;
    r->properties = std::move(properties);
    r->key = MockPropertyKey{kMockPropertyKeyMagic, r.get(), readProps, writeProps};
    Resource* rp = r.get();
    {
      std::lock_guard<std::mutex> lock(mu_);
      r->id = nextId_++;
      resources_[r->id] = std::move(r);
    }
    auto wname = toUtf16(name);
    HKEY key = reinterpret_cast<HKEY>(&rp->key);
    RESID resid = timed(rp, "Open", false, [&] {
      return table->Version >= CLRES_VERSION_V2_00 ? table->V2Functions.Open(wname.c_str(), key, rp, openFlags)
                                                   : table->V1Functions.Open(wname.c_str(), key, rp);
    });
    if (!resid) {
      std::lock_guard<std::mutex> lock(rp->mu);
      rp->closed = true;
      return done(CallResult{kErrorNotFound, false, "Closed", {}, 0});
    }
    rp->resid = resid;
    done(CallResult{0, false, stateName(ClusterResourceOffline), {}, rp->id});
  });
}

void Monitor::call(uint64_t id, Op op, DWORD code, std::vector<uint8_t> input, uint32_t outputSize, Done done,
                   CallDetails details) {
  Resource* r = find(id);
  bool closed = false;
  if (r) {
    std::lock_guard<std::mutex> lock(r->mu);
    closed = r->closed;
  }
  if (!r || closed) return done(CallResult{kErrorNotFound, false, "Closed", {}, 0});
  Resource& res = *r;
  switch (op) {
    case Op::Online:
      return schedule(res, false, [this, &res, done, flags = details.flags] { doOnline(res, done, false, flags); });
    case Op::Offline: return schedule(res, false, [this, &res, done, details] { doOffline(res, done, details); });
    case Op::Terminate:
      return schedule(res, true, [this, &res, done, reason = details.reason] {
        {
          // The cluster's own Terminate of a failed resource ends its pending restart: what the
          // cluster terminates stays down until it brings it online.
          std::lock_guard<std::mutex> lock(res.mu);
          res.restartPending = false;
        }
        doTerminate(res, done, reason);
      });
    case Op::Close: return schedule(res, false, [this, &res, done] { doClose(res, done); });
    case Op::LooksAlive: return schedule(res, false, [this, &res, done] { doHealth(res, false, done, false); });
    case Op::IsAlive: return schedule(res, false, [this, &res, done] { doHealth(res, true, done, false); });
    case Op::Control:
      return schedule(res, false, [this, &res, code, input = std::move(input), outputSize, done]() mutable {
        doControl(res, code, std::move(input), outputSize, done);
      });
    case Op::Cancel:
      return schedule(res, false, [this, &res, done] {
        if (res.table->Version < CLRES_VERSION_V2_00) return done(CallResult{1, false, "", {}, 0});
        DWORD rc = 0;
        if (!timedIfOpen(res, "Cancel", false, rc, [&] { return res.table->V2Functions.Cancel(res.resid, 0); }))
          return done(CallResult{kErrorNotFound, false, "Closed", {}, 0});
        done(CallResult{rc, false, stateOf(res.id), {}, 0});
      });
  }
}

void Monitor::typeControl(const std::string& typeName, DWORD code, std::vector<uint8_t> input, uint32_t outputSize,
                          Done done) {
  pool_->post([this, typeName, code, input = std::move(input), outputSize, done] {
    const CLRES_FUNCTION_TABLE* table = tableFor(typeName);
    if (!table) return done(CallResult{5080, false, "", {}, 0});
    std::vector<uint8_t> out(outputSize);
    DWORD returned = 0;
    auto wname = toUtf16(typeName);
    DWORD rc = timed(nullptr, "ResourceTypeControl", false, [&] {
      return table->V1Functions.ResourceTypeControl(wname.c_str(), code, const_cast<uint8_t*>(input.data()),
                                                    static_cast<DWORD>(input.size()), out.data(), outputSize, &returned);
    }, code);
    out.resize(rc == 0 && returned <= outputSize ? returned : 0);
    done(CallResult{rc, false, "", std::move(out), returned});
  });
}

std::vector<std::string> Monitor::startedTypes() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (auto& kv : types_) out.push_back(kv.first);
  return out;
}

std::string Monitor::stateOf(uint64_t id) {
  Resource* r = find(id);
  if (!r) return "Closed";
  std::lock_guard<std::mutex> lock(r->mu);
  return r->closed ? "Closed" : stateName(r->state);
}

std::vector<uint8_t> Monitor::storedProperties(uint64_t id) {
  Resource* r = find(id);
  if (!r) return {};
  std::lock_guard<std::mutex> lock(r->propsMu);
  return r->properties;
}

// The cluster drives one state transition of a resource at a time: RHS does not call Online or
// Offline while the previous Online/Offline is still pending (inferred from the contract's
// pending protocol, §4.1: a pending operation ends with a final report, Terminate, or a failure
// and the Terminate it brings).
// A request that arrives meanwhile waits for that end instead of overlapping it, as a second
// Start-ClusterResource waits for the first. (With serializeCalls off the monitor plays an RHS
// that overlaps calls on purpose, to test the shim's own serialization: nothing is held back.)
bool Monitor::deferWhilePending(Resource& r, std::function<void()> request) {
  if (!opt_.serializeCalls) return false;
  std::lock_guard<std::mutex> lock(r.mu);
  if (r.closed || !(isPending(r.state) || r.failureTerminates > 0)) return false;
  r.afterPending.push_back(std::move(request));
  return true;
}

// Only with serializeCalls off (deferWhilePending held nothing back): an Online or Offline while
// the previous one is pending overlaps it as no RHS does, even when no entry point runs at that
// moment (the pending one returned ERROR_IO_PENDING long ago). Reported like an overlap of entry
// points, because it muddles the bookkeeping the same way: the pending operation's final report,
// legitimately sent by the DLL at any moment until then, arrives during the new one (seen under
// Windows node as "reported Online during OfflinePending" on a resource no entry point overlapped).
void Monitor::overlapsPending(Resource& r, const char* name) {
  if (isPending(r.state))
    violation(&r, "overlapping-calls", std::string(name) + " called while the resource is " + stateName(r.state));
}

void Monitor::releaseDeferred(Resource& r) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if ((isPending(r.state) || r.failureTerminates > 0) && !r.closed) return;
    ready.swap(r.afterPending);
  }
  for (auto& request : ready) schedule(r, false, std::move(request));
}

void Monitor::doOnline(Resource& r, Done done, bool restart, DWORD flags) {
  if (deferWhilePending(r, [this, &r, done, restart, flags] { doOnline(r, done, restart, flags); })) return;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.closed) return done(CallResult{kErrorNotFound, false, "Closed", {}, 0});
    overlapsPending(r, "Online");
    r.state = ClusterResourceOnlinePending;
    ++r.operationSeq;
    r.terminatedWhilePending = false;
    r.lastCheckpoint = 0;
    r.lastReport = Clock::now();
    r.failureEvent = nullptr;
    if (done) r.settleWaiters.push_back(done);
    emitState(r, ClusterResourceOnlinePending, 0, restart ? "restart" : "");
  }
  HANDLE ev = nullptr;
  DWORD rc = 0;
  if (!timedIfOpen(r, "Online", false, rc, [&] {
        return r.table->Version >= CLRES_VERSION_V2_00 ? r.table->V2Functions.Online(r.resid, &ev, flags, nullptr, 0, 0)
                                                       : r.table->V1Functions.Online(r.resid, &ev);
      }))
    return settleClosed(r, kErrorNotFound);
  if (ev) {
    std::lock_guard<std::mutex> lock(r.mu);
    r.failureEvent = ev;
  }
  if (rc == kErrorIoPending) return;
  if (rc == 0) return settle(r, ClusterResourceOnline, 0);
  fail(r, "Online returned error " + std::to_string(rc));
}

void Monitor::doOffline(Resource& r, Done done, const CallDetails& details) {
  if (deferWhilePending(r, [this, &r, done, details] { doOffline(r, done, details); })) return;
  // Just before the Offline, on the same thread (so it is one of the serialised calls).
  sendStateChangeReason(r, details.reason, false);
  {
    std::lock_guard<std::mutex> lock(r.mu);
    overlapsPending(r, "Offline");
    r.state = ClusterResourceOfflinePending;
    ++r.operationSeq;
    r.terminatedWhilePending = false;
    r.lastCheckpoint = 0;
    r.lastReport = Clock::now();
    r.restartPending = false;
    if (done) r.settleWaiters.push_back(done);
    emitState(r, ClusterResourceOfflinePending, 0, "");
  }
  DWORD rc = 0;
  auto destination = toUtf16(details.destinationNode);
  if (!timedIfOpen(r, "Offline", false, rc, [&] {
        return r.table->Version >= CLRES_VERSION_V2_00
                   ? r.table->V2Functions.Offline(r.resid, details.hasDestination ? destination.c_str() : nullptr,
                                                  details.flags, nullptr, 0, 0)
                   : r.table->V1Functions.Offline(r.resid);
      }))
    return settleClosed(r, kErrorNotFound);
  if (rc == kErrorIoPending) return;
  if (rc == 0) return settle(r, ClusterResourceOffline, 0);
  fail(r, "Offline returned error " + std::to_string(rc));
}

void Monitor::sendStateChangeReason(Resource& r, int reason, bool beforeTerminate) {
  if (!(characteristicsOf(r.type) & CLUS_CHAR_REQUIRES_STATE_CHANGE_REASON)) return;
  if (reason < 0 || reason > 5) reason = 0;
  CLUSCTL_RESOURCE_STATE_CHANGE_REASON_STRUCT in{sizeof(CLUSCTL_RESOURCE_STATE_CHANGE_REASON_STRUCT),
                                                        CLUSCTL_RESOURCE_STATE_CHANGE_REASON_VERSION_1,
                                                        static_cast<CLUSTER_RESOURCE_STATE_CHANGE_REASON>(reason)};
  DWORD rc = 0, returned = 0;
  // Before Terminate it is part of Terminate's work, which may overlap the other calls.
  timedIfOpen(r, "ResourceControl", beforeTerminate, rc, [&] {
    return r.table->V1Functions.ResourceControl(r.resid, clusctl::RESOURCE_STATE_CHANGE_REASON, &in, sizeof in,
                                                nullptr, 0, &returned);
  }, clusctl::RESOURCE_STATE_CHANGE_REASON, std::string("reason ") + kReasonNames[reason]);
}

void Monitor::doTerminate(Resource& r, Done done, int reason) {
  sendStateChangeReason(r, reason, true);
  uint64_t seq;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if (isPending(r.state)) r.terminatedWhilePending = true;
    seq = r.operationSeq;
  }
  int ignored = 0;
  if (!timedIfOpen(r, "Terminate", true, ignored, [&] {
        r.table->V1Functions.Terminate(r.resid);
        return 0;
      })) {
    if (done) done(CallResult{kErrorNotFound, false, "Closed", {}, 0});
    return;
  }
  CLUSTER_RESOURCE_STATE state = ClusterResourceOffline;
  std::vector<Done> waiters;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.operationSeq != seq) {
      // An Online/Offline started while Terminate ran (Terminate may overlap other calls): the
      // resource's state is that newer operation's now.
      if (done) done(CallResult{0, false, stateName(r.state), {}, 0});
      return;
    }
    if (r.state != ClusterResourceFailed && r.state != ClusterResourceOffline) {
      r.state = ClusterResourceOffline;
      emitState(r, ClusterResourceOffline, 0, "terminated");
    }
    state = r.state;
    waiters.swap(r.settleWaiters);
  }
  for (auto& w : waiters) w(CallResult{0, false, stateName(state), {}, 0});
  if (done) done(CallResult{0, false, stateName(state), {}, 0});
  releaseDeferred(r);
}

void Monitor::doClose(Resource& r, Done done) {
  std::vector<Done> waiters;
  {
    // Waits for calls in flight (a Terminate the monitor scheduled on its own, say) and keeps
    // new ones out until the resource is marked closed.
    std::unique_lock<std::shared_mutex> life(r.lifeMu);
    {
      std::lock_guard<std::mutex> lock(r.mu);
      if (r.closed) return done(CallResult{0, false, "Closed", {}, 0});
      // The event handle Online returned belongs to the library, which frees it in Close: stop
      // watching it first, or the timer thread's next look at it reads freed memory.
      r.failureEvent = nullptr;
    }
    timed(&r, "Close", false, [&] {
      r.table->V1Functions.Close(r.resid);
      return 0;
    });
    std::lock_guard<std::mutex> lock(r.mu);
    r.closed = true;
    r.restartPending = false;
    waiters.swap(r.settleWaiters);
    emit(Event{0, r.name, "state", "Closed", -1, 0, -1, ""});
  }
  for (auto& w : waiters) w(CallResult{0, false, "Closed", {}, 0});
  done(CallResult{0, false, "Closed", {}, 0});
  releaseDeferred(r);  // they find the resource closed
}

void Monitor::doHealth(Resource& r, bool isAlive, Done done, bool fromPoll) {
  BOOL alive = FALSE;
  if (!timedIfOpen(r, isAlive ? "IsAlive" : "LooksAlive", false, alive, [&] {
        return isAlive ? r.table->V1Functions.IsAlive(r.resid) : r.table->V1Functions.LooksAlive(r.resid);
      })) {
    if (done) done(CallResult{kErrorNotFound, false, "Closed", {}, 0});
    std::lock_guard<std::mutex> lock(r.mu);
    r.pollInFlight = false;
    return;
  }
  if (done) done(CallResult{0, alive != FALSE, "", {}, 0});
  if (!fromPoll) return;
  bool online;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    r.pollInFlight = false;
    online = r.state == ClusterResourceOnline;
    if (online && !alive && !isAlive) r.pollInFlight = true;
  }
  if (!online || alive) return;
  // LooksAlive FALSE means "maybe failing": RHS asks IsAlive at once (§3.6).
  if (!isAlive) return schedule(r, false, [this, &r] { doHealth(r, true, nullptr, true); });
  fail(r, "IsAlive returned FALSE");
}

void Monitor::doControl(Resource& r, DWORD code, std::vector<uint8_t> input, uint32_t outputSize, Done done) {
  std::vector<uint8_t> out(outputSize);
  DWORD returned = 0;
  DWORD rc = 0;
  if (!timedIfOpen(r, "ResourceControl", false, rc, [&] {
        return r.table->V1Functions.ResourceControl(r.resid, code, input.empty() ? nullptr : input.data(),
                                                    static_cast<DWORD>(input.size()), out.empty() ? nullptr : out.data(),
                                                    outputSize, &returned);
      }, code))
    return done(CallResult{kErrorNotFound, false, "Closed", {}, 0});
  out.resize(rc == 0 && returned <= outputSize ? returned : 0);
  done(CallResult{rc, false, "", std::move(out), returned});
}

void Monitor::settle(Resource& r, CLUSTER_RESOURCE_STATE state, DWORD status) {
  std::vector<Done> waiters;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    r.state = state;
    waiters.swap(r.settleWaiters);
    if (state == ClusterResourceOnline) {
      auto now = Clock::now();
      r.nextLooks = now + std::chrono::milliseconds(opt_.looksAliveMs);
      r.nextIs = now + std::chrono::milliseconds(opt_.isAliveMs);
    }
    emitState(r, state, status, "");
  }
  for (auto& w : waiters) w(CallResult{status, false, stateName(state), {}, 0});
  releaseDeferred(r);
}

// An Online or Offline whose resource was closed while it ran: its waiters learn "Closed" (not a
// resource state: the resource is gone, and r.closed says so).
void Monitor::settleClosed(Resource& r, DWORD status) {
  std::vector<Done> waiters;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    waiters.swap(r.settleWaiters);
  }
  emit(Event{0, r.name, "state", "Closed", -1, static_cast<int64_t>(status), -1, ""});
  for (auto& w : waiters) w(CallResult{status, false, "Closed", {}, 0});
  releaseDeferred(r);
}

void Monitor::fail(Resource& r, const std::string& why) {
  bool restart = false;
  std::string note;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.closed) return;
    if (isPending(r.state)) r.terminatedWhilePending = true;
    ++r.failureTerminates;
    if (opt_.restart) {
      auto now = Clock::now();
      while (!r.restarts.empty() && now - r.restarts.front() > std::chrono::milliseconds(opt_.restartPeriodMs))
        r.restarts.pop_front();
      if (r.restarts.size() < opt_.restartThreshold) {
        r.restarts.push_back(now);
        r.restartPending = true;
        r.restartAt = now + std::chrono::milliseconds(opt_.restartDelayMs);
        restart = true;
        note = "restart " + std::to_string(r.restarts.size()) + " of " + std::to_string(opt_.restartThreshold) +
               " in " + std::to_string(opt_.restartDelayMs) + " ms";
      } else {
        note = "RestartThreshold reached; the resource stays failed";
      }
    }
  }
  emit(Event{0, r.name, "note", "failure", -1, 0, -1, why});
  // Whoever waits for this operation learns of the failure once the monitor is done with it:
  // RHS calls Terminate on every failure before it restarts or gives up (§3.5).
  auto waiters = std::make_shared<FailureWaiters>();
  {
    std::lock_guard<std::mutex> lock(r.mu);
    waiters->done.swap(r.settleWaiters);
  }
  settle(r, ClusterResourceFailed, 5038);  // ERROR_RESOURCE_FAILED
  schedule(r, true, [this, &r, waiters] {
    doTerminate(r, nullptr);
    // The failed operation's callers learn the state its Terminate left, before a request held
    // back for it starts (an Offline's OfflinePending was once what they learned).
    waiters->state = stateOf(r.id);
    {
      std::lock_guard<std::mutex> lock(r.mu);
      --r.failureTerminates;
    }
    releaseDeferred(r);
  });
  if (!note.empty()) emit(Event{0, r.name, "note", restart ? "restart-scheduled" : "restart-exhausted", -1, 0, -1, note});
}

DWORD Monitor::onStatus(Resource& r, CLUSTER_RESOURCE_STATE state, DWORD checkpoint, HANDLE eventHandle,
                        const std::string& detail) {
  CLUSTER_RESOURCE_STATE from;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    from = r.state;
    if (!isPending(r.state)) {
      if (r.terminatedWhilePending) {
        // The DLL raced its worker against Terminate; RHS's answer is "stop" (§4.2).
        return ResourceExitStateTerminate;
      }
    } else {
      if (checkpoint <= r.lastCheckpoint)
        violation(&r, "checkpoint-not-increasing",
                  "CheckPoint " + std::to_string(checkpoint) + " after " + std::to_string(r.lastCheckpoint));
      r.lastCheckpoint = checkpoint;
      r.lastReport = Clock::now();
      if (eventHandle) r.failureEvent = eventHandle;
    }
  }
  if (!isPending(from)) {
    violation(&r, "status-outside-pending",
              std::string("SetResourceStatus(") + stateName(state) + ") while the resource is " + stateName(from));
    return ResourceExitStateContinue;
  }
  emit(Event{0, r.name, "status", stateName(state), -1, static_cast<int64_t>(checkpoint), -1, detail});
  bool onlinePending = from == ClusterResourceOnlinePending;
  switch (state) {
    case ClusterResourceOnline:
      if (!onlinePending) violation(&r, "unexpected-state", "reported Online during OfflinePending");
      settle(r, ClusterResourceOnline, 0);
      break;
    case ClusterResourceOffline:
      settle(r, ClusterResourceOffline, 0);
      break;
    case ClusterResourceFailed:
      fail(r, std::string(onlinePending ? "Online" : "Offline") + " reported Failed");
      break;
    case ClusterResourceOnlinePending:
    case ClusterResourceOfflinePending:
      if ((state == ClusterResourceOnlinePending) != onlinePending)
        violation(&r, "unexpected-state", std::string("reported ") + stateName(state) + " during " + stateName(from));
      break;
    default:
      violation(&r, "unexpected-state", std::string("reported state ") + std::to_string(state));
  }
  return ResourceExitStateContinue;
}

void Monitor::onLog(Resource* r, LOG_LEVEL level, const std::string& message) {
  emit(Event{0, r ? r->name : "", "log", level == LOG_INFORMATION ? "info" : level == LOG_WARNING ? "warn" : "error",
             -1, 0, static_cast<int32_t>(level), message});
}

void Monitor::onSignalFailure(Resource& r, DWORD code) {
  bool online;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    online = r.state == ClusterResourceOnline;
  }
  if (!online) {
    emit(Event{0, r.name, "note", "signal-failure-ignored", -1, code, -1, "SignalFailure while not online"});
    return;
  }
  fail(r, "SignalFailure(" + std::to_string(code) + ")");
}

void Monitor::tick() {
  std::vector<Resource*> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& kv : resources_) all.push_back(kv.second.get());
  }
  auto now = Clock::now();
  // Calls that are still running past the limit: report while they hang, not only if they return.
  {
    std::lock_guard<std::mutex> lock(inFlightMu_);
    for (auto& kv : inFlight_) {
      auto& c = kv.second;
      if (!c.flagged && now - c.started > std::chrono::milliseconds(opt_.callLimitMs)) {
        c.flagged = true;
        violation(c.resource, "slow-call", std::string(c.name) + " has been running for over " +
                                               std::to_string(opt_.callLimitMs) + " ms");
      }
    }
  }
  for (Resource* r : all) {
    enum { None, Timeout, FailureEvent, Restart, Looks, Is } action = None;
    {
      std::lock_guard<std::mutex> lock(r->mu);
      if (r->closed) continue;
      if (isPending(r->state) && now - r->lastReport > std::chrono::milliseconds(opt_.pendingTimeoutMs)) {
        action = Timeout;
        r->lastReport = now;  // once per gap
      } else if (r->state == ClusterResourceOnline && r->failureEvent && platform::failureEventIsSet(r->failureEvent)) {
        action = FailureEvent;
      } else if (r->state == ClusterResourceFailed && r->restartPending && now >= r->restartAt) {
        r->restartPending = false;
        action = Restart;
      } else if (opt_.polling && r->state == ClusterResourceOnline && !r->pollInFlight) {
        if (now >= r->nextIs) {
          action = Is;
        } else if (now >= r->nextLooks && !r->failureEvent) {
          action = Looks;  // an Online event handle replaces LooksAlive polling (§3.6)
        }
        if (action != None) {
          r->pollInFlight = true;
          if (action == Is) r->nextIs = now + std::chrono::milliseconds(opt_.isAliveMs);
          r->nextLooks = now + std::chrono::milliseconds(opt_.looksAliveMs);
        }
      }
    }
    switch (action) {
      case Timeout:
        emit(Event{0, r->name, "note", "pending-timeout", -1, 0, -1,
                                    "no status report within PendingTimeout (" + std::to_string(opt_.pendingTimeoutMs) + " ms)"});
        fail(*r, "PendingTimeout");
        break;
      case FailureEvent:
        fail(*r, "the failure event was signalled");
        break;
      case Restart:
        schedule(*r, false, [this, r] { doOnline(*r, nullptr, true); });
        break;
      case Looks:
        schedule(*r, false, [this, r] { doHealth(*r, false, nullptr, true); });
        break;
      case Is:
        schedule(*r, false, [this, r] { doHealth(*r, true, nullptr, true); });
        break;
      case None:
        break;
    }
  }
}

void Monitor::timerLoop() {
  while (!stopping_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kTickMs));
    try {
      tick();
    } catch (...) {
    }
  }
}

}  // namespace wsfc::monitor
