// Mock mode's host "launch": the type's host is this very process, so the shim's end of an
// in-process pipe is handed back and the other end attached to the JavaScript host endpoint.
#pragma once
#include <memory>
#include <string>

#include "addon/host/host_endpoint.h"
#include "shim/config/shim_config.h"

namespace wsfc::addon {

class InProcessLauncher final : public shim::HostLauncher {
 public:
  explicit InProcessLauncher(std::weak_ptr<EndpointCore> core) : core_(std::move(core)) {}
  shim::HostLaunch launch(const std::string& typeName, const shim::HostLog& log) override;

 private:
  std::weak_ptr<EndpointCore> core_;
};

}  // namespace wsfc::addon
