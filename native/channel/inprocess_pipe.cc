#include "inprocess_pipe.h"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>

namespace wsfc::channel {

namespace {

// Two byte queues guarded by one mutex; closing either end closes the pipe.
struct PipeState {
  std::mutex mu;
  // One per direction, so a write wakes only the reader on the other side.
  std::condition_variable toAReady, toBReady, spaceFreed;
  std::deque<uint8_t> toA, toB;
  bool closed = false;
};

// Bounds memory if the reader stops reading; a writer waits for room, then gives up.
constexpr size_t kCapacity = 8u << 20;
constexpr auto kWriteWait = std::chrono::seconds(5);

class PipeEnd final : public ByteStream {
 public:
  PipeEnd(std::shared_ptr<PipeState> s, bool isA) : s_(std::move(s)), isA_(isA) {}
  ~PipeEnd() override { close(); }

  bool write(const uint8_t* data, size_t size) override {
    std::unique_lock<std::mutex> lock(s_->mu);
    auto& q = isA_ ? s_->toB : s_->toA;
    if (!s_->spaceFreed.wait_for(lock, kWriteWait, [&] { return s_->closed || q.size() + size <= kCapacity; }))
      return false;
    if (s_->closed) return false;
    q.insert(q.end(), data, data + size);
    (isA_ ? s_->toBReady : s_->toAReady).notify_one();
    return true;
  }

  long read(uint8_t* data, size_t size, uint32_t timeoutMs) override {
    std::unique_lock<std::mutex> lock(s_->mu);
    auto& q = isA_ ? s_->toA : s_->toB;
    (isA_ ? s_->toAReady : s_->toBReady).wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return s_->closed || !q.empty(); });
    if (q.empty()) return s_->closed ? -1 : 0;
    size_t n = size < q.size() ? size : q.size();
    std::copy(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n), data);
    q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n));
    s_->spaceFreed.notify_all();
    return static_cast<long>(n);
  }

  void close() override {
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->closed = true;
    s_->toAReady.notify_all();
    s_->toBReady.notify_all();
    s_->spaceFreed.notify_all();
  }

 private:
  std::shared_ptr<PipeState> s_;
  bool isA_;
};

}  // namespace

std::pair<std::unique_ptr<ByteStream>, std::unique_ptr<ByteStream>> makeInProcessPipe() {
  auto s = std::make_shared<PipeState>();
  return {std::make_unique<PipeEnd>(s, true), std::make_unique<PipeEnd>(s, false)};
}

}  // namespace wsfc::channel
