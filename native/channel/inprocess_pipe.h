// A pair of connected ByteStreams inside one process, for mock mode with the host in the test
// process. It carries the same encoded frames as the real channels, so the shim and the addon run
// their real framing and decoding code. It is memory, not I/O: once an end has a receiver
// (ByteStream::deliverTo, which FrameConnection always uses) a write hands the bytes to the
// peer's decoder on the writing thread, so a frame costs no thread hand-off. Bytes written
// before the peer attaches wait in a bounded buffer (read() serves them in pull mode).
#pragma once
#include <memory>
#include <utility>

#include "byte_stream.h"

namespace wsfc::channel {

std::pair<std::unique_ptr<ByteStream>, std::unique_ptr<ByteStream>> makeInProcessPipe();

}  // namespace wsfc::channel
