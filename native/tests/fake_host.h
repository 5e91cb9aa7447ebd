// A host written in C++ for the native tests: answers the shim's frames like lib/host/runtime.ts
// would, with per-resource behaviour (answer, hang, delay), so the shim and the monitor can run
// under ASan/UBSan and TSan without Node.js.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "channel/frame_connection.h"
#include "shim/config/shim_config.h"

namespace wsfc::tests {

enum class Behaviour { Answer, Hang, Slow };

class FakeHost final : public channel::FrameConnection::Handler {
 public:
  FakeHost();
  ~FakeHost() override;
  void attach(std::unique_ptr<channel::ByteStream> stream);
  void stop();
  void setBehaviour(Behaviour b) { behaviour_.store(b); }
  int framesSeen() const { return frames_.load(); }

 private:
  void onFrame(protocol::Frame&& f) override;
  void onClosed(const std::string&) override {}
  void reply(const protocol::Frame& f, uint32_t status, std::vector<uint8_t> output = {});
  void delayLoop();

  std::mutex mu_;
  // Behaviour::Slow answers from this thread: onFrame may run on the shim's writing thread (the
  // in-process pipe delivers there) and must not block it.
  std::mutex delayMu_;
  std::condition_variable delayCv_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, protocol::Frame>> delayed_;
  bool delayStop_ = false;
  std::thread delayThread_;
  std::unique_ptr<channel::FrameConnection> conn_;
  std::atomic<Behaviour> behaviour_{Behaviour::Answer};
  std::atomic<int> frames_{0};
};

class FakeLauncher final : public shim::HostLauncher {
 public:
  explicit FakeLauncher(std::shared_ptr<FakeHost> host) : host_(std::move(host)) {}
  shim::HostLaunch launch(const std::string&, const shim::HostLog&) override;

 private:
  std::shared_ptr<FakeHost> host_;
};

}  // namespace wsfc::tests
