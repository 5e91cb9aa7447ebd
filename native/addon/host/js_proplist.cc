#include "js_proplist.h"

#include <map>

namespace wsfc::addon {

namespace {

using proplist::Format;

const std::map<std::string, Format>& formats() {
  static const std::map<std::string, Format> m{
      {"binary", Format::Binary}, {"dword", Format::Dword}, {"sz", Format::Sz},
      {"expandSz", Format::ExpandSz}, {"multiSz", Format::MultiSz}, {"ulargeInteger", Format::UlargeInteger},
      {"long", Format::Long}, {"largeInteger", Format::LargeInteger}, {"word", Format::Word},
      {"filetime", Format::Filetime}};
  return m;
}

Napi::String str(Napi::Env env, const std::u16string& s) { return Napi::String::New(env, s); }

Napi::Value valueToJs(Napi::Env env, Format f, const proplist::Value& v) {
  switch (f) {
    case Format::Dword:
    case Format::Word:
      return Napi::Number::New(env, static_cast<double>(v.number));
    case Format::Long:
      return Napi::Number::New(env, static_cast<double>(static_cast<int32_t>(static_cast<uint32_t>(v.number))));
    case Format::UlargeInteger:
    case Format::Filetime:
      return Napi::BigInt::New(env, v.number);
    case Format::LargeInteger:
      return Napi::BigInt::New(env, static_cast<int64_t>(v.number));
    case Format::Sz:
    case Format::ExpandSz:
      return str(env, v.text);
    case Format::MultiSz: {
      Napi::Array a = Napi::Array::New(env, v.strings.size());
      for (size_t i = 0; i < v.strings.size(); ++i) a.Set(static_cast<uint32_t>(i), str(env, v.strings[i]));
      return a;
    }
    case Format::Binary:
      return Napi::Buffer<uint8_t>::Copy(env, v.bytes.data(), v.bytes.size());
  }
  return env.Undefined();
}

proplist::Value valueFromJs(Napi::Env env, Format f, Napi::Value js) {
  proplist::Value v;
  switch (f) {
    case Format::Dword:
    case Format::Word:
    case Format::Long:
      v.number = static_cast<uint64_t>(static_cast<int64_t>(js.As<Napi::Number>().Int64Value()));
      break;
    case Format::UlargeInteger:
    case Format::Filetime:
    case Format::LargeInteger: {
      bool lossless = false;
      v.number = f == Format::LargeInteger ? static_cast<uint64_t>(js.As<Napi::BigInt>().Int64Value(&lossless))
                                           : js.As<Napi::BigInt>().Uint64Value(&lossless);
      break;
    }
    case Format::Sz:
    case Format::ExpandSz:
      v.text = js.As<Napi::String>().Utf16Value();
      break;
    case Format::MultiSz: {
      Napi::Array a = js.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); ++i) v.strings.push_back(a.Get(i).As<Napi::String>().Utf16Value());
      break;
    }
    case Format::Binary: {
      auto b = js.As<Napi::Buffer<uint8_t>>();
      v.bytes.assign(b.Data(), b.Data() + b.Length());
      break;
    }
  }
  (void)env;
  return v;
}

Napi::Object errorToJs(Napi::Env env, const proplist::DecodeError& e) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", false);
  o.Set("offset", static_cast<double>(e.offset));
  o.Set("reason", e.reason);
  o.Set("detail", e.detail);
  return o;
}

}  // namespace

std::vector<proplist::Property> propertiesFromJs(Napi::Env env, Napi::Value v) {
  if (!v.IsArray()) throw Napi::TypeError::New(env, "properties must be an array");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<proplist::Property> out;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Object o = a.Get(i).As<Napi::Object>();
    proplist::Property p;
    p.name = o.Get("name").As<Napi::String>().Utf16Value();
    auto it = formats().find(o.Get("format").As<Napi::String>().Utf8Value());
    if (it == formats().end()) throw Napi::TypeError::New(env, "unknown property format");
    p.format = it->second;
    Napi::Value values = o.Get("values");
    if (values.IsArray()) {
      Napi::Array va = values.As<Napi::Array>();
      for (uint32_t k = 0; k < va.Length(); ++k) p.values.push_back(valueFromJs(env, p.format, va.Get(k)));
    } else {
      p.values.push_back(valueFromJs(env, p.format, o.Get("value")));
    }
    if (o.Get("expanded").IsString()) {
      p.hasExpanded = true;
      p.expanded = o.Get("expanded").As<Napi::String>().Utf16Value();
    }
    out.push_back(std::move(p));
  }
  return out;
}

Napi::Value decodePropertyListNative(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto b = info[0].As<Napi::Buffer<uint8_t>>();
  std::vector<proplist::Property> props;
  proplist::DecodeError err;
  if (!proplist::decode(b.Data(), b.Length(), props, err)) return errorToJs(env, err);
  Napi::Array list = Napi::Array::New(env, props.size());
  for (size_t i = 0; i < props.size(); ++i) {
    const auto& p = props[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", str(env, p.name));
    o.Set("format", proplist::formatName(p.format));
    o.Set("value", valueToJs(env, p.format, p.values.front()));
    if (p.values.size() > 1) {
      Napi::Array va = Napi::Array::New(env, p.values.size());
      for (size_t k = 0; k < p.values.size(); ++k) va.Set(static_cast<uint32_t>(k), valueToJs(env, p.format, p.values[k]));
      o.Set("values", va);
    }
    if (p.hasExpanded) o.Set("expanded", str(env, p.expanded));
    list.Set(static_cast<uint32_t>(i), o);
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("ok", true);
  r.Set("properties", list);
  return r;
}

Napi::Value decodeMultiSzNative(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto b = info[0].As<Napi::Buffer<uint8_t>>();
  std::vector<std::u16string> strings;
  proplist::DecodeError err;
  if (!proplist::decodeMultiSz(b.Data(), b.Length(), strings, err)) return errorToJs(env, err);
  Napi::Array a = Napi::Array::New(env, strings.size());
  for (size_t i = 0; i < strings.size(); ++i) a.Set(static_cast<uint32_t>(i), str(env, strings[i]));
  Napi::Object r = Napi::Object::New(env);
  r.Set("ok", true);
  r.Set("strings", a);
  return r;
}

Napi::Value encodePropertyListNative(const Napi::CallbackInfo& info) {
  auto bytes = proplist::encode(propertiesFromJs(info.Env(), info[0]));
  return Napi::Buffer<uint8_t>::Copy(info.Env(), bytes.data(), bytes.size());
}

}  // namespace wsfc::addon
