#include "fake_host.h"

#include <thread>

#include "channel/inprocess_pipe.h"
#include "protocol/messages.h"
#include "shim/core/pending_calls.h"

namespace wsfc::tests {

using protocol::FrameType;

FakeHost::FakeHost() : delayThread_([this] { delayLoop(); }) {}

FakeHost::~FakeHost() {
  stop();
  {
    std::lock_guard<std::mutex> lock(delayMu_);
    delayStop_ = true;
  }
  delayCv_.notify_all();
  delayThread_.join();
}

void FakeHost::delayLoop() {
  std::unique_lock<std::mutex> lock(delayMu_);
  while (!delayStop_) {
    if (delayed_.empty()) {
      delayCv_.wait_for(lock, std::chrono::milliseconds(100));
      continue;
    }
    auto due = delayed_.front().first;
    if (std::chrono::steady_clock::now() < due) {
      delayCv_.wait_until(lock, due);
      continue;
    }
    protocol::Frame f = std::move(delayed_.front().second);
    delayed_.pop_front();
    lock.unlock();
    bool health = f.type == FrameType::LooksAlive || f.type == FrameType::IsAlive;
    reply(f, 0, health ? std::vector<uint8_t>{1} : std::vector<uint8_t>{});
    lock.lock();
  }
}

void FakeHost::attach(std::unique_ptr<channel::ByteStream> stream) {
  std::unique_ptr<channel::FrameConnection> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    old = std::move(conn_);
  }
  if (old) old->stop();
  auto conn = std::make_unique<channel::FrameConnection>(*this);
  conn->start(std::move(stream));
  std::lock_guard<std::mutex> lock(mu_);
  conn_ = std::move(conn);
}

void FakeHost::stop() {
  std::unique_ptr<channel::FrameConnection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    conn = std::move(conn_);
  }
  if (conn) conn->stop();
}

void FakeHost::reply(const protocol::Frame& f, uint32_t status, std::vector<uint8_t> output) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn_) conn_->send(protocol::encode(f.slot, f.generation, f.request, protocol::ResultMsg{status, std::move(output)}));
}

void FakeHost::onFrame(protocol::Frame&& f) {
  ++frames_;
  Behaviour b = behaviour_.load();
  switch (f.type) {
    case FrameType::Hello: {
      protocol::HelloMsg hello;
      protocol::decode(f, hello);
      std::lock_guard<std::mutex> lock(mu_);
      if (conn_) conn_->send(protocol::encode(0, protocol::HelloAckMsg{hello.typeName, "fake host"}));
      return;
    }
    case FrameType::Terminate:
      reply(f, 0);  // request id is the terminate marker already
      return;
    case FrameType::Online:
    case FrameType::Offline:
    case FrameType::LooksAlive:
    case FrameType::IsAlive:
    case FrameType::Control:
    case FrameType::Close:
    case FrameType::Validate: {
      if (b == Behaviour::Hang && f.type != FrameType::Close) return;
      if (b == Behaviour::Slow) {
        {
          std::lock_guard<std::mutex> lock(delayMu_);
          delayed_.emplace_back(std::chrono::steady_clock::now() + std::chrono::milliseconds(2), std::move(f));
        }
        delayCv_.notify_all();
        return;
      }
      bool health = f.type == FrameType::LooksAlive || f.type == FrameType::IsAlive;
      reply(f, 0, health ? std::vector<uint8_t>{1} : std::vector<uint8_t>{});
      return;
    }
    default:
      return;
  }
}

shim::HostLaunch FakeLauncher::launch(const std::string&, const shim::HostLog&) {
  auto pipe = channel::makeInProcessPipe();
  host_->attach(std::move(pipe.second));
  return {std::move(pipe.first), "", 0};
}

}  // namespace wsfc::tests
