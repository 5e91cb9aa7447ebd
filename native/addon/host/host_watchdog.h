// Keeps a host process from outliving its shim even when its JavaScript is stuck (a busy loop,
// a blocked event loop): if the shim sends nothing for silenceMs, the channel is dropped and
// JavaScript is told; once the channel is gone, JavaScript has exitGraceMs to clean up and exit
// before this thread ends the process itself. Only the host process (lib/host/main.ts) uses it.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace wsfc::addon {

class HostWatchdog {
 public:
  struct Probe {
    std::function<int64_t()> silentForMs;    // since the shim's last frame; < 0 while no channel
    std::function<int64_t()> closedForMs;    // since the channel ended; < 0 while it is open
    std::function<void(const std::string&)> drop;  // drops the channel and tells JavaScript why
  };
  HostWatchdog(Probe probe, uint32_t silenceMs, uint32_t exitGraceMs);
  ~HostWatchdog();
  HostWatchdog(const HostWatchdog&) = delete;
  HostWatchdog& operator=(const HostWatchdog&) = delete;

 private:
  void run();

  Probe probe_;
  const uint32_t silenceMs_;
  const uint32_t exitGraceMs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace wsfc::addon
