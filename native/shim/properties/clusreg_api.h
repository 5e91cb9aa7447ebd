// The few ClusAPI registry functions the property store uses, declared from the SDK's ClusApi.h
// signatures (learn.microsoft.com clusapi pages; CLUSTER_REG_COMMAND values from ClusApi.h via
// win32metadata) because mingw-w64's clusapi.h does not compile with a current _WIN32_WINNT
// (resdll-contract.md §2.5). Windows build only.
#pragma once
#ifdef _WIN32
#include "resapi_abi.h"

extern "C" {
struct _HREGBATCH;
using HREGBATCH = _HREGBATCH*;

constexpr DWORD CLUSREG_SET_VALUE = 1;
constexpr DWORD CLUSREG_CREATE_KEY = 2;

__declspec(dllimport) LONG WINAPI ClusterRegOpenKey(HKEY hKey, LPCWSTR lpszSubKey, REGSAM samDesired, PHKEY phkResult);
__declspec(dllimport) LONG WINAPI ClusterRegCloseKey(HKEY hKey);
__declspec(dllimport) DWORD WINAPI ClusterRegEnumValue(HKEY hKey, DWORD dwIndex, LPWSTR lpszValueName,
                                                      LPDWORD lpcchValueName, LPDWORD lpdwType, LPBYTE lpData,
                                                      LPDWORD lpcbData);
__declspec(dllimport) LONG WINAPI ClusterRegCreateBatch(HKEY hKey, HREGBATCH* pHREGBATCH);
__declspec(dllimport) LONG WINAPI ClusterRegBatchAddCommand(HREGBATCH hRegBatch, DWORD dwCommand, LPCWSTR wzName,
                                                           DWORD dwOptions, LPCVOID lpData, DWORD cbData);
__declspec(dllimport) LONG WINAPI ClusterRegCloseBatch(HREGBATCH hRegBatch, BOOL bCommit, INT* failedCommandNumber);
}
#endif
