// The few ClusAPI registry functions the property store uses, with the SDK's ClusApi.h
// signatures (learn.microsoft.com clusapi pages; CLUSTER_REG_COMMAND values from ClusApi.h via
// win32metadata), declared here because mingw-w64's clusapi.h does not compile with a current
// _WIN32_WINNT (resdll-contract.md §2.5). Windows build only.
//
// The store reaches them through a table, so that only wsfcres.dll imports ClusAPI.dll
// (clusapi_linked_win.cc); the mock addon, which must load on a Windows machine without the
// cluster API, loads it on first use (clusapi_lazy_win.cc), and mock mode never uses it.
#pragma once
#ifdef _WIN32
#include "common/resapi_abi.h"

extern "C" {
struct _HREGBATCH;
using HREGBATCH = _HREGBATCH*;
}

namespace wsfc::shim {

constexpr DWORD CLUSREG_SET_VALUE = 1;
constexpr DWORD CLUSREG_CREATE_KEY = 2;

struct ClusRegApi {
  LONG(WINAPI* openKey)(HKEY hKey, LPCWSTR lpszSubKey, REGSAM samDesired, PHKEY phkResult);
  LONG(WINAPI* closeKey)(HKEY hKey);
  DWORD(WINAPI* enumValue)(HKEY hKey, DWORD dwIndex, LPWSTR lpszValueName, LPDWORD lpcchValueName, LPDWORD lpdwType,
                           LPBYTE lpData, LPDWORD lpcbData);
  LONG(WINAPI* createBatch)(HKEY hKey, HREGBATCH* pHREGBATCH);
  LONG(WINAPI* batchAddCommand)(HREGBATCH hRegBatch, DWORD dwCommand, LPCWSTR wzName, DWORD dwOptions, LPCVOID lpData,
                                DWORD cbData);
  LONG(WINAPI* closeBatch)(HREGBATCH hRegBatch, BOOL bCommit, INT* failedCommandNumber);
};

// The functions, or null when ClusAPI.dll cannot be loaded (then the store's reads and writes fail).
const ClusRegApi* clusRegApi();

}  // namespace wsfc::shim
#endif
