// A resource type's manifest (DESIGN §3-§4): its name, private-property schema, characteristics,
// required dependencies and timeouts — what `wsfc-resource manifest <module>` prints and what the
// `manifest` member of the type configuration holds. The shim validates it strictly, serves
// deadlines from it, and sends its normalized form to the host, which refuses to serve a module
// whose own manifest differs (lib/manifest.ts produces the same normalized form).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"

namespace wsfc::shim {

struct PropertySpec {
  std::string name;
  std::string format;  // the CLUSPROP_FORMAT name in camelCase (DESIGN §4)
  bool required = false;
  bool readOnly = false;
  bool hasDefault = false;
  // JSON forms: dword/long/word numbers; 64-bit formats decimal strings; sz/expandSz strings;
  // multiSz arrays of strings; binary lowercase hex. min/max are Null when absent.
  json::Value defaultValue, min, max;
  std::string description;
};

struct TypeTimeouts {
  uint32_t looksAliveMs = 50;     // shim deadlines (DESIGN §3), each at most 250
  uint32_t isAliveMs = 200;
  uint32_t controlMs = 250;
  uint32_t terminateAckMs = 250;
  uint32_t pendingTimeoutMs = 180000;  // the type's cluster defaults, for registration
  uint32_t looksAlivePollIntervalMs = 5000;
  uint32_t isAlivePollIntervalMs = 60000;
};

struct Manifest {
  std::string name;
  std::vector<PropertySpec> properties;
  uint32_t characteristics = 0;
  uint32_t flags = 0;             // GET_FLAGS
  uint32_t resourceClass = 0;     // GET_CLASS_INFO
  uint32_t resourceSubClass = 0;
  bool restartOnPropertyChange = true;  // SET on an online resource: ERROR_RESOURCE_PROPERTIES_STORED
  bool hasValidate = false;             // the module has a validate hook the shim must ask
  std::vector<uint32_t> requiredClasses;
  std::vector<std::string> requiredTypes;
  TypeTimeouts timeouts;
};

// Validates v (found at path, for messages) and fills out. Absent optional members take the
// defaults above.
bool parseManifest(const json::Value& v, const std::string& path, Manifest& out, std::string& error);
// The normalized form: every member present, in a fixed order.
json::Value manifestToJson(const Manifest& m);

}  // namespace wsfc::shim
