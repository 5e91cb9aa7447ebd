#include "host_endpoint.h"

#include <chrono>

#include "protocol/messages.h"
#include "env_registry.h"
#include "inherited_channel.h"
#include "js_frames.h"

namespace wsfc::addon {

namespace {
int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

void deliverToJs(Napi::Env env, Napi::Function callback, std::nullptr_t*, HostDelivery* d) {
  std::unique_ptr<HostDelivery> owned(d);
  if (!env || !callback) return;  // finalizing: just free the data
  // A delivery that was still queued when the environment began to tear down finds JavaScript
  // unable to run (the call fails with an exception): nothing is left to tell, and an exception
  // must not leave this callback (std::terminate).
  try {
    napi_value args[kFrameArgs];
    if (owned->closed) {
      closedToJsArgs(env, owned->reason, args);
    } else {
      frameToJsArgs(env, owned->frame, args);
    }
    callback.Call(kFrameArgs, args);
  } catch (const Napi::Error&) {
  }
}

EndpointCore::~EndpointCore() { shutdown(); }

void EndpointCore::attach(std::unique_ptr<channel::ByteStream> stream, bool newSession) {
  std::unique_ptr<channel::FrameConnection> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_) return;
    old = std::move(conn_);
    live_.store(nullptr);
  }
  if (old) old->stop();
  lastFrameNs_.store(nowNs());
  closedAtNs_.store(-1);
  // Frames are sent from the JS thread: over a socket it may try a write that does not wait.
  auto conn = std::make_unique<channel::FrameConnection>(*this, channel::FrameConnection::CallerWrites::MemoryOrNonBlocking);
  conn->start(std::move(stream));
  std::lock_guard<std::mutex> lock(mu_);
  conn_ = std::move(conn);
  live_.store(conn_.get());
  awaitingHelloAck_ = newSession;
}

// On the JS thread. Over the in-process pipe the frame is written, and the shim's reader logic
// runs, right here (FrameConnection::sendNow): a Result wakes the entry point waiting for it
// without passing through two more threads. Over an inherited channel it is queued for the writer.
//
// A new session begins with JavaScript's HelloAck. In-process, a handler of the session that
// ended may answer (or log) between the shim's relaunch and the runtime's reading of the new Hello,
// which waits in the loop's queue behind it: such a frame belongs to no resource of the new
// session, and the shim would drop the new host for it ("host sent result before the handshake",
// 43 of 68 host losses in a chaos run under Windows node). It is dropped here instead.
void EndpointCore::send(protocol::Frame&& f) {
  std::lock_guard<std::mutex> lock(mu_);
  if (awaitingHelloAck_) {
    if (f.type == protocol::FrameType::HelloAck) {
      awaitingHelloAck_ = false;
    } else if (f.type != protocol::FrameType::Heartbeat) {
      return;
    }
  }
  if (conn_) conn_->sendNow(std::move(f));
}

void EndpointCore::disconnect() {
  std::unique_ptr<channel::FrameConnection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    conn = std::move(conn_);
    live_.store(nullptr);
  }
  if (conn) conn->stop();
}

void EndpointCore::superviseShim(uint32_t silenceMs, uint32_t exitGraceMs) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_ || watchdog_) return;
  HostWatchdog::Probe probe;
  probe.silentForMs = [this] { return silentForMs(); };
  probe.closedForMs = [this] { return closedForMs(); };
  probe.drop = [this](const std::string& reason) {
    disconnect();
    int64_t open = -1;
    if (closedAtNs_.compare_exchange_strong(open, nowNs())) postClosed(reason);
  };
  watchdog_ = std::make_unique<HostWatchdog>(std::move(probe), silenceMs, exitGraceMs);
}

int64_t EndpointCore::silentForMs() const {
  if (!live_.load()) return -1;
  return (nowNs() - lastFrameNs_.load()) / 1000000;
}

int64_t EndpointCore::closedForMs() const {
  int64_t at = closedAtNs_.load();
  return at < 0 ? -1 : (nowNs() - at) / 1000000;
}

void EndpointCore::shutdown() {
  std::unique_ptr<HostWatchdog> watchdog;
  {
    std::lock_guard<std::mutex> lock(mu_);
    watchdog = std::move(watchdog_);
  }
  watchdog.reset();  // joined without mu_ held: its drop() takes mu_
  std::unique_ptr<channel::FrameConnection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_) return;
    shut_ = true;
    conn = std::move(conn_);
    live_.store(nullptr);
  }
  if (conn) conn->stop();
  tsfn_.Release();
}

void EndpointCore::post(HostDelivery* d) {
  // Queue size 0 means the queue never fills; napi_closing means JS is gone: drop the data.
  if (tsfn_.NonBlockingCall(d) != napi_ok) delete d;
}

void EndpointCore::onFrame(protocol::Frame&& f) {
  lastFrameNs_.store(nowNs());
  auto* d = new HostDelivery();
  d->frame = std::move(f);
  post(d);
}

void EndpointCore::onClosed(const std::string& reason) {
  int64_t open = -1;
  closedAtNs_.compare_exchange_strong(open, nowNs());
  postClosed(reason);
}

void EndpointCore::postClosed(const std::string& reason) {
  auto* d = new HostDelivery();
  d->closed = true;
  d->reason = reason;
  post(d);
}

Napi::Function HostEndpoint::define(Napi::Env env) {
  return DefineClass(env, "HostEndpoint",
                     {InstanceMethod("send", &HostEndpoint::send),
                      InstanceMethod("sendResult", &HostEndpoint::sendResult),
                      InstanceMethod("close", &HostEndpoint::close),
                      InstanceMethod("disconnect", &HostEndpoint::disconnect),
                      InstanceMethod("attachInherited", &HostEndpoint::attachInherited),
                      InstanceMethod("superviseShim", &HostEndpoint::superviseShim)});
}

HostEndpoint::HostEndpoint(const Napi::CallbackInfo& info) : Napi::ObjectWrap<HostEndpoint>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) throw Napi::TypeError::New(env, "HostEndpoint(onFrame): onFrame must be a function");
  auto tsfn = HostTsfn::New(env, info[0].As<Napi::Function>(), "wsfc-host-endpoint", 0, 1, nullptr);
  tsfn.Unref(env);  // the monitor's pending calls keep the process alive, not an idle host
  core_ = std::make_shared<EndpointCore>(tsfn);
  auto weak = std::weak_ptr<EndpointCore>(core_);
  EnvRegistry::of(env).add(EnvRegistry::Endpoints, [weak] {
    if (auto c = weak.lock()) c->shutdown();
  });
}

HostEndpoint::~HostEndpoint() {
  if (core_) core_->shutdown();
}

Napi::Value HostEndpoint::send(const Napi::CallbackInfo& info) {
  core_->send(frameFromJs(info.Env(), info[0]));
  return info.Env().Undefined();
}

Napi::Value HostEndpoint::sendResult(const Napi::CallbackInfo& info) {
  core_->send(resultFromJs(info));
  return info.Env().Undefined();
}

// attachInherited(value): the host process's inherited channel, as WSFC_CHANNEL_FD names it
// (lib/host/main.ts): an fd number on POSIX, "read,write" handle values on Windows.
Napi::Value HostEndpoint::attachInherited(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "attachInherited(value): value must be a string");
  std::string error;
  auto stream = adoptInheritedChannel(info[0].As<Napi::String>().Utf8Value(), error);
  if (!stream) throw Napi::Error::New(env, error);
  core_->attach(std::move(stream));
  return env.Undefined();
}

// superviseShim(silenceMs, exitGraceMs): see HostWatchdog.
Napi::Value HostEndpoint::superviseShim(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsNumber())
    throw Napi::TypeError::New(env, "superviseShim(silenceMs, exitGraceMs)");
  core_->superviseShim(info[0].As<Napi::Number>().Uint32Value(), info[1].As<Napi::Number>().Uint32Value());
  return env.Undefined();
}

Napi::Value HostEndpoint::disconnect(const Napi::CallbackInfo& info) {
  core_->disconnect();
  return info.Env().Undefined();
}

Napi::Value HostEndpoint::close(const Napi::CallbackInfo& info) {
  core_->shutdown();
  return info.Env().Undefined();
}

}  // namespace wsfc::addon
