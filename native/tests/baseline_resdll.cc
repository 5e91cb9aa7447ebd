#include "baseline_resdll.h"
#include "test_library.h"

#include <string>

#include "common/text.h"

namespace wsfc::tests {

namespace {

struct Instance {
  bool spawnPerCall;
};

// One Open per type, so each table knows what its resources do.
RESID WINAPI openConstant(LPCWSTR, HKEY, RESOURCE_HANDLE, DWORD) { return new Instance{false}; }
RESID WINAPI openSpawning(LPCWSTR, HKEY, RESOURCE_HANDLE, DWORD) { return new Instance{true}; }
VOID WINAPI close(RESID r) { delete static_cast<Instance*>(r); }
DWORD WINAPI online(RESID, LPHANDLE, DWORD, PBYTE, DWORD, DWORD) { return 0; }
DWORD WINAPI offline(RESID, LPCWSTR, DWORD, PBYTE, DWORD, DWORD) { return 0; }
VOID WINAPI terminate(RESID) {}

BOOL check(RESID r) {
  if (!static_cast<Instance*>(r)->spawnPerCall) return TRUE;
  return runNodeOnce() ? TRUE : FALSE;
}
BOOL WINAPI looksAlive(RESID r) { return check(r); }
BOOL WINAPI isAlive(RESID r) { return check(r); }
DWORD WINAPI control(RESID, DWORD, PVOID, DWORD, PVOID, DWORD, LPDWORD) { return kErrorInvalidFunction; }
DWORD WINAPI typeControl(LPCWSTR, DWORD, PVOID, DWORD, PVOID, DWORD, LPDWORD) { return kErrorInvalidFunction; }
DWORD WINAPI cancel(RESID, DWORD) { return 0; }

CLRES_FUNCTION_TABLE makeTable(POPEN_V2_ROUTINE open) {
  CLRES_FUNCTION_TABLE t{};
  t.TableSize = sizeof(CLRES_V2_FUNCTIONS);
  t.Version = CLRES_VERSION_V2_00;
  t.V2Functions = {open, close, online, offline, terminate, looksAlive, isAlive, nullptr, nullptr, control,
                   typeControl, cancel};
  return t;
}
CLRES_FUNCTION_TABLE gConstant = makeTable(openConstant);
CLRES_FUNCTION_TABLE gSpawning = makeTable(openSpawning);

}  // namespace

DWORD WINAPI baselineStartupEx(LPCWSTR type, DWORD, DWORD, PCLRES_CALLBACK_FUNCTION_TABLE, PCLRES_FUNCTION_TABLE* table) {
  std::string name = toUtf8(type);
  if (name != "NativeBaseline" && name != "SpawnPerCall") return kErrorClusterResnameNotFound;
  *table = name == "SpawnPerCall" ? &gSpawning : &gConstant;
  return 0;
}

}  // namespace wsfc::tests

// StartupEx only: the baselines are V2 libraries.
WSFC_TEST_LIBRARY_EXPORT DWORD WINAPI StartupEx(LPCWSTR type, DWORD minVersion, DWORD maxVersion,
                                                PCLRES_CALLBACK_FUNCTION_TABLE callbacks, PCLRES_FUNCTION_TABLE* table) {
  return wsfc::tests::baselineStartupEx(type, minVersion, maxVersion, callbacks, table);
}
