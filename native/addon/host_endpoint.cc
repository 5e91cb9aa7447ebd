#include "host_endpoint.h"

#include "../channel/inprocess_pipe.h"
#include "../protocol/messages.h"
#include "env_registry.h"
#include "js_frames.h"

namespace wsfc::addon {

void deliverToJs(Napi::Env env, Napi::Function callback, std::nullptr_t*, HostDelivery* d) {
  std::unique_ptr<HostDelivery> owned(d);
  if (!env || !callback) return;  // finalizing: just free the data
  Napi::Value arg = owned->closed ? closedToJs(env, owned->reason) : frameToJs(env, owned->frame);
  callback.Call({arg});
}

EndpointCore::~EndpointCore() { shutdown(); }

void EndpointCore::attach(std::unique_ptr<channel::ByteStream> stream) {
  std::unique_ptr<channel::FrameConnection> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_) return;
    old = std::move(conn_);
    live_.store(nullptr);
  }
  if (old) old->stop();
  auto conn = std::make_unique<channel::FrameConnection>(*this);
  conn->start(std::move(stream));
  std::lock_guard<std::mutex> lock(mu_);
  conn_ = std::move(conn);
  live_.store(conn_.get());
}

void EndpointCore::send(protocol::Frame&& f) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn_) conn_->send(std::move(f));
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

void EndpointCore::shutdown() {
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
  auto* d = new HostDelivery();
  d->frame = std::move(f);
  post(d);
}

void EndpointCore::onClosed(const std::string& reason) {
  auto* d = new HostDelivery();
  d->closed = true;
  d->reason = reason;
  post(d);
}

shim::HostLaunch InProcessLauncher::launch(const std::string&, const shim::HostLog&) {
  auto core = core_.lock();
  if (!core) return {nullptr, "the in-process host is gone", 0};
  auto pipe = channel::makeInProcessPipe();
  core->attach(std::move(pipe.second));
  return {std::move(pipe.first), "", 0};
}

Napi::Function HostEndpoint::define(Napi::Env env) {
  return DefineClass(env, "HostEndpoint",
                     {InstanceMethod("send", &HostEndpoint::send), InstanceMethod("close", &HostEndpoint::close),
                      InstanceMethod("disconnect", &HostEndpoint::disconnect)});
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

Napi::Value HostEndpoint::disconnect(const Napi::CallbackInfo& info) {
  core_->disconnect();
  return info.Env().Undefined();
}

Napi::Value HostEndpoint::close(const Napi::CallbackInfo& info) {
  core_->shutdown();
  return info.Env().Undefined();
}

}  // namespace wsfc::addon
