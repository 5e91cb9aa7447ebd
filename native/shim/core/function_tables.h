// The function tables Startup hands RHS. Open carries no RESID and ResourceTypeControl no
// resource, so each started (shim instance, type) pair gets a table of its own whose Open and
// ResourceTypeControl trampolines are bound to that pair's slot at compile time; the other entry
// points find their runtime through the RESID (the slot of the resource).
#pragma once
#include <cstddef>

#include "common/resapi_abi.h"

namespace wsfc::shim {

class ShimInstance;
class TypeRuntime;

// How many types may be started at once in one process, over all shim instances (a mock cluster
// of N nodes starts each of its types N times).
constexpr size_t kMaxStartedTypes = 256;

// Binds a free table to (instance, runtime); kMaxStartedTypes when every table is taken.
size_t claimFunctionTable(ShimInstance* instance, TypeRuntime* runtime);
// Unbinds it: Open through it returns NULL, ResourceTypeControl ERROR_CLUSTER_RESNAME_NOT_FOUND.
void releaseFunctionTable(size_t index);
// Static storage: RHS keeps the pointer for as long as the type is loaded (§2.3).
PCLRES_FUNCTION_TABLE functionTable(size_t index, bool v2);

}  // namespace wsfc::shim
