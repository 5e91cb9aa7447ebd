// wsfc-mock.node: the host endpoint, the mock monitor, and — for mock mode — the shim itself,
// linked in so MockCluster drives the same code that becomes wsfcres.dll. A host process loads
// wsfc-host.node (addon/host/host_addon.cc) instead, which has none of the shim.
#include <napi.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "protocol/frame.h"
#include "shim/core/shim_api.h"
#include "shim/config/shim_config.h"
#include "shim/core/type_config_json.h"
#include "addon/host/env_registry.h"
#include "addon/host/js_proplist.h"
#include "in_process_launcher.h"
#include "monitor_binding.h"

namespace wsfc::addon {

namespace {

uint32_t optU32(Napi::Object o, const char* name, uint32_t fallback) {
  Napi::Value v = o.Get(name);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : fallback;
}

// Registers a type configuration for Startup to find, unloaded again when this environment ends.
void registerForThisEnv(Napi::Env env, const shim::TypeConfig& config) {
  std::string typeName = config.typeName;
  if (!shim::registerTypeConfig(config))
    throw Napi::Error::New(env, "resource type '" + typeName +
                                    "' is already registered in this process; stop the other MockCluster first");
  EnvRegistry::of(env).add(EnvRegistry::ShimTypes, [typeName] {
    shim::releaseType(typeName);
    shim::unregisterTypeConfig(typeName);
  });
}

// registerInProcessType(typeName, endpoint, deadlines?, manifest?): the type's host is this process.
Napi::Value registerInProcessType(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsObject())
    throw Napi::TypeError::New(env, "registerInProcessType(typeName, endpoint, deadlines?, manifest?)");
  std::string typeName = info[0].As<Napi::String>().Utf8Value();
  HostEndpoint* endpoint = HostEndpoint::Unwrap(info[1].As<Napi::Object>());
  shim::TypeConfig config;
  config.typeName = typeName;
  if (info[2].IsObject()) {
    Napi::Object d = info[2].As<Napi::Object>();
    auto& dl = config.deadlines;
    dl.entryBudgetMs = optU32(d, "entryBudgetMs", dl.entryBudgetMs);
    dl.looksAliveMs = optU32(d, "looksAliveMs", dl.looksAliveMs);
    dl.isAliveMs = optU32(d, "isAliveMs", dl.isAliveMs);
    dl.controlMs = optU32(d, "controlMs", dl.controlMs);
    dl.terminateAckMs = optU32(d, "terminateAckMs", dl.terminateAckMs);
  }
  // The host is this very process: no heartbeats (a test may block the event loop at will), no
  // process to kill, no reason to back off before "relaunching" it.
  config.supervision.heartbeatIntervalMs = 0;
  config.supervision.heartbeatTimeoutMs = 0;
  config.supervision.restartBackoffMinMs = 0;
  // The manifest (lib/manifest.ts, as JSON), validated like a type configuration's, so the
  // native property codes answer from the same schema in both host modes.
  if (info[3].IsString()) {
    std::string error;
    if (!shim::manifestFromJsonText(info[3].As<Napi::String>().Utf8Value(), config, error))
      throw Napi::Error::New(env, "bad manifest: " + error);
  }
  config.mockPropertyStore = true;
  config.launcher = std::make_shared<InProcessLauncher>(endpoint->core());
  registerForThisEnv(env, config);
  return env.Undefined();
}

// registerProcessType(configJson): the type configuration a `<library>.json` file would hold
// (native/shim/type_config_json.h), validated the same way; the shim starts the host process.
// Returns the type name.
Napi::Value registerProcessType(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "registerProcessType(configJson)");
  shim::TypeConfig config;
  std::string error;
  if (!shim::typeConfigFromJson(info[0].As<Napi::String>().Utf8Value(), "", config, error))
    throw Napi::Error::New(env, "bad type configuration: " + error);
  // The mock monitor hands Open a MockPropertyKey, never a cluster database key: the cluster store
  // (Windows' default) would call ClusAPI on it.
  if (!config.mockPropertyStore)
    throw Napi::Error::New(env, "bad type configuration: propertyStore: a mock cluster has no cluster database; use \"mock\"");
  registerForThisEnv(env, config);
  return Napi::String::New(env, config.typeName);
}

// checkTypeConfig(configJson): what Startup would say about that file: '' or the problem.
Napi::Value checkTypeConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "checkTypeConfig(configJson)");
  shim::TypeConfig config;
  std::string error;
  if (shim::typeConfigFromJson(info[0].As<Napi::String>().Utf8Value(), "", config, error)) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("typeName", config.typeName);
    o.Set("manifest", config.manifestJson);
    return o;
  }
  return Napi::String::New(env, error);
}

// hostPid(typeName): the pid of the type's host process, 0 if none runs (or it is in-process).
Napi::Value hostPid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(shim::hostPidOf(info[0].As<Napi::String>().Utf8Value())));
}

// releaseType(typeName): what unloading the DLL does — joins the type's threads.
Napi::Value releaseType(const Napi::CallbackInfo& info) {
  std::string typeName = info[0].As<Napi::String>().Utf8Value();
  bool released = shim::releaseType(typeName);
  shim::unregisterTypeConfig(typeName);
  return Napi::Boolean::New(info.Env(), released);
}

// decodeFrame(buffer): the C++ frame decoder, exposed so tests feed it hostile bytes.
Napi::Value decodeFrame(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBuffer()) throw Napi::TypeError::New(env, "decodeFrame(buffer)");
  auto b = info[0].As<Napi::Buffer<uint8_t>>();
  protocol::Frame f;
  auto r = protocol::decodeFrame(b.Data(), b.Length(), f);
  Napi::Object o = Napi::Object::New(env);
  o.Set("status", r.status == protocol::DecodeStatus::Ok ? "ok" : r.status == protocol::DecodeStatus::NeedMore ? "needMore" : "error");
  if (r.status == protocol::DecodeStatus::Ok) {
    o.Set("consumed", static_cast<double>(r.consumed));
    o.Set("type", protocol::frameTypeName(f.type));
    o.Set("slot", f.slot);
    o.Set("generation", f.generation);
    o.Set("request", f.request);
    o.Set("payloadLength", static_cast<double>(f.payload.size()));
  }
  if (!r.error.empty()) o.Set("error", r.error);
  return o;
}

}  // namespace

// nativeHeapBytes(): bytes the C/C++ heap has handed out (glibc mallinfo2), for the memory
// benchmark; -1 where the C library cannot say.
Napi::Value nativeHeapBytes(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  return Napi::Number::New(info.Env(), static_cast<double>(mallinfo2().uordblks));
#else
  return Napi::Number::New(info.Env(), -1);
#endif
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("HostEndpoint", HostEndpoint::define(env));
  exports.Set("Monitor", MonitorWrap::define(env));
  exports.Set("registerInProcessType", Napi::Function::New(env, registerInProcessType));
  exports.Set("registerProcessType", Napi::Function::New(env, registerProcessType));
  exports.Set("checkTypeConfig", Napi::Function::New(env, checkTypeConfig));
  exports.Set("hostPid", Napi::Function::New(env, hostPid));
  exports.Set("releaseType", Napi::Function::New(env, releaseType));
  exports.Set("decodeFrame", Napi::Function::New(env, decodeFrame));
  exports.Set("decodePropertyList", Napi::Function::New(env, decodePropertyListNative));
  exports.Set("decodeMultiSz", Napi::Function::New(env, decodeMultiSzNative));
  exports.Set("encodePropertyList", Napi::Function::New(env, encodePropertyListNative));
  exports.Set("maxPayload", protocol::kMaxPayload);
  exports.Set("nativeHeapBytes", Napi::Function::New(env, nativeHeapBytes));
  return exports;
}

}  // namespace wsfc::addon

static Napi::Object InitWsfcMock(Napi::Env env, Napi::Object exports) { return wsfc::addon::init(env, exports); }

NODE_API_MODULE(wsfc_mock, InitWsfcMock)
