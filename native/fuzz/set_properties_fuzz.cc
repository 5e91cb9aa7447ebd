// libFuzzer target for SET_PRIVATE_PROPERTIES / VALIDATE_PRIVATE_PROPERTIES (native/shim/
// properties/private_properties.cc): the input buffer of a control call, checked against a schema
// with every property format, bounds, a read-only and a required property. Nothing may crash; an
// accepted list names only known, writable properties, each once, and merging it into what is
// stored keeps every schema property present that was stored before.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "protocol/proplist.h"
#include "shim/config/shim_config.h"
#include "shim/properties/private_properties.h"

namespace {

// The schema: lib/manifest.ts's normalized form of a type with one property of each format
// (the same type as test/unit/type-config.test.ts's RichType).
const char kManifest[] = R"({"name":"FuzzType","properties":[{"name":"Port","format":"dword","required":false,"readOnly":false,"default":6379,"min":1,"max":65535},
{"name":"Offset","format":"long","required":false,"readOnly":false,"default":-5,"min":-100,"max":100},
{"name":"Small","format":"word","required":false,"readOnly":false,"default":7},
{"name":"Big","format":"ulargeInteger","required":false,"readOnly":false,"default":"18446744073709551615","min":"1"},
{"name":"Signed","format":"largeInteger","required":false,"readOnly":false,"default":"-9223372036854775808"},
{"name":"When","format":"filetime","required":false,"readOnly":false,"default":"133000000000000000"},
{"name":"DataDir","format":"sz","required":true,"readOnly":false},
{"name":"Path","format":"expandSz","required":false,"readOnly":false,"default":"%TEMP%\\x"},
{"name":"Tags","format":"multiSz","required":false,"readOnly":false,"default":["a","b c"]},
{"name":"Blob","format":"binary","required":false,"readOnly":false,"default":"0001feff"},
{"name":"Secret","format":"sz","required":false,"readOnly":true}],
"characteristics":0,"flags":0,"resourceClass":0,"resourceSubClass":0,"requiredDependencies":{"classes":[],
"types":[]},"timeouts":{"looksAliveMs":50,"isAliveMs":200,"controlMs":250,"terminateAckMs":250,"pendingTimeoutMs":180000,"looksAlivePollIntervalMs":5000,"isAlivePollIntervalMs":60000},"restartOnPropertyChange":true,"hasValidate":false})";

const wsfc::shim::TypeSchema& schema() {
  static const wsfc::shim::TypeSchema s = [] {
    wsfc::shim::TypeConfig config;
    std::string error;
    if (!wsfc::shim::manifestFromJsonText(kManifest, config, error)) std::abort();  // the fixture must be valid
    return config.schema;
  }();
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wsfc;
  const shim::TypeSchema& m = schema();
  std::vector<proplist::Property> parsed;
  shim::props::Verdict v = shim::props::verify(m, data, size, parsed);
  if (v.status != kErrorSuccess) {
    if (v.message.empty()) std::abort();  // a refusal says why
    return 0;
  }
  std::set<std::u16string> seen;
  for (const auto& p : parsed) {
    const shim::PropertyDef* def = m.find(p.name);
    if (!def || def->readOnly || !seen.insert(p.name).second) std::abort();
  }
  // Merged into a store holding every default: each schema property is still there.
  std::vector<proplist::Property> stored;
  std::vector<uint8_t> defaults = shim::props::get(m, {}, false);
  proplist::DecodeError err;
  if (!proplist::decode(defaults.data(), defaults.size(), stored, err)) std::abort();
  std::vector<proplist::Property> merged = shim::props::merge(stored, parsed, m);
  for (const auto& s : stored) {
    bool kept = false;
    for (const auto& p : merged) kept = kept || p.name == s.name;
    if (!kept) std::abort();
  }
  std::vector<uint8_t> bytes = proplist::encode(merged);
  std::vector<proplist::Property> back;
  if (!proplist::decode(bytes.data(), bytes.size(), back, err) || back.size() != merged.size()) std::abort();
  return 0;
}
