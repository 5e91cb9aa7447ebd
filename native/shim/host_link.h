// The shim's side of the channel to its host: launches the host off the RHS threads, runs the
// Hello handshake, and turns every way a host can go away (exit, EOF, corrupt frame, failed
// launch) into one onHostLost() notification. send() is lock-free so Terminate can use it.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../channel/frame_connection.h"
#include "../platform/semaphore.h"
#include "shim_config.h"

namespace wsfc::shim {

class HostLink final : public channel::FrameConnection::Handler {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onHostFrame(protocol::Frame&& f) = 0;  // reader thread
    virtual void onHostReady() = 0;                      // reader thread
    virtual void onHostLost(const std::string& why) = 0; // supervisor thread
    // Type-level lines about the host (start, exit, its stdout/stderr); any shim thread.
    virtual void onHostLog(LOG_LEVEL level, const std::string& line) = 0;
  };

  enum class State : int { Down = 0, Connecting, Ready, Stopped };

  HostLink(std::string typeName, uint32_t resapiVersion, std::shared_ptr<HostLauncher> launcher,
           Listener& listener);
  ~HostLink();

  void start();
  void stop();

  // Starts a host if there is none. backlog queues frames that must reach a new host right
  // after the handshake and before anything sent later (re-opening existing resources).
  void ensureHost(const std::function<void(channel::FrameConnection&)>& backlog);
  // Lock-free. Dropped while no host is starting or running.
  void send(protocol::Frame&& f);
  State state() const { return state_.load(); }
  int64_t hostPid() const { return pid_.load(); }

 private:
  void onFrame(protocol::Frame&& f) override;
  void onClosed(const std::string& reason) override;
  void supervise();
  void dropConnection(const std::string& why);

  const std::string typeName_;
  const uint32_t resapiVersion_;
  std::shared_ptr<HostLauncher> launcher_;
  Listener& listener_;

  std::mutex launchMu_;  // serialises ensureHost; never taken on the Terminate path
  std::atomic<channel::FrameConnection*> conn_{nullptr};
  // Connections are kept until stop() so a sender that loaded the pointer just before a drop
  // never touches freed memory; each holds only an empty queue once stopped.
  std::vector<std::unique_ptr<channel::FrameConnection>> connections_;
  std::atomic<State> state_{State::Down};
  std::atomic<bool> launchWanted_{false};
  std::atomic<bool> lost_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> pid_{0};
  std::mutex lostMu_;
  std::string lostReason_;
  platform::Semaphore wake_;
  std::thread supervisor_;
};

}  // namespace wsfc::shim
