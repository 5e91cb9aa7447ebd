// The type configuration as JSON: `<library name>.json` beside the library (config_file.h), or
// the same structure handed over by MockCluster for a host process in mock mode.
//
//   { "version": 1,
//     "manifest": { ...what `wsfc-resource manifest <module>` prints... },
//     "host": { "node": "/usr/bin/node", "main": ".../wsfc-resource/dist/host/main.js",
//               "module": ".../dist/my-type.js", "args": [], "env": {}, "logFile": "...",
//               "logMaxBytes": 16777216 (then the log becomes <logFile>.1 and starts anew),
//               "heartbeatIntervalMs": 500, "heartbeatTimeoutMs": 3000, "startTimeoutMs": 15000,
//               "restartBackoffMinMs": 250, "restartBackoffMaxMs": 30000, "exitGraceMs": 100 } }
#pragma once
#include <cstddef>
#include <string>

#include "shim/config/shim_config.h"

namespace wsfc::shim {

constexpr size_t kMaxTypeConfigBytes = 64 * 1024;

// Validates the text strictly and builds the type's config, host launcher included. A missing
// host.logFile becomes defaultLogFile (empty: no log file). False + a one-line error otherwise.
bool typeConfigFromJson(const std::string& text, const std::string& defaultLogFile, TypeConfig& out,
                        std::string& error);

}  // namespace wsfc::shim
