// The library's exports: the two Resource API entry points RHS looks up, plus what the mock
// cluster needs to stand in for loading and unloading the DLL.
#pragma once
#include <string>

#include "common/resapi_abi.h"

// Exported only from the resource library itself (wsfcres.dll, libwsfcres.so); the Node addon
// links the same code for mock mode and must not look like a resource DLL.
#if defined(WSFC_SHIM_STANDALONE) && defined(_WIN32)
#define WSFC_EXPORT extern "C" __declspec(dllexport)
#elif defined(WSFC_SHIM_STANDALONE)
#define WSFC_EXPORT extern "C" __attribute__((visibility("default")))
#else
#define WSFC_EXPORT extern "C"
#endif

WSFC_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,
                                 PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus, PLOG_EVENT_ROUTINE LogEvent,
                                 PCLRES_FUNCTION_TABLE* FunctionTable);
WSFC_EXPORT DWORD WINAPI StartupEx(LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,
                                   PCLRES_CALLBACK_FUNCTION_TABLE MonitorCallbackFunctions,
                                   PCLRES_FUNCTION_TABLE* ResourceDllInterfaceFunctions);

namespace wsfc::shim {
// What FreeLibrary would end: stops the type's threads and forgets its resources, so the next
// Startup for the type starts from scratch. Returns false if the type was not started.
bool releaseType(const std::string& typeName);
// The pid of the type's host process, 0 when none runs or it runs in-process.
int64_t hostPidOf(const std::string& typeName);
// releaseType for every started type: what unloading the whole library does.
void releaseAllTypes();
// Keeps the library loaded while its threads run (Windows: library_pin_win.cc; POSIX unloads
// through library_unload_posix.cc instead, so there it does nothing).
void pinLibrary();
}  // namespace wsfc::shim
