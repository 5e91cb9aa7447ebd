#include "inprocess_pipe.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <vector>

namespace wsfc::channel {

namespace {

// Bytes buffered for an end that has no receiver yet; a writer that would go past this fails
// (a peer that does not take 8 MiB is gone) instead of waiting.
constexpr size_t kCapacity = 8u << 20;

// What flows to one end.
struct Inbox {
  // Guards the fields below. A leaf lock: nothing is called while it is held.
  std::mutex mu;
  std::condition_variable ready;  // read(): bytes arrived or the pipe closed
  std::deque<uint8_t> bytes;      // written while no receiver was attached
  ByteStream::Receiver* receiver = nullptr;
  bool endTold = false;  // the receiver has been (or is being) told the pipe closed
  int endsInFlight = 0;  // onEnd() calls running outside mu
  std::condition_variable endsDone;
  // Held while bytes are handed to the receiver: one delivery at a time, in write order, and
  // detaching (deliverTo(nullptr)) waits a delivery out.
  std::mutex deliverMu;
};

struct PipeState {
  std::atomic<bool> closed{false};
  Inbox toA, toB;
};

class PipeEnd final : public ByteStream {
 public:
  PipeEnd(std::shared_ptr<PipeState> s, bool isA)
      : s_(std::move(s)), mine_(isA ? s_->toA : s_->toB), peer_(isA ? s_->toB : s_->toA) {}
  ~PipeEnd() override {
    close();
    deliverTo(nullptr);
  }

  // One closed flag for both ends: a write after either end closed meets a closed peer.
  WriteResult write(const uint8_t* data, size_t size) override {
    if (s_->closed.load()) return WriteResult::PeerClosed;
    std::lock_guard<std::mutex> delivering(peer_.deliverMu);
    Receiver* r;
    {
      std::lock_guard<std::mutex> lock(peer_.mu);
      if (s_->closed.load()) return WriteResult::PeerClosed;
      r = peer_.receiver;
      if (!r) {
        if (peer_.bytes.size() + size > kCapacity) return WriteResult::Failed;
        peer_.bytes.insert(peer_.bytes.end(), data, data + size);
        peer_.ready.notify_one();
        return WriteResult::Written;
      }
    }
    r->onBytes(data, size);  // under deliverMu: r cannot be detached meanwhile
    return WriteResult::Written;
  }

  long read(uint8_t* data, size_t size, uint32_t timeoutMs) override {
    std::unique_lock<std::mutex> lock(mine_.mu);
    mine_.ready.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                         [&] { return s_->closed.load() || !mine_.bytes.empty(); });
    auto& q = mine_.bytes;
    if (q.empty()) return s_->closed.load() ? -1 : 0;
    size_t n = size < q.size() ? size : q.size();
    std::copy(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n), data);
    q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n));
    return static_cast<long>(n);
  }

  void close() override {
    if (s_->closed.exchange(true)) return;
    for (Inbox* in : {&mine_, &peer_}) {
      std::lock_guard<std::mutex> lock(in->mu);
      in->ready.notify_all();
    }
    // The peer learns at once, as its reader would have seen end of stream. Not under any lock
    // of the pipe: its onEnd() may close its own end (a no-op now) and tell its owner.
    Receiver* r;
    {
      std::lock_guard<std::mutex> lock(peer_.mu);
      r = peer_.endTold ? nullptr : peer_.receiver;
      if (!r) return;
      peer_.endTold = true;
      ++peer_.endsInFlight;
    }
    r->onEnd();
    std::lock_guard<std::mutex> lock(peer_.mu);
    if (--peer_.endsInFlight == 0) peer_.endsDone.notify_all();
  }

  bool deliverTo(Receiver* receiver) override {
    std::lock_guard<std::mutex> delivering(mine_.deliverMu);
    std::unique_lock<std::mutex> lock(mine_.mu);
    if (!receiver) {
      mine_.receiver = nullptr;
      // Bounded: onEnd() only records the end and tells the owner (FrameConnection::closeWith).
      mine_.endsDone.wait(lock, [&] { return mine_.endsInFlight == 0; });
      return true;
    }
    mine_.receiver = receiver;
    std::vector<uint8_t> early(mine_.bytes.begin(), mine_.bytes.end());
    mine_.bytes.clear();
    // A pipe that closed before we attached: the end a reader would have seen after the bytes.
    bool ended = s_->closed.load() && !mine_.endTold;
    if (ended) mine_.endTold = true;
    lock.unlock();
    if (!early.empty()) receiver->onBytes(early.data(), early.size());
    if (ended) receiver->onEnd();
    return true;
  }

  bool inMemory() const override { return true; }

 private:
  std::shared_ptr<PipeState> s_;
  Inbox& mine_;
  Inbox& peer_;
};

}  // namespace

std::pair<std::unique_ptr<ByteStream>, std::unique_ptr<ByteStream>> makeInProcessPipe() {
  auto s = std::make_shared<PipeState>();
  return {std::make_unique<PipeEnd>(s, true), std::make_unique<PipeEnd>(s, false)};
}

}  // namespace wsfc::channel
