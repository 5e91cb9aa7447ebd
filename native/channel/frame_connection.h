// Runs one channel: a reader thread that decodes frames and hands them to a handler, and a writer
// thread that drains a lock-free queue onto the stream. Used by the shim (towards the host) and by
// the addon (towards the shim), so both ends share one framing and one threading discipline.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../platform/semaphore.h"
#include "../protocol/frame.h"
#include "byte_stream.h"
#include "mpsc_queue.h"

namespace wsfc::channel {

// onClosed's reason when the peer ended the stream (as opposed to a corrupt frame or our write
// failing): the peer is going away by itself.
constexpr const char* kClosedByPeer = "channel closed by peer";

class FrameConnection {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // Called on the reader thread, in arrival order. Must not throw (exceptions are caught and
    // turn into onClosed, but a handler should not rely on that).
    virtual void onFrame(protocol::Frame&& frame) = 0;
    // Called once, from the reader or writer thread, when the channel ends (EOF, corrupt frame,
    // write failure). The owner then calls stop() from another thread.
    virtual void onClosed(const std::string& reason) = 0;
  };

  explicit FrameConnection(Handler& handler);
  ~FrameConnection();
  FrameConnection(const FrameConnection&) = delete;
  FrameConnection& operator=(const FrameConnection&) = delete;

  // Attaches the stream and starts both threads. Frames sent before start() wait in the queue,
  // so a caller can queue a handshake and backlog while the peer is still being launched.
  void start(std::unique_ptr<ByteStream> stream);
  // Lock-free; frames sent after the channel closed are dropped.
  void send(protocol::Frame&& frame);
  // Closes the stream and joins both threads. Idempotent. Never call it from onFrame/onClosed.
  void stop();
  bool closed() const { return closed_.load(); }

 private:
  void readerLoop();
  void writerLoop();
  void closeWith(const std::string& reason);

  std::unique_ptr<ByteStream> stream_;
  Handler& handler_;
  MpscQueue<std::vector<uint8_t>> queue_;
  platform::Semaphore wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> closed_{false};
  std::thread reader_, writer_;
};

}  // namespace wsfc::channel
