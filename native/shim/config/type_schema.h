// The resource type's manifest as the shim needs it: the private-property schema and the answers
// to CHARACTERISTICS/FLAGS/CLASS_INFO/REQUIRED_DEPENDENCIES, so those control codes are served
// natively and keep working while the host is down (DESIGN §3).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "protocol/proplist.h"

namespace wsfc::shim {

struct PropertyDef {
  std::u16string name;
  std::string utf8Name;
  proplist::Format format = proplist::Format::Dword;
  bool required = false;
  bool readOnly = false;
  bool hasMin = false, hasMax = false;
  uint64_t min = 0, max = 0;  // two's complement for long/largeInteger
  bool hasDefault = false;
  proplist::Value defaultValue;
};

struct RequiredDependency {
  bool byClass = true;
  uint32_t resourceClass = 0;
  std::u16string typeName;
};

// Property names are registry value names, which compare case-insensitively. Folding ASCII
// letters covers the names a schema can declare in practice; other letters must match exactly.
inline char16_t foldPropertyChar(char16_t c) { return c >= u'A' && c <= u'Z' ? static_cast<char16_t>(c + 32) : c; }
inline bool samePropertyName(const std::u16string& a, const std::u16string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (foldPropertyChar(a[i]) != foldPropertyChar(b[i])) return false;
  return true;
}
inline std::u16string foldPropertyName(std::u16string s) {
  for (auto& c : s) c = foldPropertyChar(c);
  return s;
}

struct TypeSchema {
  std::vector<PropertyDef> properties;
  uint32_t characteristics = 0;
  uint32_t flags = 0;
  uint32_t resourceClass = 0;     // CLUS_RESCLASS_UNKNOWN, the monitor's own default
  uint32_t resourceSubClass = 0;
  std::vector<RequiredDependency> requiredDependencies;
  // A stored change takes effect at the next Online: SET on an online resource answers
  // ERROR_RESOURCE_PROPERTIES_STORED (resdll-contract.md §3.9).
  bool restartOnPropertyChange = true;
  // The TypeScript `validate` hook exists: SET/VALIDATE ask the host after the schema check.
  bool hasValidate = false;

  // By name, as the cluster database compares them: case-insensitively (samePropertyName).
  const PropertyDef* find(const std::u16string& name) const {
    for (const auto& p : properties)
      if (samePropertyName(p.name, name)) return &p;
    return nullptr;
  }
};

struct Manifest;
struct TypeConfig;
// The native schema of a validated manifest (type_manifest.h).
TypeSchema schemaFromManifest(const Manifest& m);

}  // namespace wsfc::shim
