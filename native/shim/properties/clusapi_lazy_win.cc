// The mock addon loads ClusAPI.dll on first use, from System32 only: a developer's Windows machine
// has no cluster API, and the addon must load there (mock mode never opens a cluster key).
#include "clusreg_api.h"

namespace wsfc::shim {

namespace {

template <typename F>
bool find(HMODULE dll, const char* name, F& out) {
  out = reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(dll, name)));
  return out != nullptr;
}

ClusRegApi* load() {
  static ClusRegApi api{};
  HMODULE dll = LoadLibraryExW(L"clusapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (!dll) return nullptr;
  bool ok = find(dll, "ClusterRegOpenKey", api.openKey) && find(dll, "ClusterRegCloseKey", api.closeKey) &&
            find(dll, "ClusterRegEnumValue", api.enumValue) && find(dll, "ClusterRegCreateBatch", api.createBatch) &&
            find(dll, "ClusterRegBatchAddCommand", api.batchAddCommand) &&
            find(dll, "ClusterRegCloseBatch", api.closeBatch);
  return ok ? &api : nullptr;  // the module stays loaded: the table points into it
}

}  // namespace

const ClusRegApi* clusRegApi() {
  static const ClusRegApi* api = load();  // once, thread-safe (C++11 static initialization)
  return api;
}

}  // namespace wsfc::shim
