#include "js_frames.h"

#include "protocol/frame_table.h"
#include "protocol/messages.h"

namespace wsfc::addon {

namespace {

using protocol::FrameType;

napi_value toJs(Napi::Env env, uint8_t v) { return Napi::Number::New(env, v); }
napi_value toJs(Napi::Env env, uint32_t v) { return Napi::Number::New(env, v); }
napi_value toJs(Napi::Env env, const std::string& v) { return Napi::String::New(env, v); }
napi_value toJs(Napi::Env env, const std::vector<uint8_t>& v) { return Napi::Buffer<uint8_t>::Copy(env, v.data(), v.size()); }

uint32_t u32Field(Napi::Env env, Napi::Object o, const char* name, bool required = true) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() && !required) return 0;
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string("frame field '") + name + "' must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0)) throw Napi::RangeError::New(env, std::string("frame field '") + name + "' is out of range");
  return static_cast<uint32_t>(d);
}

void fromJs(Napi::Env env, Napi::Object o, const char* name, uint32_t& out) { out = u32Field(env, o, name); }
void fromJs(Napi::Env env, Napi::Object o, const char* name, uint8_t& out) {
  uint32_t v = u32Field(env, o, name);
  if (v > 255) throw Napi::RangeError::New(env, std::string("frame field '") + name + "' is out of range");
  out = static_cast<uint8_t>(v);
}
void fromJs(Napi::Env env, Napi::Object o, const char* name, std::string& out) {
  Napi::Value v = o.Get(name);
  if (!v.IsString()) throw Napi::TypeError::New(env, std::string("frame field '") + name + "' must be a string");
  out = v.As<Napi::String>().Utf8Value();
}
void fromJs(Napi::Env env, Napi::Object o, const char* name, std::vector<uint8_t>& out) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() || v.IsNull()) return out.clear();
  if (!v.IsBuffer()) throw Napi::TypeError::New(env, std::string("frame field '") + name + "' must be a Buffer");
  auto b = v.As<Napi::Buffer<uint8_t>>();
  out.assign(b.Data(), b.Data() + b.Length());
}

// Each message's JavaScript fields, in the table's order: to the callback's a, b, c (args[4..6])
// and from a HostFrame object's named properties. Wire-only fields are the C++ side's own.
#define WSFC_TO_JS_JS(name) args[next++] = toJs(env, m.name);
#define WSFC_TO_JS_Wire(name)
#define WSFC_TO_JS(kind, name, js) WSFC_TO_JS_##js(name)
#define WSFC_FROM_JS_JS(name) fromJs(env, o, #name, m.name);
#define WSFC_FROM_JS_Wire(name)
#define WSFC_FROM_JS(kind, name, js) WSFC_FROM_JS_##js(name)
#define WSFC_COUNT_JS(name) +1
#define WSFC_COUNT_Wire(name)
#define WSFC_COUNT(kind, name, js) WSFC_COUNT_##js(name)
#define WSFC_JS_FIELDS(Msg, FIELDS)                                                             \
  static_assert(0 FIELDS(WSFC_COUNT) <= 3, #Msg " has more fields than the callback's a, b, c"); \
  [[maybe_unused]] void fieldsToJs(Napi::Env env, const protocol::Msg& m, napi_value(&args)[kFrameArgs]) { \
    size_t next = 4;                                                                            \
    (void)env;                                                                                  \
    (void)m;                                                                                    \
    (void)args;                                                                                 \
    FIELDS(WSFC_TO_JS)                                                                          \
    (void)next;                                                                                 \
  }                                                                                             \
  [[maybe_unused]] void fieldsFromJs(Napi::Env env, Napi::Object o, protocol::Msg& m) { \
    (void)env;                                                                                  \
    (void)o;                                                                                    \
    (void)m;                                                                                    \
    FIELDS(WSFC_FROM_JS)                                                                        \
  }
WSFC_MESSAGES(WSFC_JS_FIELDS)

// What JavaScript may not send although the wire could carry it.
template <class Msg>
void checkFromJs(Napi::Env, const Msg&) {}
void checkFromJs(Napi::Env env, const protocol::LogMsg& m) {
  if (m.level > 3) throw Napi::RangeError::New(env, "log level must be 0..3");
}

template <class Msg>
bool payloadToJs(Napi::Env env, const protocol::Frame& f, napi_value (&args)[kFrameArgs]) {
  Msg m;
  bool ok = protocol::decodeAs(f, m);
  fieldsToJs(env, m, args);
  return ok;
}

template <class Msg>
protocol::Frame payloadFromJs(Napi::Env env, Napi::Object o, FrameType type, uint32_t slot, uint32_t gen, uint32_t req) {
  Msg m;
  fieldsFromJs(env, o, m);
  checkFromJs(env, m);
  return protocol::encodeAs(type, slot, gen, req, m);
}

}  // namespace

void closedToJsArgs(Napi::Env env, const std::string& reason, napi_value (&args)[kFrameArgs]) {
  napi_value undef = env.Undefined();
  for (auto& a : args) a = undef;
  args[0] = Napi::String::New(env, "closed");
  args[4] = Napi::String::New(env, reason);
}

void frameToJsArgs(Napi::Env env, const protocol::Frame& f, napi_value (&args)[kFrameArgs]) {
  napi_value undef = env.Undefined();
  for (auto& a : args) a = undef;
  args[0] = Napi::String::New(env, protocol::frameTypeName(f.type));
  args[1] = Napi::Number::New(env, f.slot);
  args[2] = Napi::Number::New(env, f.generation);
  args[3] = Napi::Number::New(env, f.request);
  bool ok = false;  // host-bound frames only
  switch (f.type) {
#define WSFC_TO_JS_CASE_ToHost(Enum, Payload) \
  case FrameType::Enum:                       \
    ok = payloadToJs<protocol::Payload>(env, f, args); \
    break;
#define WSFC_TO_JS_CASE_Both WSFC_TO_JS_CASE_ToHost
#define WSFC_TO_JS_CASE_ToShim(Enum, Payload)
#define WSFC_TO_JS_CASE(Enum, value, name, Payload, direction) WSFC_TO_JS_CASE_##direction(Enum, Payload)
    WSFC_FRAME_TYPES(WSFC_TO_JS_CASE)
    default:
      break;
  }
  if (!ok) args[7] = Napi::String::New(env, std::string("malformed ") + protocol::frameTypeName(f.type) + " frame");
}

protocol::Frame frameFromJs(Napi::Env env, Napi::Value v) {
  if (!v.IsObject()) throw Napi::TypeError::New(env, "frame must be an object");
  Napi::Object o = v.As<Napi::Object>();
  std::string type;
  fromJs(env, o, "type", type);
  uint32_t slot = u32Field(env, o, "slot", false);
  uint32_t gen = u32Field(env, o, "generation", false);
  uint32_t req = u32Field(env, o, "request", false);
  protocol::Frame f;
#define WSFC_FROM_JS_CASE_ToShim(Enum, name, Payload) \
  if (type == name) {                                 \
    f = payloadFromJs<protocol::Payload>(env, o, FrameType::Enum, slot, gen, req); \
  } else
#define WSFC_FROM_JS_CASE_Both WSFC_FROM_JS_CASE_ToShim
#define WSFC_FROM_JS_CASE_ToHost(Enum, name, Payload)
#define WSFC_FROM_JS_CASE(Enum, value, name, Payload, direction) WSFC_FROM_JS_CASE_##direction(Enum, name, Payload)
  WSFC_FRAME_TYPES(WSFC_FROM_JS_CASE)
  {
    throw Napi::TypeError::New(env, "unknown frame type '" + type + "'");
  }
  if (f.payload.size() > protocol::kMaxPayload) throw Napi::RangeError::New(env, "frame payload exceeds 1 MiB");
  return f;
}
protocol::Frame resultFromJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t ids[4];
  static const char* const names[4] = {"slot", "generation", "request", "status"};
  for (size_t i = 0; i < 4; ++i) {
    if (!info[i].IsNumber()) throw Napi::TypeError::New(env, std::string("sendResult: '") + names[i] + "' must be a number");
    double d = info[i].As<Napi::Number>().DoubleValue();
    if (!(d >= 0 && d <= 4294967295.0)) throw Napi::RangeError::New(env, std::string("sendResult: '") + names[i] + "' is out of range");
    ids[i] = static_cast<uint32_t>(d);
  }
  protocol::ResultMsg m{ids[3], {}};
  Napi::Value out = info[4];
  if (!out.IsUndefined() && !out.IsNull()) {
    if (!out.IsBuffer()) throw Napi::TypeError::New(env, "sendResult: 'output' must be a Buffer");
    auto b = out.As<Napi::Buffer<uint8_t>>();
    if (b.Length() > protocol::kMaxPayload) throw Napi::RangeError::New(env, "frame payload exceeds 1 MiB");
    m.output.assign(b.Data(), b.Data() + b.Length());
  }
  protocol::Frame f = protocol::encode(ids[0], ids[1], ids[2], m);
  if (f.payload.size() > protocol::kMaxPayload) throw Napi::RangeError::New(env, "frame payload exceeds 1 MiB");
  return f;
}

}  // namespace wsfc::addon
