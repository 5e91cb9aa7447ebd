// wsfcres.dll imports ClusAPI.dll: it runs inside rhs.exe on a cluster node, which has it.
#include "clusreg_api.h"

extern "C" {
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

namespace wsfc::shim {

const ClusRegApi* clusRegApi() {
  static const ClusRegApi api{&ClusterRegOpenKey,     &ClusterRegCloseKey,        &ClusterRegEnumValue,
                              &ClusterRegCreateBatch, &ClusterRegBatchAddCommand, &ClusterRegCloseBatch};
  return &api;
}

}  // namespace wsfc::shim
