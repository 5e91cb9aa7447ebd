// The Resource API entry points. Each one is a trampoline into the type's runtime that catches
// everything: an exception escaping into RHS makes RHS terminate itself (resdll-contract.md §4.5).
#include <array>
#include <atomic>
#include <exception>
#include <utility>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "config_file.h"
#include "shim_api.h"
#include "common/text.h"
#include "type_runtime.h"

namespace wsfc::shim {
namespace {

std::mutex& registryMutex() {
  static std::mutex m;
  return m;
}
struct StartedType;
std::map<std::string, StartedType>& registry();
TypeRuntime* findRuntime(const std::string& typeName);

Slot* slotOf(RESID r) { return static_cast<Slot*>(r); }

// Runs body, turning any exception into fallback and a log line.
template <class T, class F>
T guarded(Slot* slot, const char* what, T fallback, F&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    try {
      if (slot) slot->runtime->log(slot, LOG_ERROR, std::string(what) + " failed: " + e.what());
    } catch (...) {
    }
  } catch (...) {
    try {
      if (slot) slot->runtime->log(slot, LOG_ERROR, std::string(what) + " failed");
    } catch (...) {
    }
  }
  return fallback;
}

// Open carries no RESID and no type name, so each started type gets its own table whose Open
// trampoline is bound to that type's runtime at compile time (one DLL may serve several types).
constexpr size_t kMaxTypes = 16;
std::atomic<TypeRuntime*> gTypeRuntimes[kMaxTypes];

RESID openWith(size_t index, LPCWSTR name, HKEY key, RESOURCE_HANDLE handle, DWORD flags) {
  return guarded<RESID>(nullptr, "Open", nullptr, [&]() -> RESID {
    TypeRuntime* rt = gTypeRuntimes[index].load();
    return rt ? rt->open(name, key, handle, flags) : nullptr;
  });
}
template <size_t I>
RESID WINAPI openV1(LPCWSTR name, HKEY key, RESOURCE_HANDLE handle) {
  return openWith(I, name, key, handle, 0);
}
template <size_t I>
RESID WINAPI openV2(LPCWSTR name, HKEY key, RESOURCE_HANDLE handle, DWORD flags) {
  return openWith(I, name, key, handle, flags);
}
VOID WINAPI closeEntry(RESID r) {
  guarded<int>(slotOf(r), "Close", 0, [&] {
    if (r) slotOf(r)->runtime->close(slotOf(r));
    return 0;
  });
}
DWORD WINAPI onlineV1(RESID r, LPHANDLE ev) {
  return guarded<DWORD>(slotOf(r), "Online", kErrorGenFailure, [&] {
    return r ? slotOf(r)->runtime->online(slotOf(r), ev, 0) : kErrorResourceNotFound;
  });
}
DWORD WINAPI onlineV2(RESID r, LPHANDLE ev, DWORD flags, PBYTE, DWORD, DWORD) {
  return guarded<DWORD>(slotOf(r), "Online", kErrorGenFailure, [&] {
    return r ? slotOf(r)->runtime->online(slotOf(r), ev, flags) : kErrorResourceNotFound;
  });
}
DWORD WINAPI offlineV1(RESID r) {
  return guarded<DWORD>(slotOf(r), "Offline", kErrorGenFailure, [&] {
    return r ? slotOf(r)->runtime->offline(slotOf(r), 0, std::string()) : kErrorResourceNotFound;
  });
}
DWORD WINAPI offlineV2(RESID r, LPCWSTR destinationNode, DWORD flags, PBYTE, DWORD, DWORD) {
  return guarded<DWORD>(slotOf(r), "Offline", kErrorGenFailure, [&] {
    return r ? slotOf(r)->runtime->offline(slotOf(r), flags, destinationNode ? toUtf8(destinationNode) : std::string())
             : kErrorResourceNotFound;
  });
}
VOID WINAPI terminateEntry(RESID r) {
  guarded<int>(slotOf(r), "Terminate", 0, [&] {
    if (r) slotOf(r)->runtime->terminate(slotOf(r));
    return 0;
  });
}
BOOL WINAPI looksAliveEntry(RESID r) {
  return guarded<BOOL>(slotOf(r), "LooksAlive", FALSE, [&] {
    return r ? slotOf(r)->runtime->looksAlive(slotOf(r)) : FALSE;
  });
}
BOOL WINAPI isAliveEntry(RESID r) {
  return guarded<BOOL>(slotOf(r), "IsAlive", FALSE, [&] {
    return r ? slotOf(r)->runtime->isAlive(slotOf(r)) : FALSE;
  });
}
DWORD WINAPI resourceControlEntry(RESID r, DWORD code, PVOID in, DWORD inSize, PVOID out, DWORD outSize,
                                  LPDWORD bytesReturned) {
  return guarded<DWORD>(slotOf(r), "ResourceControl", kErrorGenFailure, [&] {
    return r ? slotOf(r)->runtime->resourceControl(slotOf(r), code, in, inSize, out, outSize, bytesReturned)
             : kErrorResourceNotFound;
  });
}
DWORD WINAPI resourceTypeControlEntry(LPCWSTR typeName, DWORD code, PVOID in, DWORD inSize, PVOID out,
                                      DWORD outSize, LPDWORD bytesReturned) {
  return guarded<DWORD>(nullptr, "ResourceTypeControl", kErrorGenFailure, [&] {
    TypeRuntime* rt = findRuntime(toUtf8(typeName));
    if (!rt) return kErrorClusterResnameNotFound;
    return rt->typeControl(code, in, inSize, out, outSize, bytesReturned);
  });
}
DWORD WINAPI cancelEntry(RESID r, DWORD) {
  return guarded<DWORD>(slotOf(r), "Cancel", kErrorGenFailure, [&] {
    return r ? slotOf(r)->runtime->cancel(slotOf(r)) : kErrorResourceNotFound;
  });
}

// Static: RHS keeps the pointer for as long as the type is loaded (§2.3).
template <size_t I>
CLRES_FUNCTION_TABLE makeV1Table() {
  CLRES_FUNCTION_TABLE t{};
  t.TableSize = sizeof(CLRES_V1_FUNCTIONS);
  t.Version = CLRES_VERSION_V1_00;
  t.V1Functions = {openV1<I>, closeEntry, onlineV1, offlineV1, terminateEntry, looksAliveEntry, isAliveEntry,
                   nullptr, nullptr, resourceControlEntry, resourceTypeControlEntry};
  return t;
}
template <size_t I>
CLRES_FUNCTION_TABLE makeV2Table() {
  CLRES_FUNCTION_TABLE t{};
  t.TableSize = sizeof(CLRES_V2_FUNCTIONS);
  t.Version = CLRES_VERSION_V2_00;
  t.V2Functions = {openV2<I>, closeEntry, onlineV2, offlineV2, terminateEntry, looksAliveEntry, isAliveEntry,
                   nullptr, nullptr, resourceControlEntry, resourceTypeControlEntry, cancelEntry};
  return t;
}
template <size_t... I>
std::array<CLRES_FUNCTION_TABLE, kMaxTypes> makeTables(bool v2, std::index_sequence<I...>) {
  return {{(v2 ? makeV2Table<I>() : makeV1Table<I>())...}};
}
std::array<CLRES_FUNCTION_TABLE, kMaxTypes> gV1Tables = makeTables(false, std::make_index_sequence<kMaxTypes>{});
std::array<CLRES_FUNCTION_TABLE, kMaxTypes> gV2Tables = makeTables(true, std::make_index_sequence<kMaxTypes>{});

struct StartedType {
  std::unique_ptr<TypeRuntime> runtime;
  size_t index;
};

std::map<std::string, StartedType>& registry() {
  static std::map<std::string, StartedType> m;
  return m;
}

TypeRuntime* findRuntime(const std::string& typeName) {
  std::lock_guard<std::mutex> lock(registryMutex());
  auto it = registry().find(typeName);
  return it == registry().end() ? nullptr : it->second.runtime.get();
}

DWORD startType(LPCWSTR resourceType, const MonitorCallbacks& callbacks, PCLRES_FUNCTION_TABLE* table) {
  if (!resourceType || !table) return kErrorInvalidParameter;
  std::string typeName = toUtf8(resourceType);
  std::lock_guard<std::mutex> lock(registryMutex());
  auto it = registry().find(typeName);
  if (it == registry().end()) {
    TypeConfig config;
    if (!findTypeConfig(typeName, config)) {
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
    size_t index = kMaxTypes;
    for (size_t i = 0; i < kMaxTypes; ++i)
      if (!gTypeRuntimes[i].load()) {
        index = i;
        break;
      }
    if (index == kMaxTypes) {
      callbacks.log(nullptr, LOG_ERROR, "Startup: too many resource types in one library");
      return kErrorNotEnoughMemory;
    }
    auto rt = std::make_unique<TypeRuntime>(config, callbacks);
    pinLibrary();
    rt->start();
    gTypeRuntimes[index].store(rt.get());
    it = registry().emplace(typeName, StartedType{std::move(rt), index}).first;
  } else if (it->second.runtime->callbacks().version() != callbacks.version()) {
    callbacks.log(nullptr, LOG_ERROR, "Startup: resource type '" + typeName + "' already started with another API version");
    return kErrorRevisionMismatch;
  }
  *table = callbacks.isV2() ? &gV2Tables[it->second.index] : &gV1Tables[it->second.index];
  return kErrorSuccess;
}

}  // namespace

bool releaseType(const std::string& typeName) {
  std::unique_ptr<TypeRuntime> rt;
  {
    std::lock_guard<std::mutex> lock(registryMutex());
    auto it = registry().find(typeName);
    if (it == registry().end()) return false;
    rt = std::move(it->second.runtime);
    gTypeRuntimes[it->second.index].store(nullptr);
    registry().erase(it);
  }
  rt->stop();
  return true;
}

void releaseAllTypes() {
  std::vector<std::string> names;
  {
    std::lock_guard<std::mutex> lock(registryMutex());
    for (const auto& kv : registry()) names.push_back(kv.first);
  }
  for (const auto& name : names) releaseType(name);
}

int64_t hostPidOf(const std::string& typeName) {
  TypeRuntime* rt = findRuntime(typeName);
  return rt ? rt->hostPid() : 0;
}

}  // namespace wsfc::shim

using namespace wsfc::shim;

WSFC_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,
                                 PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus, PLOG_EVENT_ROUTINE LogEvent,
                                 PCLRES_FUNCTION_TABLE* FunctionTable) {
  try {
    if (CLRES_VERSION_V1_00 < MinVersionSupported || CLRES_VERSION_V1_00 > MaxVersionSupported)
      return kErrorRevisionMismatch;
    return startType(ResourceType, MonitorCallbacks::v1(SetResourceStatus, LogEvent), FunctionTable);
  } catch (...) {
    return kErrorGenFailure;
  }
}

WSFC_EXPORT DWORD WINAPI StartupEx(LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,
                                   PCLRES_CALLBACK_FUNCTION_TABLE MonitorCallbackFunctions,
                                   PCLRES_FUNCTION_TABLE* ResourceDllInterfaceFunctions) {
  try {
    if (!MonitorCallbackFunctions) return kErrorInvalidParameter;
    // We implement V2; V3/V4 only replace ResourceControl with the async Begin* calls.
    if (CLRES_VERSION_V2_00 < MinVersionSupported || CLRES_VERSION_V2_00 > MaxVersionSupported)
      return kErrorRevisionMismatch;
    return startType(ResourceType, MonitorCallbacks::v2(MonitorCallbackFunctions), ResourceDllInterfaceFunctions);
  } catch (...) {
    return kErrorGenFailure;
  }
}
