// One end of the private channel between the shim and its host. Implementations: an in-process
// pipe (mock mode), socketpair fds (POSIX host process) and inherited anonymous pipes (Windows).
// Frames are the same on all of them.
#pragma once
#include <cstddef>
#include <cstdint>

namespace wsfc::channel {

// How a write ended. A peer that closed its end is told apart from other failures so that the
// loss is reported the same whichever direction notices it first: the shim's heartbeat write can
// meet a killed host's closed pipe before its reader meets the end of file (seen under Wine).
enum class WriteResult {
  Written,     // every byte
  PeerClosed,  // the peer's end is closed (EPIPE, ECONNRESET, a hang-up; ERROR_BROKEN_PIPE, ERROR_NO_DATA)
  TimedOut,    // the peer read nothing for the stream's write deadline
  Failed,      // any other error, or this end was closed
};

class ByteStream {
 public:
  // Where an in-memory stream hands the bytes its peer writes (deliverTo).
  class Receiver {
   public:
    virtual ~Receiver() = default;
    // The peer's bytes in write order, one call at a time, on the thread that wrote them.
    virtual void onBytes(const uint8_t* data, size_t size) = 0;
    // The pipe closed (either end): called once, from any thread. Must not block.
    virtual void onEnd() = 0;
  };

  virtual ~ByteStream() = default;
  // Writes every byte or says why not. Only writer threads call this, never an RHS thread, so an
  // implementation may wait for buffer space, but not without bound. (An inMemory() stream never
  // waits; FrameConnection::sendNow writes it on a caller's thread.)
  virtual WriteResult write(const uint8_t* data, size_t size) = 0;
  // Reads what is available, waiting at most timeoutMs: > 0 bytes read, 0 timeout, < 0 closed.
  virtual long read(uint8_t* data, size_t size, uint32_t timeoutMs) = 0;
  // Closes this end: both directions fail fast afterwards and the peer sees end of stream.
  virtual void close() = 0;

  // In-memory streams only (the in-process pipe): from now on the bytes the peer writes go
  // straight to `receiver`, on the peer's writing thread, and nobody needs to wait in read().
  // Returns false for streams that need a reader thread (sockets, OS pipes). deliverTo(nullptr)
  // detaches, waiting out a delivery in progress: call it before the receiver goes away, and
  // never from inside one of its own deliveries.
  virtual bool deliverTo(Receiver* receiver) {
    (void)receiver;
    return false;
  }
  // True if write() touches only memory and never waits on I/O or for buffer space, so it may
  // run on a caller's thread (the in-process pipe; never a socket or an OS pipe).
  virtual bool inMemory() const { return false; }
  // Streams that can: writes what fits now without waiting (one non-blocking send), returning
  // the bytes written (0 if none fit), kPeerClosed, or another value < 0 if the stream failed.
  // Others return kCannotTryWrite and the caller queues for its writer thread instead.
  static constexpr long kCannotTryWrite = -2;
  static constexpr long kPeerClosed = -3;
  virtual long tryWrite(const uint8_t* data, size_t size) {
    (void)data;
    (void)size;
    return kCannotTryWrite;
  }
};

}  // namespace wsfc::channel
