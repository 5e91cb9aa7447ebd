#include "in_process_launcher.h"

#include "channel/inprocess_pipe.h"

namespace wsfc::addon {

shim::HostLaunch InProcessLauncher::launch(const std::string&, const shim::HostLog&) {
  auto core = core_.lock();
  if (!core) return {nullptr, "the in-process host is gone", 0};
  auto pipe = channel::makeInProcessPipe();
  core->attach(std::move(pipe.second), /*newSession=*/true);
  return {std::move(pipe.first), "", 0};
}

}  // namespace wsfc::addon
