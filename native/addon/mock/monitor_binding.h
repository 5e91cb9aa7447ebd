// JavaScript face of the mock monitor. Every call returns a Promise settled from the monitor's
// threads through one thread-safe function; monitor events reach JS through the same function.
#pragma once
#include <napi.h>

#include <map>
#include <memory>
#include <thread>

#include "monitor/monitor.h"
#include "shim/core/shim_instance.h"

namespace wsfc::addon {

struct MonitorDelivery {
  bool isEvent = false;
  monitor::Event event;
  uint32_t deferred = 0;
  monitor::CallResult result;
};

class MonitorWrap;
void monitorToJs(Napi::Env env, Napi::Function onEvent, MonitorWrap* self, MonitorDelivery* d);
using MonitorTsfn = Napi::TypedThreadSafeFunction<MonitorWrap, MonitorDelivery, monitorToJs>;

// Bridges monitor threads to the TSFN; outlives nothing it points to (stopped before release).
class TsfnSink final : public monitor::EventSink {
 public:
  explicit TsfnSink(MonitorTsfn tsfn) : tsfn_(tsfn) {}
  void onEvent(const monitor::Event& e) override;
  void complete(uint32_t deferred, const monitor::CallResult& r);

 private:
  MonitorTsfn tsfn_;
};

class MonitorWrap : public Napi::ObjectWrap<MonitorWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit MonitorWrap(const Napi::CallbackInfo& info);
  ~MonitorWrap() override;

  void settle(Napi::Env env, uint32_t deferred, const monitor::CallResult& r);

 private:
  Napi::Value startType(const Napi::CallbackInfo& info);
  Napi::Value open(const Napi::CallbackInfo& info);
  Napi::Value call(const Napi::CallbackInfo& info);
  Napi::Value typeControl(const Napi::CallbackInfo& info);
  Napi::Value state(const Napi::CallbackInfo& info);
  Napi::Value storedProperties(const Napi::CallbackInfo& info);
  Napi::Value stop(const Napi::CallbackInfo& info);

  std::pair<uint32_t, Napi::Promise> newDeferred(Napi::Env env);
  Napi::Value refused(Napi::Env env);
  monitor::Done doneFor(uint32_t deferred);
  void shutdown();

  std::unique_ptr<TsfnSink> sink_;
  std::shared_ptr<shim::ShimInstance> shim_;  // null: the process instance (or `library`)
  std::unique_ptr<monitor::Monitor> monitor_;
  MonitorTsfn tsfn_;
  std::map<uint32_t, Napi::Promise::Deferred> deferreds_;
  uint32_t nextDeferred_ = 1;
  bool released_ = false;
  bool stopRequested_ = false;  // stop() was called: later calls are refused at once
  std::shared_ptr<bool> aliveFlag_;
  std::thread stopper_;
};

}  // namespace wsfc::addon
