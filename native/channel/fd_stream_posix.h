// A ByteStream over one end of a connected stream socket (POSIX): the shim's end of the
// socketpair it creates for a host process, and the host's inherited end. Reads wait with poll()
// and a timeout; writes never block without bound; close() is shutdown(), which wakes a reader
// blocked in poll() on another thread without closing the descriptor under it.
#pragma once
#include <memory>

#include "byte_stream.h"

namespace wsfc::channel {

// Takes ownership of fd: it is closed when the stream is destroyed (after both channel threads
// have stopped using it). Returns null if fd < 0.
std::unique_ptr<ByteStream> makeFdStream(int fd);

}  // namespace wsfc::channel
