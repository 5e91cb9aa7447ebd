// wsfc-host.node: what a host process (`node dist/host/main.js`, started by the shim on a cluster
// node) loads — the host end of the channel and nothing of the shim, the monitor or the tests.
#include <napi.h>

#include "host_endpoint.h"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("HostEndpoint", wsfc::addon::HostEndpoint::define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(wsfc_host, init)
