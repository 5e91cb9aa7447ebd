#include "contract_breaker.h"
#include "test_library.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/text.h"

namespace wsfc::tests {

namespace {

PSET_RESOURCE_STATUS_ROUTINE gSetStatus = nullptr;
PSET_RESOURCE_STATUS_ROUTINE_EX gSetStatusEx = nullptr;

struct Breaker {
  std::string name;
  RESOURCE_HANDLE handle;
};

void report(Breaker* b, CLUSTER_RESOURCE_STATE state, DWORD checkpoint) {
  if (gSetStatusEx) {
    RESOURCE_STATUS_EX s{};
    s.ResourceState = state;
    s.CheckPoint = checkpoint;
    gSetStatusEx(b->handle, &s);
  } else if (gSetStatus) {
    RESOURCE_STATUS s{};
    s.ResourceState = state;
    s.CheckPoint = checkpoint;
    gSetStatus(b->handle, &s);
  }
}

RESID WINAPI open(LPCWSTR name, HKEY, RESOURCE_HANDLE handle) { return new Breaker{toUtf8(name), handle}; }
RESID WINAPI openV2(LPCWSTR name, HKEY key, RESOURCE_HANDLE handle, DWORD) { return open(name, key, handle); }
VOID WINAPI close(RESID r) { delete static_cast<Breaker*>(r); }

DWORD WINAPI online(RESID r, LPHANDLE) {
  auto* b = static_cast<Breaker*>(r);
  if (b->name == "checkpoint-not-increasing") {
    report(b, ClusterResourceOnlinePending, 1);
    report(b, ClusterResourceOnlinePending, 1);
    report(b, ClusterResourceOnline, 2);
    return kErrorIoPending;
  }
  return 0;
}
DWORD WINAPI onlineV2(RESID r, LPHANDLE ev, DWORD, PBYTE, DWORD, DWORD) { return online(r, ev); }
DWORD WINAPI offline(RESID) { return 0; }
DWORD WINAPI offlineV2(RESID r, LPCWSTR, DWORD, PBYTE, DWORD, DWORD) { return offline(r); }
VOID WINAPI terminate(RESID) {}
BOOL WINAPI looksAlive(RESID r) {
  auto* b = static_cast<Breaker*>(r);
  if (b->name == "slow-call") std::this_thread::sleep_for(std::chrono::milliseconds(350));
  if (b->name == "status-outside-pending") report(b, ClusterResourceOnline, 7);  // no operation is pending
  return TRUE;
}
BOOL WINAPI isAlive(RESID r) {
  // Exactly what a resource DLL must never do (contract §4.5).
  if (static_cast<Breaker*>(r)->name == "exception") throw std::runtime_error("escaped");
  return TRUE;
}
DWORD WINAPI control(RESID, DWORD, PVOID, DWORD, PVOID, DWORD, LPDWORD) { return kErrorInvalidFunction; }
DWORD WINAPI typeControl(LPCWSTR, DWORD, PVOID, DWORD, PVOID, DWORD, LPDWORD) { return kErrorInvalidFunction; }
DWORD WINAPI cancel(RESID, DWORD) { return 0; }

CLRES_FUNCTION_TABLE makeV1() {
  CLRES_FUNCTION_TABLE t{};
  t.TableSize = sizeof(CLRES_V1_FUNCTIONS);
  t.Version = CLRES_VERSION_V1_00;
  t.V1Functions = {open, close, online, offline, terminate, looksAlive, isAlive, nullptr, nullptr, control, typeControl};
  return t;
}
CLRES_FUNCTION_TABLE makeV2() {
  CLRES_FUNCTION_TABLE t{};
  t.TableSize = sizeof(CLRES_V2_FUNCTIONS);
  t.Version = CLRES_VERSION_V2_00;
  t.V2Functions = {openV2, close, onlineV2, offlineV2, terminate, looksAlive, isAlive, nullptr, nullptr, control,
                   typeControl, cancel};
  return t;
}
CLRES_FUNCTION_TABLE gV1 = makeV1();
CLRES_FUNCTION_TABLE gV2 = makeV2();

}  // namespace

DWORD WINAPI breakerStartup(LPCWSTR, DWORD, DWORD, PSET_RESOURCE_STATUS_ROUTINE setStatus, PLOG_EVENT_ROUTINE,
                            PCLRES_FUNCTION_TABLE* table) {
  gSetStatus = setStatus;
  gSetStatusEx = nullptr;
  *table = &gV1;
  return 0;
}

DWORD WINAPI breakerStartupEx(LPCWSTR, DWORD, DWORD, PCLRES_CALLBACK_FUNCTION_TABLE callbacks,
                              PCLRES_FUNCTION_TABLE* table) {
  gSetStatusEx = callbacks->SetResourceStatusEx;
  gSetStatus = nullptr;
  *table = &gV2;
  return 0;
}

}  // namespace wsfc::tests

WSFC_TEST_LIBRARY_EXPORT DWORD WINAPI Startup(LPCWSTR type, DWORD minVersion, DWORD maxVersion,
                                              PSET_RESOURCE_STATUS_ROUTINE setStatus, PLOG_EVENT_ROUTINE logEvent,
                                              PCLRES_FUNCTION_TABLE* table) {
  return wsfc::tests::breakerStartup(type, minVersion, maxVersion, setStatus, logEvent, table);
}
WSFC_TEST_LIBRARY_EXPORT DWORD WINAPI StartupEx(LPCWSTR type, DWORD minVersion, DWORD maxVersion,
                                                PCLRES_CALLBACK_FUNCTION_TABLE callbacks, PCLRES_FUNCTION_TABLE* table) {
  return wsfc::tests::breakerStartupEx(type, minVersion, maxVersion, callbacks, table);
}
