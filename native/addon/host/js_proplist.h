// Property lists <-> the JavaScript shape of lib/proplist.ts ({ name, format, value, values?,
// expanded? }), so tests can hold the C++ codec to the same vectors as the TypeScript one.
#pragma once
#include <napi.h>

#include "protocol/proplist.h"

namespace wsfc::addon {

// decodePropertyListNative(buf) -> { ok: true, properties } | { ok: false, offset, reason }
Napi::Value decodePropertyListNative(const Napi::CallbackInfo& info);
// decodeMultiSzNative(buf) -> { ok: true, strings } | { ok: false, offset, reason }
Napi::Value decodeMultiSzNative(const Napi::CallbackInfo& info);
// encodePropertyListNative(properties) -> Buffer
Napi::Value encodePropertyListNative(const Napi::CallbackInfo& info);

std::vector<proplist::Property> propertiesFromJs(Napi::Env env, Napi::Value v);

}  // namespace wsfc::addon
