// One copy of the resource library as one RHS process has it: the types started in it, each
// with its runtime (slots, host link) and function table. wsfcres.dll has one, the process
// instance, behind its Startup/StartupEx exports; the mock cluster makes one per node, so every
// node of every MockCluster in a process is its own RHS with its own copy of the DLL.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/resapi_abi.h"
#include "monitor_callbacks.h"
#include "shim/config/shim_config.h"

namespace wsfc::shim {

class TypeRuntime;

class ShimInstance {
 public:
  ShimInstance();
  ~ShimInstance();  // releaseAllTypes()
  ShimInstance(const ShimInstance&) = delete;
  ShimInstance& operator=(const ShimInstance&) = delete;

  // The instance the library's exports serve.
  static ShimInstance& process();

  // Startup / StartupEx for this instance (the exports' bodies): never throw.
  DWORD startup(LPCWSTR resourceType, DWORD minVersion, DWORD maxVersion, PSET_RESOURCE_STATUS_ROUTINE setStatus,
                PLOG_EVENT_ROUTINE logEvent, PCLRES_FUNCTION_TABLE* table) noexcept;
  DWORD startupEx(LPCWSTR resourceType, DWORD minVersion, DWORD maxVersion,
                  PCLRES_CALLBACK_FUNCTION_TABLE callbacks, PCLRES_FUNCTION_TABLE* table) noexcept;

  // A type configuration this instance's Startup finds before the process-wide ones
  // (shim_config.h) and `<library>.json`; false if this instance has one for the type already.
  bool registerTypeConfig(const TypeConfig& config);
  void unregisterTypeConfig(const std::string& typeName);

  // What FreeLibrary would end for one type: stops its threads and forgets its resources, so the
  // next Startup for it starts from scratch. False if the type was not started here.
  bool releaseType(const std::string& typeName);
  void releaseAllTypes();
  // The pid of the type's host process, 0 when none runs or it runs in-process.
  int64_t hostPidOf(const std::string& typeName);
  // The started type's runtime, or null.
  TypeRuntime* findRuntime(const std::string& typeName);

 private:
  struct StartedType;
  DWORD startType(LPCWSTR resourceType, const MonitorCallbacks& callbacks, PCLRES_FUNCTION_TABLE* table);
  bool findConfig(const std::string& typeName, TypeConfig& out);

  std::mutex mu_;
  std::map<std::string, StartedType> started_;
  std::map<std::string, TypeConfig> configs_;
};

}  // namespace wsfc::shim
