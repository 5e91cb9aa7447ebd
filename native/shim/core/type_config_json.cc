#include "type_config_json.h"

#include "shim/config/config_fields.h"
#include "shim/host/process_launcher.h"

namespace wsfc::shim {

namespace {

#ifdef _WIN32
constexpr const char* kDefaultPropertyStore = "cluster";
#else
constexpr const char* kDefaultPropertyStore = "mock";
#endif


bool validEnvName(const std::string& k) {
  if (k.empty() || k.size() > 256) return false;
  for (char c : k)  // '=' ends a name in an environment block; control characters are no name's
    if (c == '=' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

bool parseHost(const json::Value& h, const std::string& defaultLogFile, HostCommand& cmd, Supervision& sup,
               std::string& error) {
  const std::string path = "host";
  if (!config::object(h, path, {"node", "main", "module", "args", "env", "logFile", "logMaxBytes", "heartbeatIntervalMs",
                                "heartbeatTimeoutMs", "startTimeoutMs", "restartBackoffMinMs", "restartBackoffMaxMs",
                                "exitGraceMs", "inspect"},
                      error))
    return false;
  for (auto field : {std::make_pair("node", &cmd.node), std::make_pair("main", &cmd.main),
                     std::make_pair("module", &cmd.module)}) {
    if (!config::string(h, field.first, path, true, *field.second, error)) return false;
    if (!config::isAbsolutePath(*field.second)) {
      error = config::member(path, field.first) + ": must be an absolute path (RHS's working directory is not yours)";
      return false;
    }
  }
  if (!config::stringArray(h, "args", path, cmd.nodeArgs, error)) return false;
  // "inspect": a port opens the host to a debugger, on loopback only (node --inspect). A host
  // paused at a breakpoint sends no heartbeats, so the heartbeat timeout is off unless set.
  uint32_t inspectPort = 0;
  if (!config::uint32(h, "inspect", path, false, 1024, 65535, inspectPort, error)) return false;
  if (inspectPort != 0) {
    cmd.nodeArgs.insert(cmd.nodeArgs.begin(), "--inspect=127.0.0.1:" + std::to_string(inspectPort));
    if (!h.find("heartbeatTimeoutMs")) sup.heartbeatTimeoutMs = 0;
  }
  if (const json::Value* env = h.find("env")) {
    if (!env->isObject()) {
      error = config::member(path, "env") + ": must be an object of strings";
      return false;
    }
    for (size_t i = 0; i < env->keys.size(); ++i) {
      const std::string& k = env->keys[i];
      const json::Value& v = env->items[i];
      std::string where = config::member(config::member(path, "env"), k.c_str());
      if (!validEnvName(k) || k.rfind("WSFC_", 0) == 0) {
        error = where + ": not a usable variable name (WSFC_* are the shim's own)";
        return false;
      }
      if (!v.isString() || v.string.find('\0') != std::string::npos) {
        error = where + ": must be a string without NUL";
        return false;
      }
      cmd.env.emplace_back(k, v.string);
    }
  }
  cmd.logFile = defaultLogFile;
  if (!config::string(h, "logFile", path, false, cmd.logFile, error)) return false;
  if (h.find("logFile") && !config::isAbsolutePath(cmd.logFile)) {
    error = config::member(path, "logFile") + ": must be an absolute path";
    return false;
  }
  // At most 4 GiB less a byte, at least 64 KiB: smaller would rotate away the start of a crash.
  uint32_t logMaxBytes = static_cast<uint32_t>(cmd.logMaxBytes);
  if (!config::uint32(h, "logMaxBytes", path, false, static_cast<uint32_t>(kMinHostLogMaxBytes), 0xffffffffu,
                      logMaxBytes, error))
    return false;
  cmd.logMaxBytes = logMaxBytes;
  if (!config::uint32(h, "heartbeatIntervalMs", path, false, 50, 60000, sup.heartbeatIntervalMs, error) ||
      !config::uint32(h, "heartbeatTimeoutMs", path, false, 0, 600000, sup.heartbeatTimeoutMs, error) ||
      !config::uint32(h, "startTimeoutMs", path, false, 1000, 600000, sup.startTimeoutMs, error) ||
      !config::uint32(h, "restartBackoffMinMs", path, false, 0, 600000, sup.restartBackoffMinMs, error) ||
      !config::uint32(h, "restartBackoffMaxMs", path, false, 0, 3600000, sup.restartBackoffMaxMs, error) ||
      !config::uint32(h, "exitGraceMs", path, false, 0, 10000, sup.exitGraceMs, error))
    return false;
  if (sup.heartbeatTimeoutMs != 0 && sup.heartbeatTimeoutMs < 2 * sup.heartbeatIntervalMs) {
    error = config::member(path, "heartbeatTimeoutMs") + ": must be 0 (off) or at least twice heartbeatIntervalMs";
    return false;
  }
  if (sup.restartBackoffMaxMs < sup.restartBackoffMinMs) {
    error = config::member(path, "restartBackoffMaxMs") + ": must not be below restartBackoffMinMs";
    return false;
  }
  return true;
}

}  // namespace

bool typeConfigFromJson(const std::string& text, const std::string& defaultLogFile, TypeConfig& out,
                        std::string& error) {
  if (text.size() > kMaxTypeConfigBytes) {
    error = "larger than " + std::to_string(kMaxTypeConfigBytes / 1024) + " KiB";
    return false;
  }
  json::Value root;
  if (!json::parse(text, root, error)) return false;
  if (!config::object(root, "", {"version", "manifest", "host", "propertyStore"}, error)) return false;
  uint32_t version = 0;
  if (!config::uint32(root, "version", "", true, 1, 1, version, error)) return false;
  const json::Value* m = root.find("manifest");
  const json::Value* h = root.find("host");
  if (!m || !h) {
    error = std::string(m ? "host" : "manifest") + ": required";
    return false;
  }
  auto manifest = std::make_shared<Manifest>();
  if (!parseManifest(*m, "manifest", *manifest, error)) return false;
  HostCommand cmd;
  Supervision sup;
  if (!parseHost(*h, defaultLogFile, cmd, sup, error)) return false;

  // Where private properties live: "cluster" (the cluster database, Windows) or "mock" (the
  // MockPropertyKeys a mock monitor hands Open: MockCluster, mock-rhs). POSIX has only the latter.
  std::string store = kDefaultPropertyStore;
  if (!config::string(root, "propertyStore", "", false, store, error)) return false;
  if (store != "cluster" && store != "mock") {
    error = "propertyStore: must be \"cluster\" or \"mock\"";
    return false;
  }
  TypeConfig config;
  applyManifest(std::move(manifest), config);
  config.mockPropertyStore = store == "mock";
  config.supervision = sup;
  addSupervisionEnv(cmd, sup);
  config.launcher = makeProcessLauncher(std::move(cmd));
  out = std::move(config);
  return true;
}

}  // namespace wsfc::shim
