// libFuzzer target for the type configuration (native/shim/core/type_config_json.cc and the JSON
// reader under it): `<library name>.json` is read by Startup inside RHS, so any bytes must give a
// configuration or a one-line error, never a crash, a hang or an out-of-bounds read. An accepted
// configuration's normalized manifest must itself be accepted, to the same normal form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/json.h"
#include "shim/config/shim_config.h"
#include "shim/core/type_config_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wsfc;
  if (size > shim::kMaxTypeConfigBytes) return 0;  // config_file.cc refuses larger files unread
  std::string text(reinterpret_cast<const char*>(data), size);
  shim::TypeConfig config;
  std::string error;
  if (shim::typeConfigFromJson(text, "", config, error)) {
    if (!error.empty() || config.typeName.empty() || !config.launcher) std::abort();
    shim::TypeConfig again;
    again.typeName = config.typeName;
    std::string why;
    if (!shim::manifestFromJsonText(config.manifestJson, again, why) || again.manifestJson != config.manifestJson) std::abort();
  } else if (error.empty() || error.find('\n') != std::string::npos) {
    std::abort();  // a problem is one line, and there is always one
  }
  // The manifest reader alone (what registerInProcessType hands it), on the same bytes.
  shim::TypeConfig bare;
  std::string why;
  shim::manifestFromJsonText(text, bare, why);
  return 0;
}
