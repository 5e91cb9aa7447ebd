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

Napi::Value closedToJs(Napi::Env env, const std::string& reason) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", "closed");
  o.Set("reason", reason);
  return o;
}

Napi::Value frameToJs(Napi::Env env, const protocol::Frame& f) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", protocol::frameTypeName(f.type));
  o.Set("slot", f.slot);
  o.Set("generation", f.generation);
  o.Set("request", f.request);
  bool ok = true;
  switch (f.type) {
    case FrameType::Hello: {
      protocol::HelloMsg m;
      ok = protocol::decode(f, m);
      o.Set("typeName", m.typeName);
      o.Set("resapiVersion", m.resapiVersion);
      o.Set("manifest", m.manifest);
      break;
    }
    case FrameType::Open: {
      protocol::OpenMsg m;
      ok = protocol::decode(f, m);
      o.Set("name", m.name);
      o.Set("properties", toBuffer(env, m.properties));
      break;
    }
    case FrameType::Online: {
      protocol::OnlineMsg m;
      ok = protocol::decode(f, m);
      o.Set("properties", toBuffer(env, m.properties));
      o.Set("flags", m.flags);
      break;
    }
    case FrameType::Offline: {
      protocol::OfflineMsg m;
      ok = protocol::decode(f, m);
      o.Set("flags", m.flags);
      break;
    }
    case FrameType::Control: {
      protocol::ControlMsg m;
      ok = protocol::decode(f, m);
      o.Set("code", m.code);
      o.Set("input", toBuffer(env, m.input));
      break;
    }
    case FrameType::TypeControl: {
      protocol::TypeControlMsg m;
      ok = protocol::decode(f, m);
      o.Set("code", m.code);
      o.Set("input", toBuffer(env, m.input));
      break;
    }
    case FrameType::Validate:
    case FrameType::PropertiesChanged: {
      protocol::PropertiesMsg m;
      ok = protocol::decode(f, m);
      o.Set("properties", toBuffer(env, m.properties));
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
  if (!ok) {
    o.Set("corrupt", std::string("malformed ") + protocol::frameTypeName(f.type) + " frame");
  }
  return o;
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

}  // namespace wsfc::addon
