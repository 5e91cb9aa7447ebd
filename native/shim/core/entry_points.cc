// The Resource API's two exported entry points: the process's shim instance (shim_instance.h),
// whose function tables (function_tables.h) hold the rest. What RHS sees is exactly this.
#include "shim_api.h"
#include "shim_instance.h"

using wsfc::shim::ShimInstance;

WSFC_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,
                                 PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus, PLOG_EVENT_ROUTINE LogEvent,
                                 PCLRES_FUNCTION_TABLE* FunctionTable) {
  return ShimInstance::process().startup(ResourceType, MinVersionSupported, MaxVersionSupported, SetResourceStatus,
                                         LogEvent, FunctionTable);
}

WSFC_EXPORT DWORD WINAPI StartupEx(LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,
                                   PCLRES_CALLBACK_FUNCTION_TABLE MonitorCallbackFunctions,
                                   PCLRES_FUNCTION_TABLE* ResourceDllInterfaceFunctions) {
  return ShimInstance::process().startupEx(ResourceType, MinVersionSupported, MaxVersionSupported,
                                           MonitorCallbackFunctions, ResourceDllInterfaceFunctions);
}
