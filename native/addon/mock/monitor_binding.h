// JavaScript face of the mock monitor. Every call returns a Promise settled from the monitor's
// threads through one thread-safe function; monitor events reach JS through the same function.
//
// Lifetime: everything the monitor's threads and the thread-safe function's deliveries touch is
// in a MonitorCore, owned jointly by the JS wrapper and by the thread-safe function itself (its
// finalizer drops the last reference, after the last queued delivery has run). A wrapper that is
// garbage-collected while completions are still queued therefore never leaves them a freed object
// to settle (the double free issue 13 saw once).
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

struct MonitorCore;
void monitorToJs(Napi::Env env, Napi::Function onEvent, MonitorCore* core, MonitorDelivery* d);
using MonitorTsfn = Napi::TypedThreadSafeFunction<MonitorCore, MonitorDelivery, monitorToJs>;

// Bridges monitor threads to the TSFN; outlives nothing it points to (stopped before release).
class TsfnSink final : public monitor::EventSink {
 public:
  explicit TsfnSink(MonitorTsfn tsfn) : tsfn_(tsfn) {}
  void onEvent(const monitor::Event& e) override;
  void complete(uint32_t deferred, const monitor::CallResult& r);

 private:
  MonitorTsfn tsfn_;
};

// What outlives the JS object: see the lifetime note above. Used on the JS thread only, except
// the sink (monitor threads) and the stopper thread (monitor and sink).
struct MonitorCore {
  std::unique_ptr<TsfnSink> sink;
  std::shared_ptr<shim::ShimInstance> shim;  // null: the process instance (or `library`)
  std::unique_ptr<monitor::Monitor> monitor;
  MonitorTsfn tsfn;
  std::map<uint32_t, Napi::Promise::Deferred> deferreds;
  uint32_t nextDeferred = 1;
  bool released = false;  // this core's hold on the TSFN is released, or the TSFN is finalized
  std::thread stopper;

  // Stops the monitor, unloads the types it started, then releases the TSFN, whose remaining
  // deliveries still find this core. Idempotent.
  void shutdown();
  void settle(Napi::Env env, uint32_t deferred, const monitor::CallResult& r);
  std::pair<uint32_t, Napi::Promise> newDeferred(Napi::Env env);
  monitor::Done doneFor(uint32_t deferred);
};

class MonitorWrap : public Napi::ObjectWrap<MonitorWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit MonitorWrap(const Napi::CallbackInfo& info);
  ~MonitorWrap() override;

 private:
  Napi::Value startType(const Napi::CallbackInfo& info);
  Napi::Value open(const Napi::CallbackInfo& info);
  Napi::Value call(const Napi::CallbackInfo& info);
  Napi::Value typeControl(const Napi::CallbackInfo& info);
  Napi::Value state(const Napi::CallbackInfo& info);
  Napi::Value storedProperties(const Napi::CallbackInfo& info);
  Napi::Value stop(const Napi::CallbackInfo& info);

  Napi::Value refused(Napi::Env env);

  std::shared_ptr<MonitorCore> core_;
  bool stopRequested_ = false;  // stop() was called: later calls are refused at once
};

}  // namespace wsfc::addon
