// Baselines for the benchmarks (npm run bench), driven by the same mock monitor as the shim:
//   NativeBaseline: a minimal C++ resource library, health checks answer TRUE at once;
//   SpawnPerCall:   each LooksAlive/IsAlive spawns `node -e 0` and waits for it, the way a
//                   script-per-call agent (Generic Script and friends) checks health.
#pragma once
#include "common/resapi_abi.h"

namespace wsfc::tests {

// Runs `node -e 0` and waits for it (spawn_node_posix.cc / spawn_node_win.cc); true on exit 0.
bool runNodeOnce();

DWORD WINAPI baselineStartupEx(LPCWSTR type, DWORD minVersion, DWORD maxVersion,
                               PCLRES_CALLBACK_FUNCTION_TABLE callbacks, PCLRES_FUNCTION_TABLE* table);

}  // namespace wsfc::tests
