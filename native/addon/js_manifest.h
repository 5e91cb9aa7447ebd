// The manifest object lib/manifest.ts builds -> the shim's Manifest (native/shim/manifest.h).
#pragma once
#include <napi.h>

#include "../shim/manifest.h"

namespace wsfc::addon {

// Throws a JS TypeError naming the field on a malformed manifest.
shim::Manifest manifestFromJs(Napi::Env env, Napi::Value v);

}  // namespace wsfc::addon
