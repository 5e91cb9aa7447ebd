// Runs one channel: a reader thread that decodes frames and hands them to a handler, and a writer
// thread that drains a lock-free queue onto the stream. Used by the shim (towards the host) and by
// the addon (towards the shim), so both ends share one framing and one threading discipline.
// Over the in-process pipe (mock mode) there is no reader thread: the peer's writes arrive on the
// writing thread (ByteStream::deliverTo), and sendNow() writes on the caller's thread, so a frame
// is not handed from thread to thread on its way.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/semaphore.h"
#include "protocol/frame.h"
#include "byte_stream.h"
#include "mpsc_queue.h"

namespace wsfc::channel {

// onClosed's reason when the peer ended the stream (as opposed to a corrupt frame or our write
// failing): the peer is going away by itself.
constexpr const char* kClosedByPeer = "channel closed by peer";

class FrameConnection final : private ByteStream::Receiver {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // Called in arrival order, one at a time: on the reader thread, or over an in-memory stream
    // on the thread that wrote the frame (the peer's writer thread, or a thread in its sendNow).
    // Must not throw (exceptions are caught and turn into onClosed, but a handler should not
    // rely on that), must not block, and must not call stop().
    virtual void onFrame(protocol::Frame&& frame) = 0;
    // Called once, from the reader or writer thread, when the channel ends (EOF, corrupt frame,
    // write failure); over an in-memory stream also from the thread that closed the peer's end.
    // The owner then calls stop() from another thread.
    virtual void onClosed(const std::string& reason) = 0;
  };

  // Whose thread may call sendNow: an RHS thread (the shim) may write only memory; the host
  // process's JS thread (the addon) may also try a socket write that does not wait, as libuv
  // itself does on that thread.
  enum class CallerWrites { MemoryOnly, MemoryOrNonBlocking };
  explicit FrameConnection(Handler& handler, CallerWrites callerWrites = CallerWrites::MemoryOnly);
  ~FrameConnection() override;
  FrameConnection(const FrameConnection&) = delete;
  FrameConnection& operator=(const FrameConnection&) = delete;

  // Attaches the stream and starts both threads. Frames sent before start() wait in the queue,
  // so a caller can queue a handshake and backlog while the peer is still being launched.
  void start(std::unique_ptr<ByteStream> stream);
  // Lock-free; frames sent after the channel closed are dropped.
  void send(protocol::Frame&& frame);
  // Over an in-memory stream: writes the frame on the calling thread, after whatever was queued
  // before it, unless another thread is writing right now (then, and over any other stream, it
  // is send()). It takes a lock without waiting for it, and the write runs the peer's handler:
  // fine for an entry point's request, not for the lock-free Terminate path, which uses send().
  // With CallerWrites::MemoryOrNonBlocking and a socket, the caller sends what the socket takes
  // without waiting, if nothing is queued; the writer thread sends the rest.
  void sendNow(protocol::Frame&& frame);
  // Closes the stream and joins both threads. Idempotent. Never call it from onFrame/onClosed.
  void stop();
  bool closed() const { return closed_.load(); }
  // Running over an in-memory stream (the in-process pipe of mock mode).
  bool inMemory() const { return writeInline_.load(); }

 private:
  void readerLoop();
  void writerLoop();
  void closeWith(const std::string& reason);
  // Hands every complete frame in decoder to the handler; false once the channel closed.
  bool dispatch(protocol::FrameReader& decoder);
  // Under writeMu_: writes what the queue holds, in order.
  void drainLocked();
  void writeLocked(const std::vector<uint8_t>& bytes);
  void sendWithoutWaiting(protocol::Frame&& frame);
  // ByteStream::Receiver (in-memory streams).
  void onBytes(const uint8_t* data, size_t size) override;
  void onEnd() override;

  std::unique_ptr<ByteStream> stream_;
  Handler& handler_;
  MpscQueue<std::vector<uint8_t>> queue_;
  platform::Semaphore wake_;
  // Held by whoever writes to the stream (the writer thread, or a caller in sendNow), and with
  // it the queue's consumer side: frames reach the stream in the order they were queued.
  std::mutex writeMu_;
  // The stream is in memory and running: sendNow may write on the caller's thread.
  std::atomic<bool> writeInline_{false};
  // The stream is running, takes non-blocking writes, and callers may use them (CallerWrites).
  std::atomic<bool> tryWriteInline_{false};
  const CallerWrites callerWrites_;
  // Under writeMu_: the part of a frame a non-blocking write left over; goes out first.
  std::vector<uint8_t> carry_;
  bool delivered_ = false;            // the stream delivers to us (no reader thread)
  protocol::FrameReader pushDecoder_;  // its decoder; the stream runs one delivery at a time
  std::atomic<bool> writerRuns_{false};  // start() has run: send() wakes the writer
  std::atomic<bool> stopping_{false};
  std::atomic<bool> closed_{false};
  std::thread reader_, writer_;
};

}  // namespace wsfc::channel
