// Frames <-> plain JavaScript objects for the host runtime (lib/host/). Shapes are declared in
// lib/native.ts; a malformed frame from the shim becomes {type:'corrupt'} so JS can log it.
#pragma once
#include <napi.h>

#include <string>

#include "../protocol/frame.h"

namespace wsfc::addon {

Napi::Value frameToJs(Napi::Env env, const protocol::Frame& f);
Napi::Value closedToJs(Napi::Env env, const std::string& reason);
// Throws a JS TypeError on a malformed object.
protocol::Frame frameFromJs(Napi::Env env, Napi::Value v);

}  // namespace wsfc::addon
