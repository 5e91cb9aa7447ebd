// A deliberately bad resource library, loaded by the mock monitor so tests can prove it
// catches each contract breach of DESIGN §5. Behaviour is chosen by the resource's name.
#pragma once
#include "common/resapi_abi.h"

namespace wsfc::tests {

DWORD WINAPI breakerStartup(LPCWSTR type, DWORD minVersion, DWORD maxVersion, PSET_RESOURCE_STATUS_ROUTINE setStatus,
                            PLOG_EVENT_ROUTINE logEvent, PCLRES_FUNCTION_TABLE* table);
DWORD WINAPI breakerStartupEx(LPCWSTR type, DWORD minVersion, DWORD maxVersion,
                              PCLRES_CALLBACK_FUNCTION_TABLE callbacks, PCLRES_FUNCTION_TABLE* table);

}  // namespace wsfc::tests
