// wsfc-mock.node: the host endpoint, the mock monitor, and — for mock mode — the shim itself,
// linked in so MockCluster drives the same code that becomes wsfcres.dll. A host process loads
// wsfc-host.node (addon/host/host_addon.cc) instead, which has none of the shim.
#include <napi.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "protocol/frame.h"
#include "shim/config/shim_config.h"
#include "shim/core/type_config_json.h"
#include "addon/host/host_endpoint.h"
#include "addon/host/js_proplist.h"
#include "monitor_binding.h"
#include "shim_instance_binding.h"

namespace wsfc::addon {

namespace {

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
  exports.Set("ShimInstance", ShimInstanceWrap::define(env));
  exports.Set("checkTypeConfig", Napi::Function::New(env, checkTypeConfig));
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
