#include "monitor_binding.h"

#include <thread>

#include "addon/host/env_registry.h"
#include "platform/library_loader.h"
#include "shim/core/shim_api.h"
#include "shim_instance_binding.h"

namespace wsfc::addon {

namespace {

monitor::Op parseOp(Napi::Env env, const std::string& s) {
  using monitor::Op;
  if (s == "online") return Op::Online;
  if (s == "offline") return Op::Offline;
  if (s == "terminate") return Op::Terminate;
  if (s == "close") return Op::Close;
  if (s == "looksAlive") return Op::LooksAlive;
  if (s == "isAlive") return Op::IsAlive;
  if (s == "control") return Op::Control;
  if (s == "cancel") return Op::Cancel;
  throw Napi::TypeError::New(env, "unknown monitor operation '" + s + "'");
}

uint32_t optU32(Napi::Object o, const char* name, uint32_t fallback) {
  Napi::Value v = o.Get(name);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : fallback;
}

bool optBool(Napi::Object o, const char* name, bool fallback) {
  Napi::Value v = o.Get(name);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : fallback;
}

std::vector<uint8_t> bytesOf(Napi::Value v) {
  if (!v.IsBuffer()) return {};
  auto b = v.As<Napi::Buffer<uint8_t>>();
  return std::vector<uint8_t>(b.Data(), b.Data() + b.Length());
}

Napi::Object eventToJs(Napi::Env env, const monitor::Event& e) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("at", e.atMs);
  o.Set("resource", e.resource);
  o.Set("kind", e.kind);
  o.Set("name", e.name);
  if (e.durationMs >= 0) o.Set("durationMs", e.durationMs);
  o.Set("result", static_cast<double>(e.result));
  if (e.level >= 0) o.Set("level", e.level);
  if (!e.message.empty()) o.Set("message", e.message);
  if (e.code >= 0) o.Set("code", static_cast<double>(e.code));
  return o;
}

}  // namespace

void monitorToJs(Napi::Env env, Napi::Function onEvent, MonitorWrap* self, MonitorDelivery* d) {
  std::unique_ptr<MonitorDelivery> owned(d);
  if (!env) return;
  // As in host_endpoint.cc: a delivery still queued when the environment tears down cannot run
  // JavaScript any more, and the exception that says so must not leave this callback.
  try {
    if (owned->isEvent) {
      onEvent.Call({eventToJs(env, owned->event)});
    } else {
      self->settle(env, owned->deferred, owned->result);
    }
  } catch (const Napi::Error&) {
  }
}

void TsfnSink::onEvent(const monitor::Event& e) {
  auto* d = new MonitorDelivery();
  d->isEvent = true;
  d->event = e;
  if (tsfn_.NonBlockingCall(d) != napi_ok) delete d;
}

void TsfnSink::complete(uint32_t deferred, const monitor::CallResult& r) {
  auto* d = new MonitorDelivery();
  d->deferred = deferred;
  d->result = r;
  if (tsfn_.NonBlockingCall(d) != napi_ok) delete d;
}

Napi::Function MonitorWrap::define(Napi::Env env) {
  return DefineClass(env, "Monitor",
                     {InstanceMethod("startType", &MonitorWrap::startType), InstanceMethod("open", &MonitorWrap::open),
                      InstanceMethod("call", &MonitorWrap::call), InstanceMethod("typeControl", &MonitorWrap::typeControl),
                      InstanceMethod("state", &MonitorWrap::state),
                      InstanceMethod("storedProperties", &MonitorWrap::storedProperties),
                      InstanceMethod("stop", &MonitorWrap::stop)});
}

MonitorWrap::MonitorWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MonitorWrap>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || !info[1].IsFunction())
    throw Napi::TypeError::New(env, "Monitor(options, onEvent)");
  Napi::Object o = info[0].As<Napi::Object>();
  monitor::Options opt;
  opt.resapiVersion = optU32(o, "resapiVersion", CLRES_VERSION_V2_00);
  opt.polling = optBool(o, "polling", false);
  opt.looksAliveMs = optU32(o, "looksAliveMs", 5000);
  opt.isAliveMs = optU32(o, "isAliveMs", 60000);
  opt.pendingTimeoutMs = optU32(o, "pendingTimeoutMs", 180000);
  opt.restart = optBool(o, "restart", false);
  opt.restartThreshold = optU32(o, "restartThreshold", 3);
  opt.restartPeriodMs = optU32(o, "restartPeriodMs", 900000);
  opt.restartDelayMs = optU32(o, "restartDelayMs", 500);
  opt.callLimitMs = optU32(o, "callLimitMs", 300);
  opt.serializeCalls = optBool(o, "serializeCalls", true);
  opt.threads = optU32(o, "threads", 4);
  tsfn_ = MonitorTsfn::New(env, info[1].As<Napi::Function>(), "wsfc-monitor", 0, 1, this);
  tsfn_.Unref(env);
  sink_ = std::make_unique<TsfnSink>(tsfn_);
  // In mock mode the shim is linked into this addon: its exports are the "loaded library".
  // Tests and benchmarks may name another resource library to load the way RHS does (the
  // test-only libraries of native/tests: the contract breaker proves the monitor's checks, the
  // baselines are what the benchmarks compare against); none of them is linked in here.
  Napi::Value which = o.Get("library");
  // Which copy of the shim: `shim`, a ShimInstance (a mock cluster's node), else the process's.
  shim_ = ShimInstanceWrap::instanceOf(env, o.Get("shim"));
  if (!shim_ && !o.Get("shim").IsUndefined()) throw Napi::TypeError::New(env, "Monitor: options.shim must be a ShimInstance");
  monitor::Library lib{&Startup, &StartupEx};
  if (shim_) {
    shim::ShimInstance* instance = shim_.get();
    lib.startup = [instance](LPCWSTR type, DWORD min, DWORD max, PSET_RESOURCE_STATUS_ROUTINE setStatus,
                             PLOG_EVENT_ROUTINE logEvent, PCLRES_FUNCTION_TABLE* table) {
      return instance->startup(type, min, max, setStatus, logEvent, table);
    };
    lib.startupEx = [instance](LPCWSTR type, DWORD min, DWORD max, PCLRES_CALLBACK_FUNCTION_TABLE callbacks,
                               PCLRES_FUNCTION_TABLE* table) { return instance->startupEx(type, min, max, callbacks, table); };
  }
  if (which.IsString()) {
    if (shim_) throw Napi::TypeError::New(env, "Monitor: options.library and options.shim exclude each other");
    std::string path = which.As<Napi::String>().Utf8Value();
    std::string error;
    // Never unloaded: a library's threads may outlive any one monitor, as in RHS.
    void* loaded = platform::loadLibrary(path, error);
    if (!loaded) throw Napi::Error::New(env, "cannot load resource library " + path + ": " + error);
    lib = monitor::Library{reinterpret_cast<PSTARTUP_ROUTINE>(platform::findSymbol(loaded, "Startup")),
                           reinterpret_cast<PSTARTUP_EX_ROUTINE>(platform::findSymbol(loaded, "StartupEx"))};
    if (!lib.startup && !lib.startupEx) throw Napi::Error::New(env, path + " exports neither Startup nor StartupEx");
  }
  monitor_ = std::make_unique<monitor::Monitor>(lib, opt, *sink_);
  // Weak by design: the registry must not keep the wrapper alive; shutdown() is idempotent.
  MonitorWrap* self = this;
  auto alive = std::make_shared<bool>(true);
  EnvRegistry::of(env).add(EnvRegistry::Monitors, [self, alive] {
    if (*alive) self->shutdown();
  });
  aliveFlag_ = alive;
}

MonitorWrap::~MonitorWrap() {
  if (aliveFlag_) *aliveFlag_ = false;
  shutdown();
}

void MonitorWrap::shutdown() {
  if (stopper_.joinable()) stopper_.join();
  if (monitor_) {
    monitor_->stop();
    // The shim's threads hold this monitor's resource handles and callbacks: unload the types it
    // started before the monitor (or the thread-safe function its events use) can go away.
    for (const auto& type : monitor_->startedTypes()) {
      if (shim_) shim_->releaseType(type);
      else shim::releaseType(type);
    }
  }
  if (!released_) {
    released_ = true;
    tsfn_.Release();
  }
}

// A call after stop() was asked for: the monitor's threads are going or gone, so it is answered
// here, at once, as RHS answers nothing once it is shutting down (never left pending).
Napi::Value MonitorWrap::refused(Napi::Env env) {
  auto d = Napi::Promise::Deferred::New(env);
  Napi::Object o = Napi::Object::New(env);
  o.Set("status", 1115);  // ERROR_SHUTDOWN_IN_PROGRESS
  o.Set("alive", false);
  o.Set("state", "Stopped");
  o.Set("output", Napi::Buffer<uint8_t>::New(env, 0));
  o.Set("resource", 0);
  d.Resolve(o);
  return d.Promise();
}

std::pair<uint32_t, Napi::Promise> MonitorWrap::newDeferred(Napi::Env env) {
  auto d = Napi::Promise::Deferred::New(env);
  uint32_t id = nextDeferred_++;
  if (deferreds_.empty() && !released_) tsfn_.Ref(env);  // an awaited call keeps the process alive
  deferreds_.emplace(id, d);
  return {id, d.Promise()};
}

monitor::Done MonitorWrap::doneFor(uint32_t deferred) {
  TsfnSink* sink = sink_.get();
  return [sink, deferred](const monitor::CallResult& r) { sink->complete(deferred, r); };
}

void MonitorWrap::settle(Napi::Env env, uint32_t deferred, const monitor::CallResult& r) {
  auto it = deferreds_.find(deferred);
  if (it == deferreds_.end()) return;
  Napi::Object o = Napi::Object::New(env);
  o.Set("status", r.status);
  o.Set("alive", r.alive);
  o.Set("state", r.state);
  o.Set("output", Napi::Buffer<uint8_t>::Copy(env, r.output.data(), r.output.size()));
  o.Set("resource", static_cast<double>(r.resource));
  it->second.Resolve(o);
  deferreds_.erase(it);
  if (deferreds_.empty() && !released_) tsfn_.Unref(env);
}

Napi::Value MonitorWrap::startType(const Napi::CallbackInfo& info) {
  if (stopRequested_) return refused(info.Env());
  auto [id, promise] = newDeferred(info.Env());
  monitor_->startType(info[0].As<Napi::String>().Utf8Value(), doneFor(id));
  return promise;
}

Napi::Value MonitorWrap::open(const Napi::CallbackInfo& info) {
  if (stopRequested_) return refused(info.Env());
  auto [id, promise] = newDeferred(info.Env());
  uint32_t openFlags = info[3].IsNumber() ? info[3].As<Napi::Number>().Uint32Value() : 0;
  monitor_->open(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::String>().Utf8Value(), bytesOf(info[2]),
                 doneFor(id), openFlags);
  return promise;
}

Napi::Value MonitorWrap::call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (stopRequested_) return refused(env);
  uint64_t resource = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
  monitor::Op op = parseOp(env, info[1].As<Napi::String>().Utf8Value());
  uint32_t code = info[2].IsNumber() ? info[2].As<Napi::Number>().Uint32Value() : 0;
  uint32_t outputSize = info[4].IsNumber() ? info[4].As<Napi::Number>().Uint32Value() : 0;
  // details: { flags, destinationNode, reason } of an Online, Offline or Terminate.
  monitor::CallDetails details;
  if (info[5].IsObject()) {
    Napi::Object d = info[5].As<Napi::Object>();
    details.flags = optU32(d, "flags", 0);
    Napi::Value dest = d.Get("destinationNode");
    if (dest.IsString()) {
      details.hasDestination = true;
      details.destinationNode = dest.As<Napi::String>().Utf8Value();
    }
    details.reason = static_cast<int>(optU32(d, "reason", 0));
  }
  auto [id, promise] = newDeferred(env);
  monitor_->call(resource, op, code, bytesOf(info[3]), outputSize, doneFor(id), details);
  return promise;
}

Napi::Value MonitorWrap::typeControl(const Napi::CallbackInfo& info) {
  if (stopRequested_) return refused(info.Env());
  uint32_t code = info[1].As<Napi::Number>().Uint32Value();
  uint32_t outputSize = info[3].IsNumber() ? info[3].As<Napi::Number>().Uint32Value() : 0;
  auto [id, promise] = newDeferred(info.Env());
  monitor_->typeControl(info[0].As<Napi::String>().Utf8Value(), code, bytesOf(info[2]), outputSize, doneFor(id));
  return promise;
}

Napi::Value MonitorWrap::state(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), monitor_->stateOf(static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value())));
}

Napi::Value MonitorWrap::storedProperties(const Napi::CallbackInfo& info) {
  auto bytes = monitor_->storedProperties(static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value()));
  return Napi::Buffer<uint8_t>::Copy(info.Env(), bytes.data(), bytes.size());
}

// Stopping joins the monitor's threads, which may be waiting (within their deadlines) on handlers
// that run on this very JS thread; so it happens on a helper thread and settles a promise.
Napi::Value MonitorWrap::stop(const Napi::CallbackInfo& info) {
  if (stopper_.joinable()) throw Napi::Error::New(info.Env(), "the monitor is already stopping");
  stopRequested_ = true;
  // Not a structured binding: a lambda capturing one is C++20 (clang refuses it in C++17).
  auto deferred = newDeferred(info.Env());
  uint32_t id = deferred.first;
  monitor::Monitor* m = monitor_.get();
  TsfnSink* sink = sink_.get();
  // Joined in shutdown(), before the environment goes away.
  stopper_ = std::thread([m, sink, id] {
    m->stop();
    sink->complete(id, monitor::CallResult{});
  });
  return deferred.second;
}

}  // namespace wsfc::addon
