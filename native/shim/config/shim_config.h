// What the shim needs to serve one resource type: its deadlines, how to reach and watch its host,
// and its manifest. Production reads it from `<dll name>.json` beside the library (config_file.h);
// mock mode registers it in-process before the monitor calls Startup.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "channel/byte_stream.h"
#include "common/resapi_abi.h"
#include "type_manifest.h"
#include "type_schema.h"

namespace wsfc::shim {

// Every entry point returns within entryBudgetMs (DESIGN §3); the rest are the per-call
// deadlines for waiting on the host inside that budget.
struct Deadlines {
  uint32_t entryBudgetMs = 250;
  uint32_t looksAliveMs = 50;
  uint32_t isAliveMs = 200;
  uint32_t controlMs = 250;
  uint32_t terminateAckMs = 250;
};

// How the shim watches its host (DESIGN §2). A zero disables that check: an in-process host
// (mock mode) sends no heartbeats and cannot be killed.
struct Supervision {
  uint32_t heartbeatIntervalMs = 500;  // shim -> host, and the rate the host is asked to send at
  uint32_t heartbeatTimeoutMs = 3000;  // a ready host silent this long is killed and treated as lost
  uint32_t startTimeoutMs = 15000;     // launch to the host's HelloAck
  // The first relaunch after a loss is immediate; each further quick failure doubles the wait
  // before the next launch, from min up to max. A host that stayed up stableAfterMs resets it.
  uint32_t restartBackoffMinMs = 250;
  uint32_t restartBackoffMaxMs = 30000;
  uint32_t stableAfterMs = 10000;
  // A host that closed the channel itself is exiting: it gets this long to finish before SIGKILL,
  // so its own exit status is the one logged.
  uint32_t exitGraceMs = 100;
};

struct HostLaunch {
  std::unique_ptr<channel::ByteStream> stream;  // null on failure
  std::string error;
  int64_t pid = 0;  // 0 when the host runs inside this process
};

// Type-level lines for the cluster log (LogEvent without a resource handle).
using HostLog = std::function<void(LOG_LEVEL level, const std::string& line)>;

// Starts (or attaches) a host for one resource type. Called on the shim's supervisor thread,
// never on an RHS thread, so it may take time; it must still return.
class HostLauncher {
 public:
  virtual ~HostLauncher() = default;
  // log stays valid until the next kill() returns: a launcher may report the host's output and
  // exit through it from its own threads until then.
  virtual HostLaunch launch(const std::string& typeName, const HostLog& log) = 0;
  // Ends the host it launched, if any (kill on host loss), and stops using the log. Bounded.
  // exitGraceMs: how long a host that is already on its way out (it closed the channel) may take
  // to finish exiting before it is killed, so that its own exit status is the one reported.
  virtual void kill(uint32_t exitGraceMs) { (void)exitGraceMs; }
  // Terminate's path (any thread, no lock, no wait): ends the host process `pid` (from HostLaunch)
  // and everything it started at once — its process group (POSIX) or its job object (Windows) —
  // if it is still the one this launcher runs (not yet reaped, even while kill() waits out its
  // exit grace), and leaves reaping and logging to kill(). False if it is not (or in-process).
  virtual bool killTreeNow(int64_t pid) {
    (void)pid;
    return false;
  }
};

struct TypeConfig {
  std::string typeName;
  Deadlines deadlines;
  Supervision supervision;
  std::shared_ptr<HostLauncher> launcher;
  // From the type configuration (or the manifest MockCluster hands over in mock mode).
  std::shared_ptr<const Manifest> manifest;
  std::string manifestJson;  // normalized (manifestToJson); sent in Hello for the host to check
  // What the shim answers natively (property codes, characteristics...), built from manifest.
  TypeSchema schema;
  // The monitor hands Open MockPropertyKeys (mock mode, mock-rhs) rather than cluster keys.
  bool mockPropertyStore = false;
};

// Sets the type name, manifest, manifestJson, schema and deadlines from a validated manifest.
void applyManifest(std::shared_ptr<const Manifest> manifest, TypeConfig& config);
// The same from a manifest's JSON text (what lib/manifest.ts produces). False + a one-line error
// if it is invalid or names another type than config.typeName (when that is set).
bool manifestFromJsonText(const std::string& text, TypeConfig& config, std::string& error);

// In-process registration used by mock mode; returns false if the type is already registered.
bool registerTypeConfig(const TypeConfig& config);
void unregisterTypeConfig(const std::string& typeName);
bool findTypeConfig(const std::string& typeName, TypeConfig& out);

}  // namespace wsfc::shim
