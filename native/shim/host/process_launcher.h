// Launching the host as a separate process (DESIGN §1-§2): the command, and the factory each
// platform implements in its own file (process_launcher_posix.cc, process_launcher_win.cc).
// The child gets its end of a private channel by inheritance only — never a named endpoint
// another process could open — and its stdout/stderr go to a log file and the cluster log.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "shim/config/shim_config.h"

namespace wsfc::shim {

constexpr uint64_t kDefaultHostLogMaxBytes = 16ull << 20;
constexpr uint64_t kMinHostLogMaxBytes = 64ull << 10;

struct HostCommand {
  std::string node;                   // absolute path of the node executable
  std::vector<std::string> nodeArgs;  // node options, before the host script
  std::string main;                   // wsfc-resource's dist/host/main.js
  std::string module;                 // the user's compiled resource module
  // Added to the inherited environment (replacing variables of the same name).
  std::vector<std::pair<std::string, std::string>> env;
  std::string logFile;                // the host's stdout and stderr; empty: the cluster log only
  // The log file's bound (rotating_log.h): past it the file becomes <logFile>.1 and starts anew.
  uint64_t logMaxBytes = kDefaultHostLogMaxBytes;
};

// The environment variable through which the host learns its channel (an fd number on POSIX,
// a handle value on Windows). Part of the host protocol: lib/host/main.ts reads it.
constexpr const char* kChannelEnvVar = "WSFC_CHANNEL_FD";

// What the host is told about heartbeats (lib/host/main.ts): the rate to send at, and how long
// the shim may stay silent before the host gives up on it.
inline void addSupervisionEnv(HostCommand& command, const Supervision& s) {
  command.env.emplace_back("WSFC_HEARTBEAT_MS", std::to_string(s.heartbeatIntervalMs));
  command.env.emplace_back("WSFC_SHIM_SILENCE_MS", std::to_string(s.heartbeatTimeoutMs));
}

std::shared_ptr<HostLauncher> makeProcessLauncher(HostCommand command);

}  // namespace wsfc::shim
