// The shim's side of the channel to its host: launches the host off the RHS threads, runs the
// Hello handshake, heartbeats both ways, and turns every way a host can go away (exit, EOF,
// corrupt frame, failed launch, missed heartbeats, no handshake) into one onHostLost()
// notification. Relaunches back off exponentially. send() is lock-free so Terminate can use it.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channel/frame_connection.h"
#include "common/deadline.h"
#include "platform/semaphore.h"
#include "shim/config/shim_config.h"

namespace wsfc::shim {

class HostLink final : public channel::FrameConnection::Handler {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onHostFrame(protocol::Frame&& f) = 0;  // reader thread
    virtual void onHostReady() = 0;                      // reader thread
    // The host of connection `epoch` is gone (supervisor thread). Requests sent to it or to an
    // earlier connection must fail; a newer connection may already be starting.
    virtual void onHostLost(const std::string& why, uint64_t epoch) = 0;
    // Requests up to `epoch` that were tracked after their host's loss was handled (supervisor).
    virtual void onStaleRequests(uint64_t epoch) = 0;
    // Type-level lines about the host (start, exit, its stdout/stderr); any shim thread.
    virtual void onHostLog(LOG_LEVEL level, const std::string& line) = 0;
  };

  enum class State : int { Down = 0, Connecting, Ready, Stopped };

  HostLink(const TypeConfig& config, uint32_t resapiVersion, Listener& listener);
  ~HostLink();

  void start();
  void stop();

  // Starts a host if there is none. backlog queues frames that must reach a new host right
  // after the handshake and before anything sent later (re-opening existing resources).
  // A host killed for a Terminate and not yet torn down (by the supervisor thread, which the kill
  // woke; a few milliseconds) counts as none: ensureHost waits for that teardown, until
  // `dyingWait` at most, so what the caller sends next goes to a new host instead of failing with
  // the dying one (an Online right after a Terminate, seen in test/process/terminate-tree.test.ts).
  void ensureHost(const std::function<void(channel::FrameConnection&)>& backlog, const Deadline& dyingWait);
  // Lock-free. Dropped while no host is starting or running.
  void send(protocol::Frame&& f);
  // send(), but written on the calling thread when the channel is the in-process pipe
  // (FrameConnection::sendNow). Entry points' requests only: never on the Terminate path.
  void sendNow(protocol::Frame&& f);
  State state() const { return state_.load(); }
  // The host is in this process (mock mode): its channel is the in-process pipe.
  bool hostInProcess() const;
  int64_t hostPid() const { return pid_.load(); }
  // The current connection's host was started (launched, or attached in-process). Lock-free.
  bool hostStarted() const { return started_.load(); }
  // Lock-free. False once a ready host has missed two heartbeats: not worth waiting for.
  bool responsive() const;
  // The connection a request sent now goes to: read it before tracking the request, then, after
  // sending, call sweepIfLost(epoch) so a request that raced the loss of its host still fails.
  uint64_t epoch() const { return epoch_.load(); }
  void sweepIfLost(uint64_t epoch);
  // Terminate's path, lock-free: the host of connection `epoch` (where the resource's Online went)
  // did not acknowledge a Terminate in time, so whatever runs there may go on running. Ends that
  // host's process tree now (HostLauncher::killTreeNow; a host already lost may still be in its
  // exit grace) and, if it is the current connection, has the supervisor treat the host as lost,
  // as if it had crashed. In-process there is no process: the dropped channel makes the host end
  // its instances.
  void killForTerminate(uint64_t epoch);

 private:
  using Clock = std::chrono::steady_clock;

  void onFrame(protocol::Frame&& f) override;
  void onClosed(const std::string& reason) override;
  void supervise();
  void launchNow();
  void checkHealth();
  void dropConnection(const std::string& why);
  int64_t silentForMs() const;

  const std::string typeName_;
  const std::string manifestJson_;
  const uint32_t resapiVersion_;
  std::shared_ptr<HostLauncher> launcher_;
  const Supervision sup_;
  Listener& listener_;

  // The current connection's host was killed for a Terminate and is still to be torn down.
  bool hostDying() const;

  std::mutex launchMu_;  // serialises ensureHost; never taken on the Terminate path
  std::condition_variable dropped_;  // with launchMu_: a connection was dropped, or stop() began
  std::atomic<channel::FrameConnection*> conn_{nullptr};
  // Connections are kept until stop() so a sender that loaded the pointer just before a drop
  // never touches freed memory; each holds only an empty queue once stopped.
  std::vector<std::unique_ptr<channel::FrameConnection>> connections_;
  std::atomic<State> state_{State::Down};
  std::atomic<bool> launchWanted_{false};
  std::atomic<bool> lost_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> pid_{0};
  std::atomic<bool> started_{false};
  std::atomic<uint64_t> epoch_{0};      // bumped for every new connection
  std::atomic<uint64_t> lostEpoch_{0};  // the newest connection whose host is gone
  std::atomic<bool> sweepWanted_{false};
  std::atomic<uint64_t> terminateKillEpoch_{0};  // a connection killForTerminate() ended (0: none)
  std::atomic<uint64_t> dyingEpoch_{0};          // the same, kept until a newer connection exists
  // The last host started: (epoch << 32) | pid in one word, so a reader never pairs one launch's
  // epoch with another's pid. Kept after a loss, while its tree may still be torn down.
  std::atomic<uint64_t> launchedHost_{0};
  // Steady-clock nanoseconds of the host's last frame (any frame counts as a sign of life), of
  // the launch, and of the handshake (0: not ready).
  std::atomic<int64_t> lastHostFrameNs_{0};
  std::atomic<int64_t> launchedNs_{0};
  std::atomic<int64_t> readyNs_{0};
  std::mutex lostMu_;
  std::string lostReason_;
  platform::Semaphore wake_;
  std::thread supervisor_;

  // Supervisor thread only.
  bool launchDue_ = false;     // a connection waits for its host (possibly behind the backoff)
  bool launched_ = false;      // ... and its host was started
  Clock::time_point notBefore_{};
  Clock::time_point lastBeat_{};
  unsigned quickFailures_ = 0;
};

}  // namespace wsfc::shim
