#include "frame_connection.h"

#include <exception>

namespace wsfc::channel {

// How often idle threads look at the stop flag; stop() also wakes them directly.
constexpr uint32_t kPollMs = 100;

namespace {
// Deliveries (onBytes) running on this thread: a handler that sends from inside one queues its
// frame instead of writing it inline, so deliveries never nest.
thread_local int tDelivering = 0;
}  // namespace

FrameConnection::FrameConnection(Handler& handler, CallerWrites callerWrites)
    : handler_(handler), callerWrites_(callerWrites) {}

FrameConnection::~FrameConnection() { stop(); }

void FrameConnection::start(std::unique_ptr<ByteStream> stream) {
  stream_ = std::move(stream);
  delivered_ = stream_->deliverTo(this);
  if (!delivered_) reader_ = std::thread([this] { readerLoop(); });
  writer_ = std::thread([this] { writerLoop(); });
  writeInline_.store(stream_->inMemory());
  // Until the stream says it cannot (its first tryWrite).
  tryWriteInline_.store(!stream_->inMemory() && callerWrites_ == CallerWrites::MemoryOrNonBlocking);
  writerRuns_.store(true);
  wake_.post();  // for whatever was queued before
}

void FrameConnection::send(protocol::Frame&& frame) {
  if (closed_.load(std::memory_order_relaxed)) return;
  std::vector<uint8_t> bytes;
  if (!protocol::encodeFrame(frame, bytes)) return;  // oversized: the caller's limits prevent this
  queue_.push(std::move(bytes));
  // Before start() there is no writer to wake: a backlog queued then costs no post each (a kernel
  // call, under Wine a round trip to wineserver: 200 of them held a new host's Onlines up to
  // 130 ms on a loaded machine). start() wakes the writer once.
  if (writerRuns_.load()) wake_.post();
}

void FrameConnection::sendNow(protocol::Frame&& frame) {
  if (tryWriteInline_.load()) return sendWithoutWaiting(std::move(frame));
  if (writeInline_.load() && tDelivering == 0) {
    std::unique_lock<std::mutex> writing(writeMu_, std::try_to_lock);
    // Re-checked under the lock: stop() clears it under the same lock before the stream goes.
    if (writing.owns_lock() && writeInline_.load() && !closed_.load()) {
      std::vector<uint8_t> bytes;
      if (!protocol::encodeFrame(frame, bytes)) return;
      drainLocked();  // what was queued before this frame goes first
      if (queue_.empty()) return writeLocked(bytes);
      // A producer is still inside push(): its frame may be one this thread queued earlier, so
      // ours goes behind it and the writer thread takes both.
      queue_.push(std::move(bytes));
      wake_.post();
      return;
    }
  }
  send(std::move(frame));
}

// A socket on the host's JS thread: one non-blocking send if the writer has nothing pending.
void FrameConnection::sendWithoutWaiting(protocol::Frame&& frame) {
  std::unique_lock<std::mutex> writing(writeMu_, std::try_to_lock);
  if (!writing.owns_lock() || !tryWriteInline_.load() || closed_.load() || !carry_.empty() || !queue_.empty())
    return send(std::move(frame));
  std::vector<uint8_t> bytes;
  if (!protocol::encodeFrame(frame, bytes)) return;
  long n = stream_->tryWrite(bytes.data(), bytes.size());
  if (n == ByteStream::kCannotTryWrite) {
    tryWriteInline_.store(false);  // e.g. Windows' anonymous pipes: the writer thread it is
    queue_.push(std::move(bytes));
    wake_.post();
    return;
  }
  if (n == ByteStream::kPeerClosed) return closeWith(kClosedByPeer);
  if (n < 0) return closeWith("channel write failed");
  if (static_cast<size_t>(n) == bytes.size()) return;
  carry_.assign(bytes.begin() + n, bytes.end());
  wake_.post();
}

void FrameConnection::stop() {
  stopping_.store(true);
  writeInline_.store(false);
  tryWriteInline_.store(false);
  if (stream_) stream_->close();
  if (stream_ && delivered_) stream_->deliverTo(nullptr);  // waits out a delivery in progress
  wake_.post();
  if (reader_.joinable()) reader_.join();
  if (writer_.joinable()) writer_.join();
  closed_.store(true);
  // A caller still inside sendNow finishes its write before the stream goes.
  std::lock_guard<std::mutex> writing(writeMu_);
  // Nothing uses the stream once both threads are gone: release its descriptor now rather than
  // when the owner finally destroys this connection (the shim keeps one per relaunch).
  stream_.reset();
}

void FrameConnection::closeWith(const std::string& reason) {
  bool expected = false;
  if (!closed_.compare_exchange_strong(expected, true)) return;
  if (stream_) stream_->close();
  wake_.post();
  if (stopping_.load()) return;  // a requested stop is not news to the owner
  try {
    handler_.onClosed(reason);
  } catch (...) {
  }
}

bool FrameConnection::dispatch(protocol::FrameReader& decoder) {
  protocol::Frame f;
  for (;;) {
    auto st = decoder.next(f);
    if (st == protocol::DecodeStatus::NeedMore) return true;
    if (st == protocol::DecodeStatus::Error) {
      closeWith("corrupt frame: " + decoder.error());
      return false;
    }
    try {
      handler_.onFrame(std::move(f));
    } catch (const std::exception& e) {
      closeWith(std::string("frame handler failed: ") + e.what());
      return false;
    } catch (...) {
      closeWith("frame handler failed");
      return false;
    }
    f = protocol::Frame{};
  }
}

void FrameConnection::readerLoop() {
  protocol::FrameReader decoder;
  std::vector<uint8_t> buf(64 * 1024);
  while (!stopping_.load()) {
    long n = stream_->read(buf.data(), buf.size(), kPollMs);
    if (n == 0) continue;
    if (n < 0) {
      closeWith(kClosedByPeer);
      return;
    }
    decoder.append(buf.data(), static_cast<size_t>(n));
    if (!dispatch(decoder)) return;
  }
}

void FrameConnection::onBytes(const uint8_t* data, size_t size) {
  if (closed_.load() || stopping_.load()) return;
  ++tDelivering;
  try {
    pushDecoder_.append(data, size);
    dispatch(pushDecoder_);
  } catch (...) {
    closeWith("frame decoding failed");  // allocation failure; nothing may escape to the writer
  }
  --tDelivering;
}

void FrameConnection::onEnd() { closeWith(kClosedByPeer); }

void FrameConnection::writeLocked(const std::vector<uint8_t>& bytes) {
  if (closed_.load()) return;  // drain and drop
  switch (stream_->write(bytes.data(), bytes.size())) {
    case WriteResult::Written: return;
    case WriteResult::PeerClosed: return closeWith(kClosedByPeer);
    case WriteResult::TimedOut: return closeWith("channel write timed out: the peer stopped reading");
    case WriteResult::Failed: return closeWith("channel write failed");
  }
}

void FrameConnection::drainLocked() {
  if (!carry_.empty()) {
    writeLocked(carry_);
    carry_.clear();
  }
  std::vector<uint8_t> bytes;
  while (queue_.pop(bytes)) writeLocked(bytes);
}

void FrameConnection::writerLoop() {
  for (;;) {
    wake_.waitFor(kPollMs);
    std::lock_guard<std::mutex> writing(writeMu_);
    drainLocked();
    if (stopping_.load() || closed_.load()) {
      std::vector<uint8_t> bytes;
      while (queue_.pop(bytes)) {
      }
      if (stopping_.load()) return;
    }
  }
}

}  // namespace wsfc::channel
