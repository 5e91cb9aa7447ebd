#include <cmath>
#include <cstdlib>

#include "shim_config.h"
#include "common/text.h"
#include "type_schema.h"

namespace wsfc::shim {

namespace {

using proplist::Format;

bool formatByName(const std::string& name, Format& out) {
  static const std::pair<const char*, Format> kNames[] = {
      {"binary", Format::Binary}, {"dword", Format::Dword}, {"sz", Format::Sz},
      {"expandSz", Format::ExpandSz}, {"multiSz", Format::MultiSz}, {"ulargeInteger", Format::UlargeInteger},
      {"long", Format::Long}, {"largeInteger", Format::LargeInteger}, {"word", Format::Word},
      {"filetime", Format::Filetime}};
  for (const auto& n : kNames)
    if (name == n.first) {
      out = n.second;
      return true;
    }
  return false;
}

std::u16string utf16(const std::string& s) {
  auto w = toUtf16(s);
  return std::u16string(w.begin(), w.end());
}

// A manifest value (already validated by parseManifest) as a 64-bit pattern: numbers for the
// 32-bit formats, decimal strings for the 64-bit ones.
uint64_t bits(Format f, const json::Value& v) {
  if (v.isNumber()) return static_cast<uint64_t>(static_cast<int64_t>(v.number));
  if (f == Format::LargeInteger) return static_cast<uint64_t>(std::strtoll(v.string.c_str(), nullptr, 10));
  return std::strtoull(v.string.c_str(), nullptr, 10);
}

proplist::Value valueOf(Format f, const json::Value& v) {
  proplist::Value out;
  switch (f) {
    case Format::Sz:
    case Format::ExpandSz:
      out.text = utf16(v.string);
      break;
    case Format::MultiSz:
      for (const auto& item : v.items) out.strings.push_back(utf16(item.string));
      break;
    case Format::Binary:
      for (size_t i = 0; i + 1 < v.string.size(); i += 2)
        out.bytes.push_back(static_cast<uint8_t>(std::strtoul(v.string.substr(i, 2).c_str(), nullptr, 16)));
      break;
    default:
      out.number = bits(f, v);
  }
  return out;
}

}  // namespace

TypeSchema schemaFromManifest(const Manifest& m) {
  TypeSchema s;
  for (const auto& p : m.properties) {
    PropertyDef d;
    d.utf8Name = p.name;
    d.name = utf16(p.name);
    if (!formatByName(p.format, d.format)) continue;  // parseManifest admits only known formats
    d.required = p.required;
    d.readOnly = p.readOnly;
    if (p.min.type != json::Value::Type::Null) {
      d.hasMin = true;
      d.min = bits(d.format, p.min);
    }
    if (p.max.type != json::Value::Type::Null) {
      d.hasMax = true;
      d.max = bits(d.format, p.max);
    }
    if (p.hasDefault) {
      d.hasDefault = true;
      d.defaultValue = valueOf(d.format, p.defaultValue);
    }
    s.properties.push_back(std::move(d));
  }
  s.characteristics = m.characteristics;
  s.flags = m.flags;
  s.resourceClass = m.resourceClass;
  s.resourceSubClass = m.resourceSubClass;
  for (uint32_t c : m.requiredClasses) s.requiredDependencies.push_back({true, c, {}});
  for (const auto& t : m.requiredTypes) s.requiredDependencies.push_back({false, 0, utf16(t)});
  s.restartOnPropertyChange = m.restartOnPropertyChange;
  s.hasValidate = m.hasValidate;
  return s;
}

void applyManifest(std::shared_ptr<const Manifest> manifest, TypeConfig& config) {
  config.typeName = manifest->name;
  config.deadlines.looksAliveMs = manifest->timeouts.looksAliveMs;
  config.deadlines.isAliveMs = manifest->timeouts.isAliveMs;
  config.deadlines.controlMs = manifest->timeouts.controlMs;
  config.deadlines.terminateAckMs = manifest->timeouts.terminateAckMs;
  config.manifestJson = json::serialize(manifestToJson(*manifest));
  config.schema = schemaFromManifest(*manifest);
  config.manifest = std::move(manifest);
}

bool manifestFromJsonText(const std::string& text, TypeConfig& config, std::string& error) {
  json::Value root;
  if (!json::parse(text, root, error)) return false;
  auto manifest = std::make_shared<Manifest>();
  if (!parseManifest(root, "manifest", *manifest, error)) return false;
  if (!config.typeName.empty() && manifest->name != config.typeName) {
    error = "manifest.name '" + manifest->name + "' is not the registered type '" + config.typeName + "'";
    return false;
  }
  applyManifest(std::move(manifest), config);
  return true;
}

}  // namespace wsfc::shim
