// A ByteStream over two anonymous pipe handles (Windows): one to read from, one to write to. The
// shim's ends of the pipes it creates for a host process, and the host's inherited ends.
#pragma once
#include <memory>

#include "common/resapi_abi.h"
#include "byte_stream.h"

namespace wsfc::channel {

// Takes ownership of both handles. Returns null if either is invalid.
std::unique_ptr<ByteStream> makePipeStream(HANDLE readEnd, HANDLE writeEnd);

}  // namespace wsfc::channel
