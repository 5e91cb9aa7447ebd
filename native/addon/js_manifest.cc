#include "js_manifest.h"

#include "../protocol/proplist.h"
#include "js_proplist.h"

namespace wsfc::addon {

namespace {

uint32_t u32(Napi::Object o, const char* name) {
  Napi::Value v = o.Get(name);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : 0;
}

// min/max arrive as numbers (32-bit formats) or bigints (64-bit), stored two's complement.
bool bound(Napi::Env env, Napi::Value v, uint64_t& out) {
  if (v.IsUndefined() || v.IsNull()) return false;
  if (v.IsBigInt()) {
    bool lossless = false;
    int64_t s = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) out = v.As<Napi::BigInt>().Uint64Value(&lossless);
    else out = static_cast<uint64_t>(s);
    return true;
  }
  if (v.IsNumber()) {
    out = static_cast<uint64_t>(v.As<Napi::Number>().Int64Value());
    return true;
  }
  throw Napi::TypeError::New(env, "manifest: property bounds must be numbers or bigints");
}

}  // namespace

shim::TypeSchema schemaFromJs(Napi::Env env, Napi::Value v) {
  shim::TypeSchema m;
  if (v.IsUndefined() || v.IsNull()) return m;
  if (!v.IsObject()) throw Napi::TypeError::New(env, "manifest must be an object");
  Napi::Object o = v.As<Napi::Object>();
  m.characteristics = u32(o, "characteristics");
  m.flags = u32(o, "flags");
  m.resourceClass = u32(o, "resourceClass");
  m.resourceSubClass = u32(o, "resourceSubClass");
  m.restartOnPropertyChange = !o.Get("restartOnPropertyChange").IsBoolean() ||
                              o.Get("restartOnPropertyChange").As<Napi::Boolean>().Value();
  m.hasValidate = o.Get("hasValidate").IsBoolean() && o.Get("hasValidate").As<Napi::Boolean>().Value();

  // Defaults travel as one property list, decoded by the shim's own codec.
  std::vector<proplist::Property> defaults;
  if (o.Get("defaults").IsArray()) defaults = propertiesFromJs(env, o.Get("defaults"));

  Napi::Value props = o.Get("properties");
  if (props.IsArray()) {
    Napi::Array a = props.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); ++i) {
      Napi::Object p = a.Get(i).As<Napi::Object>();
      shim::PropertyDef d;
      d.utf8Name = p.Get("name").As<Napi::String>().Utf8Value();
      d.name = p.Get("name").As<Napi::String>().Utf16Value();
      std::string format = p.Get("format").As<Napi::String>().Utf8Value();
      static const char* names[] = {"binary", "dword", "sz", "expandSz", "multiSz", "ulargeInteger",
                                    "long", "largeInteger", "word", "filetime"};
      static const proplist::Format values[] = {
          proplist::Format::Binary, proplist::Format::Dword, proplist::Format::Sz, proplist::Format::ExpandSz,
          proplist::Format::MultiSz, proplist::Format::UlargeInteger, proplist::Format::Long,
          proplist::Format::LargeInteger, proplist::Format::Word, proplist::Format::Filetime};
      bool found = false;
      for (size_t k = 0; k < 10; ++k)
        if (format == names[k]) {
          d.format = values[k];
          found = true;
        }
      if (!found) throw Napi::TypeError::New(env, "manifest: property '" + d.utf8Name + "' has unknown format '" + format + "'");
      d.required = p.Get("required").IsBoolean() && p.Get("required").As<Napi::Boolean>().Value();
      d.readOnly = p.Get("readOnly").IsBoolean() && p.Get("readOnly").As<Napi::Boolean>().Value();
      d.hasMin = bound(env, p.Get("min"), d.min);
      d.hasMax = bound(env, p.Get("max"), d.max);
      for (const auto& def : defaults)
        if (def.name == d.name && def.format == d.format && !def.values.empty()) {
          d.hasDefault = true;
          d.defaultValue = def.values.front();
        }
      m.properties.push_back(std::move(d));
    }
  }
  Napi::Value deps = o.Get("requiredDependencies");
  if (deps.IsArray()) {
    Napi::Array a = deps.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); ++i) {
      Napi::Object d = a.Get(i).As<Napi::Object>();
      shim::RequiredDependency r;
      if (d.Get("typeName").IsString()) {
        r.byClass = false;
        r.typeName = d.Get("typeName").As<Napi::String>().Utf16Value();
      } else {
        r.resourceClass = u32(d, "resourceClass");
      }
      m.requiredDependencies.push_back(std::move(r));
    }
  }
  return m;
}

}  // namespace wsfc::addon
