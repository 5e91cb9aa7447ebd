#include "js_frames.h"

#include "../protocol/messages.h"

namespace wsfc::addon {

namespace {

using protocol::FrameType;

Napi::Buffer<uint8_t> toBuffer(Napi::Env env, const std::vector<uint8_t>& v) {
  return Napi::Buffer<uint8_t>::Copy(env, v.data(), v.size());
}

uint32_t u32Field(Napi::Env env, Napi::Object o, const char* name, bool required = true) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() && !required) return 0;
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string("frame field '") + name + "' must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0)) throw Napi::RangeError::New(env, std::string("frame field '") + name + "' is out of range");
  return static_cast<uint32_t>(d);
}

std::string strField(Napi::Env env, Napi::Object o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsString()) throw Napi::TypeError::New(env, std::string("frame field '") + name + "' must be a string");
  return v.As<Napi::String>().Utf8Value();
}

std::vector<uint8_t> bufField(Napi::Env env, Napi::Object o, const char* name) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() || v.IsNull()) return {};
  if (!v.IsBuffer()) throw Napi::TypeError::New(env, std::string("frame field '") + name + "' must be a Buffer");
  auto b = v.As<Napi::Buffer<uint8_t>>();
  return std::vector<uint8_t>(b.Data(), b.Data() + b.Length());
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
  bool ok = true;
  switch (f.type) {
    case FrameType::Hello: {
      protocol::HelloMsg m;
      ok = protocol::decode(f, m);
      args[4] = Napi::String::New(env, m.typeName);
      args[5] = Napi::Number::New(env, m.resapiVersion);
      args[6] = Napi::String::New(env, m.manifest);
      break;
    }
    case FrameType::Open: {
      protocol::OpenMsg m;
      ok = protocol::decode(f, m);
      args[4] = Napi::String::New(env, m.name);
      args[5] = toBuffer(env, m.properties);
      args[6] = Napi::Number::New(env, m.flags);
      break;
    }
    case FrameType::Online: {
      protocol::OnlineMsg m;
      ok = protocol::decode(f, m);
      args[4] = toBuffer(env, m.properties);
      args[5] = Napi::Number::New(env, m.flags);
      break;
    }
    case FrameType::Offline: {
      protocol::OfflineMsg m;
      ok = protocol::decode(f, m);
      args[4] = Napi::Number::New(env, m.flags);
      if (!m.destinationNode.empty()) args[5] = Napi::String::New(env, m.destinationNode);
      break;
    }
    case FrameType::Control: {
      protocol::ControlMsg m;
      ok = protocol::decode(f, m);
      args[4] = Napi::Number::New(env, m.code);
      args[5] = toBuffer(env, m.input);
      break;
    }
    case FrameType::TypeControl: {
      protocol::TypeControlMsg m;
      ok = protocol::decode(f, m);
      args[4] = Napi::Number::New(env, m.code);
      args[5] = toBuffer(env, m.input);
      break;
    }
    case FrameType::Validate:
    case FrameType::PropertiesChanged: {
      protocol::PropertiesMsg m;
      ok = protocol::decode(f, m);
      args[4] = toBuffer(env, m.properties);
      break;
    }
    case FrameType::Close:
    case FrameType::Terminate:
    case FrameType::Cancel:
    case FrameType::LooksAlive:
    case FrameType::IsAlive:
    case FrameType::Heartbeat:
      ok = protocol::decodeEmpty(f);
      break;
    default:
      ok = false;  // host-bound frames only
  }
  if (!ok) args[7] = Napi::String::New(env, std::string("malformed ") + protocol::frameTypeName(f.type) + " frame");
}

protocol::Frame frameFromJs(Napi::Env env, Napi::Value v) {
  if (!v.IsObject()) throw Napi::TypeError::New(env, "frame must be an object");
  Napi::Object o = v.As<Napi::Object>();
  std::string type = strField(env, o, "type");
  uint32_t slot = u32Field(env, o, "slot", false);
  uint32_t gen = u32Field(env, o, "generation", false);
  uint32_t req = u32Field(env, o, "request", false);
  protocol::Frame f;
  if (type == "helloAck") {
    f = protocol::encode(slot, protocol::HelloAckMsg{strField(env, o, "typeName"), strField(env, o, "hostInfo")});
  } else if (type == "result") {
    f = protocol::encode(slot, gen, req, protocol::ResultMsg{u32Field(env, o, "status"), bufField(env, o, "output")});
  } else if (type == "progress") {
    f = protocol::encodeEmpty(FrameType::Progress, slot, gen, 0);
  } else if (type == "log") {
    uint32_t level = u32Field(env, o, "level");
    if (level > 3) throw Napi::RangeError::New(env, "log level must be 0..3");
    f = protocol::encode(slot, gen, protocol::LogMsg{static_cast<uint8_t>(level), strField(env, o, "message")});
  } else if (type == "heartbeat") {
    f = protocol::encodeEmpty(FrameType::Heartbeat, 0, 0, 0);
  } else {
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
