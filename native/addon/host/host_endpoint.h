// The host's end of the channel, inside the Node process: frames from the shim arrive on a reader
// thread and reach JavaScript through a thread-safe function (queue size 0, non-blocking calls);
// JavaScript's answers go back through a lock-free writer. In mock mode the shim "launches" the
// host by connecting an in-process pipe to this endpoint (addon/mock/in_process_launcher.h).
#pragma once
#include <napi.h>

#include <memory>
#include <mutex>
#include <string>

#include "channel/frame_connection.h"
#include "host_watchdog.h"

namespace wsfc::addon {

struct HostDelivery {
  bool closed = false;
  std::string reason;
  protocol::Frame frame;
};

void deliverToJs(Napi::Env env, Napi::Function callback, std::nullptr_t*, HostDelivery* d);
using HostTsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, HostDelivery, deliverToJs>;

// Shared by the JS wrapper and the launcher the shim holds, so either may outlive the other.
class EndpointCore final : public channel::FrameConnection::Handler,
                           public std::enable_shared_from_this<EndpointCore> {
 public:
  explicit EndpointCore(HostTsfn tsfn) : tsfn_(tsfn) {}
  ~EndpointCore() override;
  // Replaces the current connection (a relaunch) with one over the given stream. With
  // newSession (the in-process host, whose JavaScript outlives the shim's sessions), what
  // JavaScript sends before its HelloAck is dropped: see send().
  void attach(std::unique_ptr<channel::ByteStream> stream, bool newSession = false);
  void send(protocol::Frame&& f);
  // Drops the current channel as a crashed host would; a later launch attaches a new one.
  void disconnect();
  // Host process only: watch the shim (HostWatchdog). Once.
  void superviseShim(uint32_t silenceMs, uint32_t exitGraceMs);
  // Stops the channel threads and releases the thread-safe function. Idempotent.
  void shutdown();

 private:
  void onFrame(protocol::Frame&& f) override;
  void onClosed(const std::string& reason) override;
  void post(HostDelivery* d);
  void postClosed(const std::string& reason);
  int64_t silentForMs() const;
  int64_t closedForMs() const;

  std::mutex mu_;
  std::unique_ptr<channel::FrameConnection> conn_;
  std::atomic<channel::FrameConnection*> live_{nullptr};
  HostTsfn tsfn_;
  bool shut_ = false;
  bool awaitingHelloAck_ = false;  // under mu_: attach(newSession) until JavaScript's HelloAck
  // Steady-clock nanoseconds: the shim's last frame, and when the channel ended (-1: it has not).
  std::atomic<int64_t> lastFrameNs_{0};
  std::atomic<int64_t> closedAtNs_{-1};
  std::unique_ptr<HostWatchdog> watchdog_;  // joined in shutdown() before the rest goes
};

class HostEndpoint : public Napi::ObjectWrap<HostEndpoint> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit HostEndpoint(const Napi::CallbackInfo& info);
  ~HostEndpoint() override;
  std::shared_ptr<EndpointCore> core() const { return core_; }

 private:
  Napi::Value send(const Napi::CallbackInfo& info);
  Napi::Value sendResult(const Napi::CallbackInfo& info);
  Napi::Value attachInherited(const Napi::CallbackInfo& info);
  Napi::Value superviseShim(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  Napi::Value disconnect(const Napi::CallbackInfo& info);
  std::shared_ptr<EndpointCore> core_;
};

}  // namespace wsfc::addon
