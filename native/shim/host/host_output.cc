#include "host_output.h"

namespace wsfc::shim {

HostOutput::~HostOutput() { stop(""); }

void HostOutput::stop(const std::string& footer) {
  if (stopped_) return;
  stopped_ = true;
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  drainNow();
  sink_.finish(footer);
  closePipe(0);
  closePipe(1);
}

// Whatever the pipes hold right now, without waiting: called after the host was reaped.
void HostOutput::drainNow() {
  for (int i = 0; i < 2; ++i)
    for (int guard = 0; guard < 1024 && pipes_[i] != kClosedPipe && readOnce(i); ++guard) {
    }
}

}  // namespace wsfc::shim
