// JavaScript face of one shim instance (shim/core/shim_instance.h): one node's copy of the
// resource library. MockCluster makes one per node, registers its types' configurations with it,
// and hands it to that node's Monitor, whose Startup then goes to this instance only.
#pragma once
#include <napi.h>

#include <memory>

#include "shim/core/shim_instance.h"

namespace wsfc::addon {

class ShimInstanceWrap : public Napi::ObjectWrap<ShimInstanceWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit ShimInstanceWrap(const Napi::CallbackInfo& info);

  // The wrapped instance of a JS ShimInstance, or null if v is not one.
  static std::shared_ptr<shim::ShimInstance> instanceOf(Napi::Env env, Napi::Value v);

 private:
  Napi::Value registerInProcessType(const Napi::CallbackInfo& info);
  Napi::Value registerProcessType(const Napi::CallbackInfo& info);
  Napi::Value hostPid(const Napi::CallbackInfo& info);
  Napi::Value releaseType(const Napi::CallbackInfo& info);
  void registerForThisEnv(Napi::Env env, const shim::TypeConfig& config);

  std::shared_ptr<shim::ShimInstance> instance_;
};

}  // namespace wsfc::addon
