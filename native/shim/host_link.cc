#include "host_link.h"

#include "../protocol/messages.h"
#include "deadline.h"

namespace wsfc::shim {

// A host that connected but never answered Hello is as good as dead.
constexpr auto kHandshakeTimeout = std::chrono::seconds(15);

HostLink::HostLink(std::string typeName, uint32_t resapiVersion, std::shared_ptr<HostLauncher> launcher,
                   Listener& listener)
    : typeName_(std::move(typeName)),
      resapiVersion_(resapiVersion),
      launcher_(std::move(launcher)),
      listener_(listener) {}

HostLink::~HostLink() { stop(); }

void HostLink::start() {
  supervisor_ = std::thread([this] { supervise(); });
}

void HostLink::stop() {
  if (stopping_.exchange(true)) {
    if (supervisor_.joinable()) supervisor_.join();
    return;
  }
  wake_.post();
  if (supervisor_.joinable()) supervisor_.join();
  conn_.store(nullptr);
  std::lock_guard<std::mutex> lock(launchMu_);
  for (auto& c : connections_) c->stop();
  if (launcher_) launcher_->kill();
  state_.store(State::Stopped);
}

void HostLink::ensureHost(const std::function<void(channel::FrameConnection&)>& backlog) {
  std::lock_guard<std::mutex> lock(launchMu_);
  if (stopping_.load() || conn_.load()) return;
  auto c = std::make_unique<channel::FrameConnection>(*this);
  protocol::HelloMsg hello;
  hello.typeName = typeName_;
  hello.resapiVersion = resapiVersion_;
  c->send(protocol::encode(hello));
  if (backlog) backlog(*c);
  state_.store(State::Connecting);
  conn_.store(c.get());
  connections_.push_back(std::move(c));
  launchWanted_.store(true);
  wake_.post();
}

void HostLink::send(protocol::Frame&& f) {
  if (auto* c = conn_.load()) c->send(std::move(f));
}

void HostLink::onFrame(protocol::Frame&& f) {
  // Liveness only, and valid before the handshake too: a host heartbeats while its module loads.
  if (f.type == protocol::FrameType::Heartbeat) return;
  if (f.type == protocol::FrameType::HelloAck) {
    protocol::HelloAckMsg ack;
    if (!protocol::decode(f, ack)) {
      onClosed("host sent a malformed handshake answer");
      return;
    }
    if (ack.typeName != typeName_) {
      onClosed(ack.typeName.empty() ? "host refused the handshake: " + ack.hostInfo
                                    : "host answered the handshake for type '" + ack.typeName + "', expected '" + typeName_ + "'");
      return;
    }
    state_.store(State::Ready);
    listener_.onHostReady();
    return;
  }
  if (state_.load() != State::Ready) {
    onClosed(std::string("host sent ") + protocol::frameTypeName(f.type) + " before the handshake");
    return;
  }
  listener_.onHostFrame(std::move(f));
}

void HostLink::onClosed(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(lostMu_);
    if (lostReason_.empty()) lostReason_ = reason;
  }
  lost_.store(true);
  wake_.post();
}

void HostLink::dropConnection(const std::string& why) {
  channel::FrameConnection* c;
  {
    std::lock_guard<std::mutex> lock(launchMu_);
    c = conn_.exchange(nullptr);
    state_.store(State::Down);
    pid_.store(0);
  }
  if (c) c->stop();
  if (launcher_) launcher_->kill();
  listener_.onHostLost(why);
}

void HostLink::supervise() {
  auto connectingSince = Clock::now();
  while (!stopping_.load()) {
    if (launchWanted_.exchange(false)) {
      auto* c = conn_.load();
      if (!c) continue;
      HostLaunch launched;
      try {
        HostLog log = [this](LOG_LEVEL level, const std::string& line) { listener_.onHostLog(level, line); };
        launched = launcher_ ? launcher_->launch(typeName_, log) : HostLaunch{nullptr, "no host launcher", 0};
      } catch (const std::exception& e) {
        launched.error = e.what();
      } catch (...) {
        launched.error = "host launcher failed";
      }
      if (!launched.stream) {
        dropConnection("host did not start: " + launched.error);
        continue;
      }
      pid_.store(launched.pid);
      connectingSince = Clock::now();
      c->start(std::move(launched.stream));
    }
    wake_.waitFor(100);
    if (lost_.exchange(false)) {
      std::string why;
      {
        std::lock_guard<std::mutex> lock(lostMu_);
        why.swap(lostReason_);
      }
      if (conn_.load()) dropConnection(why);
    } else if (state_.load() == State::Connecting && !launchWanted_.load() && conn_.load() &&
               Clock::now() - connectingSince > kHandshakeTimeout) {
      dropConnection("host did not answer the handshake in time");
    }
  }
}

}  // namespace wsfc::shim
