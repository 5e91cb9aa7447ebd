#include "frame_connection.h"

#include <exception>

namespace wsfc::channel {

// How often idle threads look at the stop flag; stop() also wakes them directly.
constexpr uint32_t kPollMs = 100;

FrameConnection::FrameConnection(Handler& handler) : handler_(handler) {}

FrameConnection::~FrameConnection() { stop(); }

void FrameConnection::start(std::unique_ptr<ByteStream> stream) {
  stream_ = std::move(stream);
  reader_ = std::thread([this] { readerLoop(); });
  writer_ = std::thread([this] { writerLoop(); });
}

void FrameConnection::send(protocol::Frame&& frame) {
  if (closed_.load(std::memory_order_relaxed)) return;
  std::vector<uint8_t> bytes;
  if (!protocol::encodeFrame(frame, bytes)) return;  // oversized: the caller's limits prevent this
  queue_.push(std::move(bytes));
  wake_.post();
}

void FrameConnection::stop() {
  stopping_.store(true);
  if (stream_) stream_->close();
  wake_.post();
  if (reader_.joinable()) reader_.join();
  if (writer_.joinable()) writer_.join();
  closed_.store(true);
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
    protocol::Frame f;
    for (;;) {
      auto st = decoder.next(f);
      if (st == protocol::DecodeStatus::NeedMore) break;
      if (st == protocol::DecodeStatus::Error) {
        closeWith("corrupt frame: " + decoder.error());
        return;
      }
      try {
        handler_.onFrame(std::move(f));
      } catch (const std::exception& e) {
        closeWith(std::string("frame handler failed: ") + e.what());
        return;
      } catch (...) {
        closeWith("frame handler failed");
        return;
      }
      f = protocol::Frame{};
    }
  }
}

void FrameConnection::writerLoop() {
  std::vector<uint8_t> bytes;
  for (;;) {
    wake_.waitFor(kPollMs);
    while (queue_.pop(bytes)) {
      if (closed_.load()) continue;  // drain and drop
      if (!stream_->write(bytes.data(), bytes.size())) closeWith("channel write failed");
    }
    if (stopping_.load() || closed_.load()) {
      while (queue_.pop(bytes)) {
      }
      if (stopping_.load()) return;
    }
  }
}

}  // namespace wsfc::channel
