// A pair of connected ByteStreams inside one process, for mock mode with the host in the test
// process. It carries the same encoded frames as the real channels, so the shim and the addon run
// their real framing, decoding and threading code.
#pragma once
#include <memory>
#include <utility>

#include "byte_stream.h"

namespace wsfc::channel {

std::pair<std::unique_ptr<ByteStream>, std::unique_ptr<ByteStream>> makeInProcessPipe();

}  // namespace wsfc::channel
