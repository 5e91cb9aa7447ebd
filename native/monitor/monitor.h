// The mock monitor (DESIGN §5): loads a resource library's function table and calls it from its
// own threads the way RHS does — the call order, the pending protocol, poll intervals,
// PendingTimeout -> Terminate, failure -> Terminate -> restart policy — and records every call,
// status report and log line as an event, plus every breach of the contract as a violation.
#pragma once
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "shim/properties/property_store.h"
#include "common/resapi_abi.h"
#include "work_queue.h"

namespace wsfc::monitor {

using Clock = std::chrono::steady_clock;

struct Options {
  DWORD resapiVersion = CLRES_VERSION_V2_00;  // which Startup to call: V1 Startup or V2 StartupEx
  bool polling = false;
  uint32_t looksAliveMs = 5000;
  uint32_t isAliveMs = 60000;
  uint32_t pendingTimeoutMs = 180000;
  bool restart = false;
  uint32_t restartThreshold = 3;
  uint32_t restartPeriodMs = 900000;
  uint32_t restartDelayMs = 500;
  uint32_t callLimitMs = 300;          // an entry point slower than this is a violation
  bool serializeCalls = true;          // RHS never overlaps non-Terminate calls on one resource
  uint32_t threads = 4;
};

struct Event {
  double atMs = 0;          // since the monitor started
  std::string resource;     // empty for type-level events
  std::string kind;         // call | status | state | log | violation | note
  std::string name;         // entry point, state, or violation kind
  double durationMs = -1;   // calls only
  int64_t result = 0;       // calls: return value; status: checkpoint
  int32_t level = -1;       // logs: LOG_LEVEL
  std::string message;
  int64_t code = -1;        // ResourceControl/ResourceTypeControl calls: the control code
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Any thread, at times under a resource's lock (state events keep their order so): it must not
  // block for long nor call back into the monitor.
  virtual void onEvent(const Event& e) = 0;
};

// The library's Startup and StartupEx: a loaded library's exports, or one shim instance's
// (addon/mock: each node of a mock cluster is its own copy of the DLL). Empty: not exported.
struct Library {
  std::function<DWORD(LPCWSTR, DWORD, DWORD, PSET_RESOURCE_STATUS_ROUTINE, PLOG_EVENT_ROUTINE, PCLRES_FUNCTION_TABLE*)>
      startup;
  std::function<DWORD(LPCWSTR, DWORD, DWORD, PCLRES_CALLBACK_FUNCTION_TABLE, PCLRES_FUNCTION_TABLE*)> startupEx;
};

enum class Op { Online, Offline, Terminate, Close, LooksAlive, IsAlive, Control, Cancel };

struct CallResult {
  DWORD status = 0;                // Win32 code of the call (or of the final state for Online/Offline)
  bool alive = false;              // LooksAlive / IsAlive
  std::string state;               // the resource state after the call settled
  std::vector<uint8_t> output;     // controls
  uint64_t resource = 0;           // open
};
using Done = std::function<void(const CallResult&)>;

// What RHS passes with an Online, Offline or Terminate beyond the resource (V2 entry points and
// CLUSCTL_RESOURCE_STATE_CHANGE_REASON).
struct CallDetails {
  DWORD flags = 0;                 // OnlineV2 / OfflineV2 flags
  bool hasDestination = false;     // OfflineV2's DestinationNodeName (NULL if not)
  std::string destinationNode;
  int reason = 0;                  // eResourceStateChangeReason, sent when the type asks for it
};

struct Resource;

class Monitor {
 public:
  Monitor(Library lib, Options options, EventSink& sink);
  ~Monitor();
  void stop();

  void startType(const std::string& typeName, Done done);
  void open(const std::string& typeName, const std::string& name, std::vector<uint8_t> properties, Done done,
            DWORD openFlags = 0);
  void call(uint64_t resource, Op op, DWORD code, std::vector<uint8_t> input, uint32_t outputSize, Done done,
            CallDetails details = {});
  void typeControl(const std::string& typeName, DWORD code, std::vector<uint8_t> input, uint32_t outputSize,
                   Done done);
  std::string stateOf(uint64_t resource);
  // The resource types this monitor called Startup for (what "unloading the DLL" must release).
  std::vector<std::string> startedTypes();
  std::vector<uint8_t> storedProperties(uint64_t resource);

  // Called by the RHS-side callbacks (monitor_callbacks.cc).
  // detail: RESOURCE_STATUS_EX's ApplicationSpecificErrorCode and Flags, for the timeline.
  DWORD onStatus(Resource& r, CLUSTER_RESOURCE_STATE state, DWORD checkpoint, HANDLE eventHandle,
                 const std::string& detail = "");
  void onLog(Resource* r, LOG_LEVEL level, const std::string& message);
  void onSignalFailure(Resource& r, DWORD code);

 private:
  struct TypeEntry {
    const CLRES_FUNCTION_TABLE* table = nullptr;
    DWORD characteristics = 0;  // CLUS_CHAR_*, read once after Startup
  };
  struct Job {
    bool terminate;
    std::function<void()> run;
  };

  void emit(Event e);
  void violation(Resource* r, const std::string& kind, const std::string& message);
  Resource* find(uint64_t id);
  const CLRES_FUNCTION_TABLE* tableFor(const std::string& typeName);
  void schedule(Resource& r, bool terminate, std::function<void()> run);
  void runNext(Resource& r);
  template <class F>
  auto timed(Resource* r, const char* name, bool isTerminate, F&& entry, int64_t code = -1, const std::string& detail = "")
      -> decltype(entry());
  // timed() for a resource that is still open; false (and no call) once it was closed.
  template <class T, class F>
  bool timedIfOpen(Resource& r, const char* name, bool isTerminate, T& result, F&& entry, int64_t code = -1,
                   const std::string& detail = "");
  void doOnline(Resource& r, Done done, bool restart, DWORD flags = 0);
  void doOffline(Resource& r, Done done, const CallDetails& details);
  void doTerminate(Resource& r, Done done, int reason = 0);
  // CLUSCTL_RESOURCE_STATE_CHANGE_REASON, just before Offline or Terminate, if the type reports
  // CLUS_CHAR_REQUIRES_STATE_CHANGE_REASON (resdll-contract.md §7.3).
  void sendStateChangeReason(Resource& r, int reason, bool beforeTerminate);
  DWORD characteristicsOf(const std::string& typeName);
  void doHealth(Resource& r, bool isAlive, Done done, bool fromPoll);
  void doClose(Resource& r, Done done);
  void doControl(Resource& r, DWORD code, std::vector<uint8_t> input, uint32_t outputSize, Done done);
  void settle(Resource& r, CLUSTER_RESOURCE_STATE state, DWORD status);
  void settleClosed(Resource& r, DWORD status);
  // Holds an Online/Offline back while another is pending (true: deferred, do not call now).
  bool deferWhilePending(Resource& r, std::function<void()> request);
  // Under r.mu: an Online/Offline that was not held back overlaps a pending one (a violation).
  void overlapsPending(Resource& r, const char* name);
  void releaseDeferred(Resource& r);
  void emitState(Resource& r, CLUSTER_RESOURCE_STATE state, DWORD status, const std::string& detail);
  void fail(Resource& r, const std::string& why);
  void tick();
  void timerLoop();

  Library lib_;
  Options opt_;
  EventSink& sink_;
  Clock::time_point t0_;
  std::mutex mu_;  // types_, resources_
  std::map<std::string, TypeEntry> types_;
  std::map<uint64_t, std::unique_ptr<Resource>> resources_;
  uint64_t nextId_ = 1;
  struct InFlight {
    Resource* resource;
    const char* name;
    Clock::time_point started;
    bool flagged;
  };
  std::mutex inFlightMu_;
  std::map<uint64_t, InFlight> inFlight_;
  uint64_t nextCall_ = 1;
  std::unique_ptr<WorkQueue> pool_;
  std::atomic<bool> stopping_{false};
  std::mutex stopMu_;  // a second stop() waits for the first to finish
  bool stopped_ = false;
  std::thread timer_;
  size_t callbackSlot_ = 0;  // monitor_callbacks.h
};

// What the monitor knows about one resource (also the RESOURCE_HANDLE it gives the library).
struct Resource {
  Monitor* owner = nullptr;
  uint64_t id = 0;
  std::string type;
  std::string name;
  const CLRES_FUNCTION_TABLE* table = nullptr;
  RESID resid = nullptr;
  MockPropertyKey key{};
  std::mutex propsMu;
  std::vector<uint8_t> properties;

  // Held shared by every entry-point call and exclusively by Close: RHS never calls the library
  // for a resource concurrently with or after its Close, whose RESID is gone then (contract §3.5).
  std::shared_mutex lifeMu;
  std::mutex mu;
  // Offline, OnlinePending, Online, OfflinePending or Failed: the states RHS and the shim report
  // (CLUSTER_RESOURCE_STATE); stateName() spells one for events and JavaScript.
  CLUSTER_RESOURCE_STATE state = ClusterResourceOffline;
  bool closed = false;
  bool terminatedWhilePending = false;
  // Terminates a failure has scheduled that have not yet returned. RHS calls Terminate on every
  // failure before anything else reaches the DLL (§3.5): an Online or Offline asked for meanwhile
  // (a restart, a deferred request the failure released) waits for it, as one during a pending
  // operation does. Without the wait, an Offline reached the shim while it still had the failed
  // Online pending, and the Online's late result was reported during the Offline.
  int failureTerminates = 0;
  // Counts Online/Offline calls: a Terminate that raced a newer one must not overwrite its state.
  uint64_t operationSeq = 0;
  DWORD lastCheckpoint = 0;
  Clock::time_point lastReport;
  std::vector<Done> settleWaiters;
  // Online/Offline requests that arrived while an Online or Offline was pending; they run once
  // it ends (a final report, a failure, Terminate or Close).
  std::vector<std::function<void()>> afterPending;
  HANDLE failureEvent = nullptr;  // V1: from Online's out parameter or RESOURCE_STATUS
  std::deque<Clock::time_point> restarts;
  Clock::time_point nextLooks, nextIs, restartAt;
  bool restartPending = false;
  bool pollInFlight = false;
  int callsInFlight = 0;  // non-Terminate entry points running now
  std::deque<std::function<void()>> queue;
  bool running = false;
};

const char* opName(Op op);

}  // namespace wsfc::monitor
