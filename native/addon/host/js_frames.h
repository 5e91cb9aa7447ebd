// Frames <-> JavaScript for the host runtime (lib/host/). A frame from the shim reaches JS as
// positional arguments, which lib/native.ts (shimFrame) turns into the ShimFrame object: building
// it there costs far less than setting named properties through Node-API. A malformed frame
// carries a `corrupt` reason so JS can log it. Shapes are declared in lib/native.ts.
#pragma once
#include <napi.h>

#include <string>

#include "protocol/frame.h"

namespace wsfc::addon {

// The arguments of the HostEndpoint callback:
//   (type, slot, generation, request, a, b, c, corrupt)
// with type the frame type's name and a, b, c its payload fields in the order lib/native.ts
// reads them; type 'closed' with the reason in `a` when the channel ended.
constexpr size_t kFrameArgs = 8;
void frameToJsArgs(Napi::Env env, const protocol::Frame& f, napi_value (&args)[kFrameArgs]);
void closedToJsArgs(Napi::Env env, const std::string& reason, napi_value (&args)[kFrameArgs]);
// Throws a JS TypeError on a malformed object.
protocol::Frame frameFromJs(Napi::Env env, Napi::Value v);
// HostEndpoint.sendResult(slot, generation, request, status, output?): the hot path, positional.
protocol::Frame resultFromJs(const Napi::CallbackInfo& info);

}  // namespace wsfc::addon
