// The DLL entry point does nothing but opt out of thread notifications: no thread, no host, no
// waiting under the loader lock (resdll-contract.md §2.1). The host starts lazily from Startup.
#include "common/resapi_abi.h"

extern "C" BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID) {
  if (reason == DLL_PROCESS_ATTACH) DisableThreadLibraryCalls(instance);
  return TRUE;
}
