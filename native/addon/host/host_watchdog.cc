#include "host_watchdog.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace wsfc::addon {

constexpr auto kTick = std::chrono::milliseconds(100);
// The exit code of a host that ended itself because its shim went away (EX_SOFTWARE).
constexpr int kOrphanExitCode = 70;

HostWatchdog::HostWatchdog(Probe probe, uint32_t silenceMs, uint32_t exitGraceMs)
    : probe_(std::move(probe)), silenceMs_(silenceMs), exitGraceMs_(exitGraceMs) {
  thread_ = std::thread([this] { run(); });
}

HostWatchdog::~HostWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HostWatchdog::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, kTick, [this] { return stop_; })) {
    lock.unlock();
    int64_t closedMs = probe_.closedForMs();
    if (closedMs >= 0 && closedMs > static_cast<int64_t>(exitGraceMs_)) {
      std::fprintf(stderr, "wsfc-resource host: the channel to the shim closed %lld ms ago and JavaScript did not exit; exiting\n",
                   static_cast<long long>(closedMs));
      std::fflush(stderr);
      std::_Exit(kOrphanExitCode);
    }
    int64_t silentMs = probe_.silentForMs();
    if (closedMs < 0 && silenceMs_ > 0 && silentMs > static_cast<int64_t>(silenceMs_))
      probe_.drop("the shim sent nothing for " + std::to_string(silentMs) + " ms");
    lock.lock();
  }
}

}  // namespace wsfc::addon
