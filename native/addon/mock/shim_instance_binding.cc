#include "shim_instance_binding.h"

#include "addon/host/env_registry.h"
#include "addon/host/host_endpoint.h"
#include "in_process_launcher.h"
#include "shim/core/type_config_json.h"

namespace wsfc::addon {

namespace {

uint32_t optU32(Napi::Object o, const char* name, uint32_t fallback) {
  Napi::Value v = o.Get(name);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : fallback;
}

// Marks the JS objects that wrap a ShimInstanceWrap, so instanceOf never unwraps another class.
constexpr napi_type_tag kShimInstanceTag = {0x9d3c5a1e7b2f4c60ULL, 0xa41f0e6d2c8b7395ULL};

}  // namespace

Napi::Function ShimInstanceWrap::define(Napi::Env env) {
  return DefineClass(env, "ShimInstance",
                                 {InstanceMethod("registerInProcessType", &ShimInstanceWrap::registerInProcessType),
                                  InstanceMethod("registerProcessType", &ShimInstanceWrap::registerProcessType),
                                  InstanceMethod("hostPid", &ShimInstanceWrap::hostPid),
                                  InstanceMethod("releaseType", &ShimInstanceWrap::releaseType)});
}

ShimInstanceWrap::ShimInstanceWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ShimInstanceWrap>(info), instance_(std::make_shared<shim::ShimInstance>()) {
  napi_type_tag_object(info.Env(), info.This(), &kShimInstanceTag);
  // Whatever this instance still runs when the environment ends is unloaded then, after the
  // monitors that call it have stopped (EnvRegistry's phases).
  std::weak_ptr<shim::ShimInstance> weak = instance_;
  EnvRegistry::of(info.Env()).add(EnvRegistry::ShimTypes, [weak] {
    if (auto instance = weak.lock()) instance->releaseAllTypes();
  });
}

std::shared_ptr<shim::ShimInstance> ShimInstanceWrap::instanceOf(Napi::Env env, Napi::Value v) {
  if (!v.IsObject()) return nullptr;
  bool tagged = false;
  if (napi_check_object_type_tag(env, v, &kShimInstanceTag, &tagged) != napi_ok || !tagged) return nullptr;
  return Unwrap(v.As<Napi::Object>())->instance_;
}

// Registers a type configuration for this instance's Startup, unloaded again when the
// environment ends.
void ShimInstanceWrap::registerForThisEnv(Napi::Env env, const shim::TypeConfig& config) {
  std::string typeName = config.typeName;
  if (!instance_->registerTypeConfig(config))
    throw Napi::Error::New(env, "resource type '" + typeName + "' is already registered with this shim instance");
  std::weak_ptr<shim::ShimInstance> weak = instance_;
  EnvRegistry::of(env).add(EnvRegistry::ShimTypes, [weak, typeName] {
    if (auto instance = weak.lock()) {
      instance->releaseType(typeName);
      instance->unregisterTypeConfig(typeName);
    }
  });
}

// registerInProcessType(typeName, endpoint, deadlines?, manifest?): the type's host is this process.
Napi::Value ShimInstanceWrap::registerInProcessType(const Napi::CallbackInfo& info) {
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
Napi::Value ShimInstanceWrap::registerProcessType(const Napi::CallbackInfo& info) {
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

// hostPid(typeName): the pid of the type's host process, 0 if none runs (or it is in-process).
Napi::Value ShimInstanceWrap::hostPid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(instance_->hostPidOf(info[0].As<Napi::String>().Utf8Value())));
}

// releaseType(typeName): what unloading the DLL does — joins the type's threads (a host process
// is killed and reaped).
Napi::Value ShimInstanceWrap::releaseType(const Napi::CallbackInfo& info) {
  std::string typeName = info[0].As<Napi::String>().Utf8Value();
  bool released = instance_->releaseType(typeName);
  instance_->unregisterTypeConfig(typeName);
  return Napi::Boolean::New(info.Env(), released);
}

}  // namespace wsfc::addon
