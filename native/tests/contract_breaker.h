// A deliberately bad resource library, linked into the addon so tests can prove the mock monitor
// catches each contract breach of DESIGN §5. Behaviour is chosen by the resource's name.
#pragma once
#include "../shim/resapi_abi.h"

namespace wsfc::tests {

DWORD WINAPI breakerStartup(LPCWSTR type, DWORD minVersion, DWORD maxVersion, PSET_RESOURCE_STATUS_ROUTINE setStatus,
                            PLOG_EVENT_ROUTINE logEvent, PCLRES_FUNCTION_TABLE* table);
DWORD WINAPI breakerStartupEx(LPCWSTR type, DWORD minVersion, DWORD maxVersion,
                              PCLRES_CALLBACK_FUNCTION_TABLE callbacks, PCLRES_FUNCTION_TABLE* table);

}  // namespace wsfc::tests
