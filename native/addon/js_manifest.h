// The manifest object lib/manifest.ts builds -> the shim's TypeSchema (native/shim/manifest.h).
#pragma once
#include <napi.h>

#include "../shim/type_schema.h"

namespace wsfc::addon {

// Throws a JS TypeError naming the field on a malformed manifest.
shim::TypeSchema schemaFromJs(Napi::Env env, Napi::Value v);

}  // namespace wsfc::addon
