#include "shim_instance.h"

#include <utility>
#include <vector>

#include "config_file.h"
#include "function_tables.h"
#include "shim_api.h"
#include "common/text.h"
#include "type_runtime.h"

namespace wsfc::shim {

struct ShimInstance::StartedType {
  std::unique_ptr<TypeRuntime> runtime;
  size_t table;
};

ShimInstance::ShimInstance() = default;

ShimInstance::~ShimInstance() {
  try {
    releaseAllTypes();
  } catch (...) {
  }
}

ShimInstance& ShimInstance::process() {
  // Never destroyed: library unload (DllMain detach, the POSIX destructor) releases its types
  // explicitly, and a static destructor must not race threads that are still being joined.
  static ShimInstance* instance = new ShimInstance();
  return *instance;
}

DWORD ShimInstance::startup(LPCWSTR resourceType, DWORD minVersion, DWORD maxVersion,
                            PSET_RESOURCE_STATUS_ROUTINE setStatus, PLOG_EVENT_ROUTINE logEvent,
                            PCLRES_FUNCTION_TABLE* table) noexcept {
  try {
    if (CLRES_VERSION_V1_00 < minVersion || CLRES_VERSION_V1_00 > maxVersion) return kErrorRevisionMismatch;
    return startType(resourceType, MonitorCallbacks::v1(setStatus, logEvent), table);
  } catch (...) {
    return kErrorGenFailure;
  }
}

DWORD ShimInstance::startupEx(LPCWSTR resourceType, DWORD minVersion, DWORD maxVersion,
                              PCLRES_CALLBACK_FUNCTION_TABLE callbacks, PCLRES_FUNCTION_TABLE* table) noexcept {
  try {
    if (!callbacks) return kErrorInvalidParameter;
    // We implement V2; V3/V4 only replace ResourceControl with the async Begin* calls.
    if (CLRES_VERSION_V2_00 < minVersion || CLRES_VERSION_V2_00 > maxVersion) return kErrorRevisionMismatch;
    return startType(resourceType, MonitorCallbacks::v2(callbacks), table);
  } catch (...) {
    return kErrorGenFailure;
  }
}

bool ShimInstance::registerTypeConfig(const TypeConfig& config) {
  std::lock_guard<std::mutex> lock(mu_);
  return configs_.emplace(config.typeName, config).second;
}

void ShimInstance::unregisterTypeConfig(const std::string& typeName) {
  std::lock_guard<std::mutex> lock(mu_);
  configs_.erase(typeName);
}

bool ShimInstance::findConfig(const std::string& typeName, TypeConfig& out) {
  auto it = configs_.find(typeName);
  if (it != configs_.end()) {
    out = it->second;
    return true;
  }
  return findTypeConfig(typeName, out);
}

TypeRuntime* ShimInstance::findRuntime(const std::string& typeName) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = started_.find(typeName);
  return it == started_.end() ? nullptr : it->second.runtime.get();
}

DWORD ShimInstance::startType(LPCWSTR resourceType, const MonitorCallbacks& callbacks, PCLRES_FUNCTION_TABLE* table) {
  if (!resourceType || !table) return kErrorInvalidParameter;
  std::string typeName = toUtf8(resourceType);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = started_.find(typeName);
  if (it == started_.end()) {
    TypeConfig config;
    if (!findConfig(typeName, config)) {
      std::string detail;
      switch (loadTypeConfigFile(typeName, config, detail)) {
        case ConfigFileStatus::Loaded:
          break;
        case ConfigFileStatus::Missing:
        case ConfigFileStatus::OtherType:
          callbacks.log(nullptr, LOG_ERROR, "Startup: no configuration for resource type '" + typeName + "' (" + detail + ")");
          return kErrorClusterResnameNotFound;
        case ConfigFileStatus::Invalid:
          callbacks.log(nullptr, LOG_ERROR, "Startup: bad configuration for resource type '" + typeName + "': " + detail);
          return kErrorBadConfiguration;
      }
    }
    auto rt = std::make_unique<TypeRuntime>(config, callbacks);
    size_t index = claimFunctionTable(this, rt.get());
    if (index == kMaxStartedTypes) {
      callbacks.log(nullptr, LOG_ERROR, "Startup: too many resource types started in this process");
      return kErrorNotEnoughMemory;
    }
    pinLibrary();
    rt->start();
    it = started_.emplace(typeName, StartedType{std::move(rt), index}).first;
  } else if (it->second.runtime->callbacks().version() != callbacks.version()) {
    callbacks.log(nullptr, LOG_ERROR, "Startup: resource type '" + typeName + "' already started with another API version");
    return kErrorRevisionMismatch;
  }
  *table = functionTable(it->second.table, callbacks.isV2());
  return kErrorSuccess;
}

bool ShimInstance::releaseType(const std::string& typeName) {
  std::unique_ptr<TypeRuntime> rt;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = started_.find(typeName);
    if (it == started_.end()) return false;
    rt = std::move(it->second.runtime);
    releaseFunctionTable(it->second.table);
    started_.erase(it);
  }
  rt->stop();
  return true;
}

void ShimInstance::releaseAllTypes() {
  std::vector<std::string> names;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& kv : started_) names.push_back(kv.first);
  }
  for (const auto& name : names) releaseType(name);
}

int64_t ShimInstance::hostPidOf(const std::string& typeName) {
  TypeRuntime* rt = findRuntime(typeName);
  return rt ? rt->hostPid() : 0;
}

// The library-wide forms (shim_api.h): the process instance's.
bool releaseType(const std::string& typeName) { return ShimInstance::process().releaseType(typeName); }
void releaseAllTypes() { ShimInstance::process().releaseAllTypes(); }
int64_t hostPidOf(const std::string& typeName) { return ShimInstance::process().hostPidOf(typeName); }

}  // namespace wsfc::shim
