// Everything the shim does for one resource type inside one RHS process: the resources' slots,
// the host link, and the logic behind each entry point (DESIGN §3).
#pragma once
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "shim/host/host_link.h"
#include "monitor_callbacks.h"
#include "pending_calls.h"
#include "protocol/proplist.h"
#include "shim/config/shim_config.h"
#include "slot.h"

namespace wsfc::shim {

class TypeRuntime final : private HostLink::Listener {
 public:
  TypeRuntime(TypeConfig config, MonitorCallbacks callbacks);
  ~TypeRuntime() override;

  const std::string& typeName() const { return config_.typeName; }
  const MonitorCallbacks& callbacks() const { return callbacks_; }
  void start();
  // Stops the host link and fails whatever is still pending. For library unload only.
  void stop();
  int64_t hostPid() const { return link_.hostPid(); }

  RESID open(LPCWSTR name, HKEY key, RESOURCE_HANDLE handle, DWORD flags);
  void close(Slot* slot);
  DWORD online(Slot* slot, LPHANDLE eventHandle, DWORD flags);
  DWORD offline(Slot* slot, DWORD flags, const std::string& destinationNode);
  void terminate(Slot* slot);
  DWORD cancel(Slot* slot);
  BOOL looksAlive(Slot* slot);
  BOOL isAlive(Slot* slot);
  DWORD resourceControl(Slot* slot, DWORD code, const void* in, DWORD inSize, void* out, DWORD outSize,
                        LPDWORD bytesReturned);
  DWORD typeControl(DWORD code, const void* in, DWORD inSize, void* out, DWORD outSize, LPDWORD bytesReturned);

  void log(Slot* slot, LOG_LEVEL level, const std::string& message) const;

 private:
  void onHostFrame(protocol::Frame&& f) override;
  void onHostReady() override;
  void onHostLost(const std::string& why, uint64_t epoch) override;
  void onStaleRequests(uint64_t epoch) override;
  void onHostLog(LOG_LEVEL level, const std::string& line) override;

  std::shared_ptr<Slot> findSlot(uint32_t id);
  uint32_t sendRequest(PendingCall call, const std::function<protocol::Frame(uint32_t request)>& encode);
  void failRequest(const PendingCall& call);
  // Starts a host if there is none (HostLink::ensureHost), waiting until dyingWait at most for
  // one that a Terminate killed to be torn down first.
  void ensureHost(const Deadline& dyingWait);
  // How much of an entry point's budget may go to that wait: the teardown takes milliseconds.
  static constexpr uint32_t kDyingHostWaitMs = 100;
  // The deadline for waits inside one entry point: the entry budget less what logging and
  // returning take after a wait gives up, so the call itself still ends within the budget.
  Deadline entryBudget() const;
  // The slot's stored private properties, narrowed to the schema's formats; false if the store
  // cannot be read (why says so). A malformed stored list reads as empty, with a warning.
  bool readStored(Slot& slot, std::vector<proplist::Property>& out, std::string& why);
  bool hostUsable() const;
  protocol::Frame openFrame(Slot& slot);
  BOOL checkHealth(Slot* slot, HealthProbe& probe, CallKind kind, uint32_t deadlineMs, const Deadline& budget);
  void completeHealth(Slot& slot, HealthProbe& probe, bool alive, bool hostGone);
  void completeOperation(Slot& slot, const PendingCall& call, uint32_t status, uint32_t appCode, uint32_t statusFlags);
  DWORD stateChangeReason(Slot* slot, const void* in, DWORD inSize);
  void reportLateFailure(Slot& slot, DWORD code, const std::string& why);
  void terminateLockFree(Slot* slot, const Deadline& budget);
  // property_controls.cc: the control codes answered from the manifest. handled=false means
  // the code is not one of them.
  DWORD nativeResourceControl(Slot* slot, DWORD code, const void* in, DWORD inSize, void* out, DWORD outSize,
                              LPDWORD bytesReturned, const Deadline& budget, bool& handled);
  DWORD nativeTypeControl(DWORD code, const void* in, DWORD inSize, void* out, DWORD outSize, LPDWORD bytesReturned,
                          bool& handled);
  DWORD setOrValidate(Slot* slot, bool store, const void* in, DWORD inSize, const Deadline& budget);
  DWORD askValidateHook(Slot* slot, const std::vector<uint8_t>& merged, const Deadline& budget);
  DWORD forwardControl(Slot* slot, bool typeLevel, DWORD code, const void* in, DWORD inSize, void* out,
                       DWORD outSize, LPDWORD bytesReturned, const Deadline& budget);

  TypeConfig config_;
  MonitorCallbacks callbacks_;
  HostLink link_;
  PendingCalls pending_;
  std::mutex slotsMu_;
  std::map<uint32_t, std::shared_ptr<Slot>> slots_;
  uint32_t nextSlot_ = 1;
  std::atomic<bool> spinner_{false};  // a health check is watching for its answer (checkHealth)
};

}  // namespace wsfc::shim
