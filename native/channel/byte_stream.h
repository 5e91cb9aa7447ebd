// One end of the private channel between the shim and its host. Implementations: an in-process
// pipe (mock mode), socketpair fds (POSIX host process) and inherited anonymous pipes (Windows).
// Frames are the same on all of them.
#pragma once
#include <cstddef>
#include <cstdint>

namespace wsfc::channel {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Writes every byte or returns false (peer gone). Only writer threads call this, never an
  // RHS thread, so an implementation may wait for buffer space, but not without bound.
  virtual bool write(const uint8_t* data, size_t size) = 0;
  // Reads what is available, waiting at most timeoutMs: > 0 bytes read, 0 timeout, < 0 closed.
  virtual long read(uint8_t* data, size_t size, uint32_t timeoutMs) = 0;
  // Closes this end: both directions fail fast afterwards and the peer sees end of stream.
  virtual void close() = 0;
};

}  // namespace wsfc::channel
