// Each entry point is a trampoline into the type's runtime that catches everything: an exception
// escaping into RHS makes RHS terminate itself (resdll-contract.md §4.5).
#include "function_tables.h"

#include <array>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <utility>

#include "common/text.h"
#include "shim_instance.h"
#include "type_runtime.h"

namespace wsfc::shim {
namespace {

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

struct TableBinding {
  std::atomic<ShimInstance*> instance{nullptr};
  std::atomic<TypeRuntime*> runtime{nullptr};
};
TableBinding gBindings[kMaxStartedTypes];
std::mutex gClaimMu;

RESID openWith(size_t index, LPCWSTR name, HKEY key, RESOURCE_HANDLE handle, DWORD flags) {
  return guarded<RESID>(nullptr, "Open", nullptr, [&]() -> RESID {
    TypeRuntime* rt = gBindings[index].runtime.load();
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
// One library may serve several types in one RHS: the type is found by name among those its
// instance started, as RHS names it.
DWORD typeControlWith(size_t index, LPCWSTR typeName, DWORD code, PVOID in, DWORD inSize, PVOID out, DWORD outSize,
                      LPDWORD bytesReturned) {
  return guarded<DWORD>(nullptr, "ResourceTypeControl", kErrorGenFailure, [&] {
    ShimInstance* instance = gBindings[index].instance.load();
    TypeRuntime* rt = instance ? instance->findRuntime(toUtf8(typeName)) : nullptr;
    if (!rt) return kErrorClusterResnameNotFound;
    return rt->typeControl(code, in, inSize, out, outSize, bytesReturned);
  });
}
template <size_t I>
DWORD WINAPI resourceTypeControl(LPCWSTR typeName, DWORD code, PVOID in, DWORD inSize, PVOID out, DWORD outSize,
                                 LPDWORD bytesReturned) {
  return typeControlWith(I, typeName, code, in, inSize, out, outSize, bytesReturned);
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
DWORD WINAPI cancelEntry(RESID r, DWORD) {
  return guarded<DWORD>(slotOf(r), "Cancel", kErrorGenFailure, [&] {
    return r ? slotOf(r)->runtime->cancel(slotOf(r)) : kErrorResourceNotFound;
  });
}

template <size_t I>
CLRES_FUNCTION_TABLE makeV1Table() {
  CLRES_FUNCTION_TABLE t{};
  t.TableSize = sizeof(CLRES_V1_FUNCTIONS);
  t.Version = CLRES_VERSION_V1_00;
  t.V1Functions = {openV1<I>, closeEntry, onlineV1, offlineV1, terminateEntry, looksAliveEntry, isAliveEntry,
                   nullptr, nullptr, resourceControlEntry, resourceTypeControl<I>};
  return t;
}
template <size_t I>
CLRES_FUNCTION_TABLE makeV2Table() {
  CLRES_FUNCTION_TABLE t{};
  t.TableSize = sizeof(CLRES_V2_FUNCTIONS);
  t.Version = CLRES_VERSION_V2_00;
  t.V2Functions = {openV2<I>, closeEntry, onlineV2, offlineV2, terminateEntry, looksAliveEntry, isAliveEntry,
                   nullptr, nullptr, resourceControlEntry, resourceTypeControl<I>, cancelEntry};
  return t;
}
template <size_t... I>
std::array<CLRES_FUNCTION_TABLE, kMaxStartedTypes> makeTables(bool v2, std::index_sequence<I...>) {
  return {{(v2 ? makeV2Table<I>() : makeV1Table<I>())...}};
}
std::array<CLRES_FUNCTION_TABLE, kMaxStartedTypes> gV1Tables =
    makeTables(false, std::make_index_sequence<kMaxStartedTypes>{});
std::array<CLRES_FUNCTION_TABLE, kMaxStartedTypes> gV2Tables =
    makeTables(true, std::make_index_sequence<kMaxStartedTypes>{});

}  // namespace

size_t claimFunctionTable(ShimInstance* instance, TypeRuntime* runtime) {
  std::lock_guard<std::mutex> lock(gClaimMu);
  for (size_t i = 0; i < kMaxStartedTypes; ++i) {
    if (gBindings[i].runtime.load()) continue;
    gBindings[i].instance.store(instance);
    gBindings[i].runtime.store(runtime);
    return i;
  }
  return kMaxStartedTypes;
}

void releaseFunctionTable(size_t index) {
  if (index >= kMaxStartedTypes) return;
  std::lock_guard<std::mutex> lock(gClaimMu);
  gBindings[index].runtime.store(nullptr);
  gBindings[index].instance.store(nullptr);
}

PCLRES_FUNCTION_TABLE functionTable(size_t index, bool v2) { return v2 ? &gV2Tables[index] : &gV1Tables[index]; }

}  // namespace wsfc::shim
